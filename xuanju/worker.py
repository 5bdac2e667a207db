"""The background worker: reads uploaded scan batches (xuanju.counting.scan_batches) from the
django-tasks database queue. ``xuanju worker`` runs it (a systemd unit in production); ``xuanju
serve`` starts it beside the web server in a session of its own, and the worker ends itself when
that server is gone, however it ended (even killed outright).

At each start the worker enqueues the batches a previous worker left unfinished (a restart, a
power cut); reading is idempotent page by page, so nothing is read or counted twice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time


def _exit_with(parent: int) -> None:
    """End this process when ``parent`` is gone: its page's transaction rolls back, and the batch
    resumes at the next start."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_worker(parent: int | None = None) -> None:
    """Run in this process (Django set up by the caller) until stopped."""
    from django.core.management import call_command

    from xuanju.counting.scan_batches import resume_unfinished

    if parent is not None:
        _exit_with(parent)
    resume_unfinished()
    call_command("db_worker", interval=1.0, reload=False, startup_delay=False, verbosity=0)


class WorkerProcess:
    """``xuanju worker`` as a child of ``xuanju serve``."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # A session of its own: Ctrl+C in the terminal reaches the server, which stops the worker.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "xuanju.cli", "worker", "--parent", str(os.getpid())],
            start_new_session=True,
        )

    def stop(self) -> None:
        process = self._process
        if process is not None:
            # The worker finishes the page it is reading; an interrupted batch resumes later.
            # It is not waited for here: the server's own shutdown must stay prompt.
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
