"""The app server's hooks (deploy/gunicorn.conf.py): the collector's freeze after warm-up and the
recycling by memory."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

CONF = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"


def _conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("jospar_gunicorn_conf", CONF)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _worker() -> Any:
    return SimpleNamespace(alive=True, pid=1, log=logging.getLogger("test.gunicorn"))


@pytest.fixture
def unfrozen() -> Any:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_worker_freezes_what_it_loaded_once_after_its_first_requests(
    monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    conf = _conf(monkeypatch, GC_FREEZE_AFTER="3", WEB_MAX_RSS_MB="0")
    worker = _worker()
    conf.post_worker_init(worker)
    at_start = gc.get_freeze_count()
    assert at_start > 0  # the loaded application, out of the collector's passes
    gc.unfreeze()
    for _ in range(2):
        conf.post_request(worker, None, {}, None)
    assert gc.get_freeze_count() == 0  # not yet: the first requests fill the caches
    conf.post_request(worker, None, {}, None)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()
    for _ in range(5):
        conf.post_request(worker, None, {}, None)
    assert gc.get_freeze_count() == 0  # once: a later request's objects are not frozen
    assert worker.alive


def test_the_freeze_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, unfrozen: None) -> None:
    conf = _conf(monkeypatch, GC_FREEZE_AFTER="0", WEB_MAX_RSS_MB="0")
    worker = _worker()
    conf.post_worker_init(worker)
    for _ in range(5):
        conf.post_request(worker, None, {}, None)
    assert gc.get_freeze_count() == 0


def test_a_worker_past_its_memory_stops_taking_requests(
    monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    conf = _conf(monkeypatch, GC_FREEZE_AFTER="0", WEB_MAX_RSS_MB="1")
    worker = _worker()
    conf.post_worker_init(worker)
    conf.post_request(worker, None, {}, None)
    assert conf.rss_mb() > 1
    assert worker.alive is False
