"""The resident memory of gunicorn's workers while a benchmark runs (issue #15: under 250 MB
through the page walk and the load)."""

from __future__ import annotations

import threading
from pathlib import Path


class RssWatch:
    """The largest resident memory of the gunicorn workers (the master's children), sampled
    twice a second, and how many distinct workers served (a recycled worker is a new pid)."""

    def __init__(self, master_pid: int) -> None:
        self.master = master_pid
        self.peak_mb = 0.0
        self.pids: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        children = Path(f"/proc/{self.master}/task/{self.master}/children")
        while not self._stop.wait(0.5):
            try:
                workers = [int(x) for x in children.read_text().split()]
            except OSError:
                continue
            self.pids.update(workers)
            for pid in workers:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmRSS:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
