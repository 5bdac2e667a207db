"""The background worker: reads uploaded scan batches (xuanju.counting.scan_batches) from the
django-tasks database queue. ``xuanju worker`` runs it; ``xuanju serve`` starts it beside the web
server as a child process, restarts it if it stops, and stops it on exit.

At each start the worker enqueues the batches a previous worker left unfinished (a restart, a
power cut); reading is idempotent page by page, so nothing is read or counted twice. It exits after
``MAX_TASKS`` batches and is started again, so a long election day never grows one process.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

MAX_TASKS = 20


def run_worker() -> None:
    """Run in this process (Django set up by the caller) until stopped or MAX_TASKS batches."""
    from django.core.management import call_command

    from xuanju.counting.scan_batches import resume_unfinished

    resume_unfinished()
    call_command(
        "db_worker", max_tasks=MAX_TASKS, interval=1.0, reload=False, startup_delay=False, verbosity=0
    )


class WorkerProcess:
    """``xuanju worker`` as a child of ``xuanju serve``, restarted whenever it exits."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="xuanju-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            started = time.monotonic()
            self._process = subprocess.Popen([sys.executable, "-m", "xuanju.cli", "worker"])
            self._process.wait()
            if time.monotonic() - started < 5:  # failing at start: don't spin
                self._stopping.wait(10)

    def stop(self) -> None:
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()  # the worker finishes the page it is reading; the batch resumes later
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
