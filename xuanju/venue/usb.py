"""Automatic backups to the venue's USB stick while the meeting runs.

Every ``interval`` seconds, if the audit chain moved since the last backup (every change at the
meeting appends to it), ``xuanju backup`` writes a new backup file into the stick's folder; the
newest ``KEEP`` are kept. A second laptop restores the newest one (``xuanju restore``) and goes on
(docs/venue.md). Backups run in a thread of the ``xuanju venue`` process, beside the web server.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection

from xuanju.audit.models import ChainHead
from xuanju.backup import BackupError, backup

KEEP = 20
logger = logging.getLogger("xuanju.venue")


def chain_position() -> int:
    head = ChainHead.objects.filter(pk=1).first()
    return head.count if head else 0


def backup_to(folder: Path) -> Path:
    """One backup of the venue's database and data folder into ``folder``, the older ones pruned."""
    written = backup(folder, Path(settings.DATA_DIR))
    olds = sorted(folder.glob("xuanju-backup-*.tar.gz"))[:-KEEP]
    for old in olds:
        old.unlink(missing_ok=True)
        old.with_name(old.name + ".sha256").unlink(missing_ok=True)
    return written


class AutoBackup:
    def __init__(self, folder: Path, interval: float = 30.0) -> None:
        self.folder = folder
        self.interval = interval
        self.last_position = -1
        self.last_file: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> Path | None:
        """Back up if anything changed since the last backup; the file written, or None."""
        position = chain_position()
        if position == self.last_position:
            return None
        self.last_file = backup_to(self.folder)
        self.last_position = position
        return self.last_file

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                close_old_connections()
                self.run_once()
            except (BackupError, OSError) as error:  # a stick pulled out: say so, keep the meeting going
                logger.error("自动备份到 U 盘失败：%s", error)
        connection.close()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="xuanju-usb-backup", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
