"""Files at rest: the data folder is 0700 and the SQLite database, its WAL and shared-memory files,
the secret key and every stored file are 0600, whatever the umask of the process that made them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (x TEXT)")
    cursor.execute("INSERT INTO probe VALUES ('110105198503120026')")
    print(cursor.execute("PRAGMA journal_mode").fetchone()[0])
    print(default_storage.save("documents/2026/approval.pdf", ContentFile(b"%PDF-1.4 approval")))
    # The WAL and shared-memory files exist while a connection is open: their modes, read now.
    from pathlib import Path
    from django.conf import settings
    for suffix in ("-wal", "-shm"):
        print(oct(Path(settings.DATABASES["default"]["NAME"] + suffix).stat().st_mode & 0o777))
"""


def _run(data: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XUANJU_SECRET_KEY")}
    env |= {"XUANJU_DATA": str(data), "DJANGO_SETTINGS_MODULE": "xuanju.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022)\n{SCRIPT}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_a_new_data_folder_is_private(tmp_path):
    data = tmp_path / "data"
    journal, stored, wal, shm = _run(data)
    assert (journal, wal, shm) == ("wal", "0o600", "0o600")
    assert _mode(data) == "0o700"
    for name in ("xuanju.sqlite3", "secret_key"):
        assert _mode(data / name) == "0o600", name
    assert _mode(data / "media" / stored) == "0o600"
    assert _mode(data / "media") == "0o700"
    assert _mode(data / "media" / "documents" / "2026") == "0o700"


def test_an_existing_loose_data_folder_is_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    for name in ("xuanju.sqlite3", "secret_key"):
        (data / name).touch()
        (data / name).chmod(0o644)
    (data / "secret_key").write_text("an-old-key-kept-from-an-earlier-version", encoding="utf-8")
    _journal, _stored, wal, shm = _run(data)
    assert _mode(data) == "0o700"
    assert (_mode(data / "xuanju.sqlite3"), wal, shm) == ("0o600", "0o600", "0o600")
    assert _mode(data / "secret_key") == "0o600"
    assert (data / "secret_key").read_text(encoding="utf-8") == "an-old-key-kept-from-an-earlier-version"
