"""Timing shared by the benchmarks that time selectors beside hand SQL in the same process:
wall time and CPU time (this process's and its PostgreSQL backend's, on the same machine), so a
figure says what a run costs whatever else the machine is doing."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def cpu_ms(backend: int) -> float:
    """CPU time so far of this process and of its PostgreSQL backend, in ms."""
    own = time.process_time() * 1000
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return own
    ticks = os.sysconf("SC_CLK_TCK")
    return own + (int(fields[11]) + int(fields[12])) * 1000 / ticks


@dataclass
class Runs:
    wall: list[float]
    cpu: list[float]


def timed(fn: Callable[[], Any], runs: int) -> tuple[Runs, Any]:
    result = None
    for _ in range(3):  # warm: plans cached, pages in memory
        result = fn()
    backend = backend_pid()
    wall, cpu = [], []
    for _ in range(runs):
        cpu_start, start = cpu_ms(backend), time.perf_counter()
        result = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append(cpu_ms(backend) - cpu_start)
    return Runs(wall, cpu), result


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]
