"""The table of documented query parameters is built once per process, even when a fresh
worker's threads all ask for it at once (the first API requests after a worker starts)."""

from __future__ import annotations

import threading

from django.test import RequestFactory

from jospar.core import edge_api_params


def test_threads_asking_at_once_get_one_table_and_no_error() -> None:
    edge_api_params._built_operations.cache_clear()
    request = RequestFactory().get("/api/obligations/?limit=20&nonsense=1")
    start = threading.Barrier(8)
    answers: list[object] = []
    errors: list[BaseException] = []

    def ask() -> None:
        start.wait()
        try:
            answers.append(edge_api_params.unknown_query_params(request))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert answers == [["nonsense"]] * 8
    assert edge_api_params._built_operations.cache_info().misses == 1
