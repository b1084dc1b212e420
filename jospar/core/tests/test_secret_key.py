"""SECRET_KEY: refused when missing or public outside the embedded default; generated once,
kept private and reused on the embedded default. Settings are loaded in a fresh process, with
the environment a real start would have."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import PUBLIC_KEYS, load_secret_key

REPO = Path(__file__).resolve().parents[3]
PROBE = "from django.conf import settings; print(settings.SECRET_KEY)"
CLEARED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "S3_BUCKET", "BEHIND_PROXY")


def _load(var_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    # The audit chain's key is required with a database URL too; it is not what is tested here.
    env.setdefault("AUDIT_HMAC_KEY", "test-audit-hmac-key")
    env.update(DJANGO_SETTINGS_MODULE="config.settings", JOSPAR_VAR_DIR=str(var_dir), **extra)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_embedded_default_generates_a_private_key_and_reuses_it(tmp_path: Path) -> None:
    first = _load(tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key not in PUBLIC_KEYS
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600

    second = _load(tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == key

    # Another installation gets another key.
    other = _load(tmp_path / "other")
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() != key


@pytest.mark.parametrize(
    "signal",
    [
        {"DATABASE_URL": "postgres://jospar@127.0.0.1:5432/jospar"},
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        {"S3_BUCKET": "jospar-media"},
        {"BEHIND_PROXY": "1"},
    ],
)
def test_production_without_its_own_key_refuses_to_start(
    tmp_path: Path, signal: dict[str, str]
) -> None:
    answer = _load(tmp_path, **signal)
    assert answer.returncode != 0
    assert "ImproperlyConfigured" in answer.stderr
    assert "SECRET_KEY is not set" in answer.stderr
    assert next(iter(signal)) in answer.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("public", sorted(PUBLIC_KEYS))
def test_the_published_default_key_is_refused_everywhere(tmp_path: Path, public: str) -> None:
    for extra in ({}, {"DATABASE_URL": "postgres://jospar@127.0.0.1:5432/jospar"}):
        answer = _load(tmp_path, SECRET_KEY=public, **extra)
        assert answer.returncode != 0
        assert "published in jospar's repository" in answer.stderr


def test_production_with_its_own_key_starts_with_it(tmp_path: Path) -> None:
    own = "k" * 20 + "-production-own-key-" + "z" * 20
    answer = _load(tmp_path, SECRET_KEY=own, DATABASE_URL="postgres://x@127.0.0.1:5432/x")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == own
    assert not (tmp_path / "secret_key").exists()


def test_a_short_production_key_and_a_loose_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="shorter than"):
        load_secret_key({"SECRET_KEY": "short", "REDIS_URL": "redis://x"}, tmp_path)
    stored = tmp_path / "secret_key"
    stored.write_text("x" * 60 + "\n")
    stored.chmod(0o644)
    assert load_secret_key({}, tmp_path) == "x" * 60
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    stored.write_text("")
    with pytest.raises(ImproperlyConfigured, match="no usable key"):
        load_secret_key({}, tmp_path)
    # "BEHIND_PROXY=0" is no production signal.
    assert load_secret_key({"BEHIND_PROXY": "0"}, tmp_path / "fresh") != ""
