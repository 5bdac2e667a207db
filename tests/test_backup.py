"""Backups and restore (`xuanju backup`, `xuanju restore`) on SQLite and PostgreSQL: a backup taken
in the middle of a count, while another process keeps entering ballots, restores into an empty
database with every ballot acknowledged before the backup began, the audit chain verified and the
data folder's anchor files back; a damaged or foreign file and a non-empty target are refused.

Everything runs as administrators run it, in separate processes (tests/counting/test_crash.py
builds the election the same way). The PostgreSQL case needs DATABASE_URL (the server and name
prefix of the throw-away databases it creates)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

# The PostgreSQL case backs up and restores databases of its own: it runs in the PostgreSQL pass.
pytestmark = pytest.mark.database_engine
ROOT = Path(__file__).resolve().parent.parent
XUANJU = Path(sys.executable).parent / "xuanju"

SETUP = """
import json, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", interactive=False, verbosity=0)
from tests.counting.world import open_round_world
world = open_round_world(timezone.localdate(), issued=20, method="single_entry")  # one counter types, a scrutineer confirms later
print(json.dumps({"round": world.round.pk, "keys": world.keys()}))
"""

# Enters 20 ballots one by one; a ballot's id is printed only after its transaction committed
# (the acknowledgement a counter would see).
WRITER = """
import json, sys, time, django
django.setup()
from xuanju.elections import actions
from xuanju.elections.models import Round
round_id, keys = int(sys.argv[1]), json.loads(sys.argv[2])
for n in range(20):
    entry = actions.record_ballot("counter", Round.objects.get(pk=round_id), keys[: 1 + n % 5], keys[5:], [])
    print(entry.pk, flush=True)
    time.sleep(0.05)
"""

CHECK = """
import json, django
django.setup()
from xuanju.audit.models import AuditRecord
from xuanju.audit.trail import verify_chain
from xuanju.elections.models import BallotEntry
checked, broken = verify_chain()
print(json.dumps({
    "ballots": sorted(BallotEntry.objects.values_list("pk", flat=True)),
    "recorded": AuditRecord.objects.filter(action="record_ballot").count(),
    "chain_ok": broken is None,
    "records": checked,
}))
"""


def _postgres_url(name: str) -> str:
    base = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(base._replace(path=f"/{base.path.lstrip('/')}_{name}"))


def _fresh_postgres(name: str, create: bool = True) -> str:
    url = _postgres_url(name)
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    database = urlsplit(url).path.lstrip("/")
    statements = [f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)']
    if create:
        statements.append(f'CREATE DATABASE "{database}"')
    for sql in statements:
        subprocess.run(["psql", "-q", "-X", admin, "-c", sql], check=True, capture_output=True, timeout=60)
    return url


def _env(data: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {
        "XUANJU_DATA": str(data),
        "XUANJU_SECRET_KEY": "backup-test-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "xuanju.settings",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _script(script: str, env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _xuanju(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(XUANJU), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, dict]:
    """A SQLite data folder where SETUP ran once (migrated, round 1 open) and what it printed.

    Migrating a fresh database and building the election in a new process is the same work for every
    SQLite test and not what they check: each copies this folder (database, heads log, modes kept)."""
    data = tmp_path_factory.mktemp("seeded") / "data"
    return data, _script(SETUP, _env(data, None))


def _set_up(env: dict[str, str], seeded: tuple[Path, dict]) -> dict:
    """SETUP on the source of ``env``: run on PostgreSQL, copied from ``seeded`` on SQLite."""
    if "DATABASE_URL" in env:
        return _script(SETUP, env)
    shutil.copytree(seeded[0], env["XUANJU_DATA"])
    return seeded[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    """(source environment, target environment) on the engine of the parameter."""
    if request.param == "sqlite":
        yield _env(tmp_path / "src", None), _env(tmp_path / "dst", None)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the PostgreSQL backup test needs DATABASE_URL=postgresql://…/<name>")
    source = _env(tmp_path / "src", _fresh_postgres("bsrc"))
    target = _env(tmp_path / "dst", _fresh_postgres("bdst"))
    yield source, target
    for name in ("bsrc", "bdst"):
        _fresh_postgres(name, create=False)


def test_a_backup_taken_mid_count_restores_every_acknowledged_ballot(databases, seeded, tmp_path):
    source, target = databases
    # With PostgreSQL nothing else creates the data folder, and the heads log is not written without it.
    if "DATABASE_URL" in source:
        Path(source["XUANJU_DATA"]).mkdir(mode=0o700, exist_ok=True)
    world = _set_up(source, seeded)
    anchors = Path(source["XUANJU_DATA"]) / "audit-heads.log"  # written by the setup's records
    assert anchors.read_text().strip()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(world["round"]), json.dumps(world["keys"])],
        env=source,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = [int(writer.stdout.readline()) for _ in range(6)]
    backups = tmp_path / "backups"
    done = _xuanju(source, "backup", str(backups))  # while the writer goes on entering ballots
    rest, errors = writer.communicate(timeout=180)
    assert writer.returncode == 0, errors
    assert done.returncode == 0, done.stderr
    total = acknowledged + [int(line) for line in rest.split()]
    assert len(total) == 20
    (archive,) = backups.glob("xuanju-backup-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert (backups / (archive.name + ".sha256")).read_text().split()[1] == archive.name

    restored = _xuanju(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "审计链完整" in restored.stdout
    found = _script(CHECK, target)
    assert set(acknowledged) <= set(found["ballots"]) <= set(total)
    assert found["chain_ok"] and found["recorded"] == len(found["ballots"])
    # The backup's heads log came back: a part of the source's log (copied before the snapshot, so
    # it never names a record the snapshot lacks), while the source's log went on to all 20 ballots.
    log = (Path(target["XUANJU_DATA"]) / "audit-heads.log").read_text()
    assert log and anchors.read_text().startswith(log)
    assert max(int(line.split()[0]) for line in log.splitlines()) <= found["records"]
    assert oct(Path(target["XUANJU_DATA"], "audit-heads.log").stat().st_mode & 0o777) == "0o600"

    # Into a database that is not empty: refused, nothing changed.
    again = _xuanju(target, "restore", str(archive))
    assert again.returncode == 2 and "目标数据库不是空的" in again.stderr
    assert _script(CHECK, target)["ballots"] == found["ballots"]


def test_a_damaged_or_foreign_file_is_refused(seeded, tmp_path):
    source, target = _env(tmp_path / "src", None), _env(tmp_path / "dst", None)
    _set_up(source, seeded)
    assert _xuanju(source, "backup", str(tmp_path / "b" / "one.tar.gz")).returncode == 0
    good = (tmp_path / "b" / "one.tar.gz").read_bytes()

    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(
        good[: len(good) // 2] + bytes([good[len(good) // 2] ^ 0xFF]) + good[len(good) // 2 + 1 :]
    )
    result = _xuanju(target, "restore", str(damaged))
    assert result.returncode == 2 and "损坏" in result.stderr, result.stderr

    # The sidecar checksum catches a change even where gzip would not look.
    (tmp_path / "b" / "one.tar.gz.sha256").write_text("0" * 64 + "  one.tar.gz\n")
    result = _xuanju(target, "restore", str(tmp_path / "b" / "one.tar.gz"))
    assert result.returncode == 2 and "校验值" in result.stderr

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        data = b'{"format": "something.else/1"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    for path in (foreign, tmp_path / "missing.tar.gz", Path(ROOT / "pyproject.toml")):
        result = _xuanju(target, "restore", str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "不是 xuanju 备份文件" in result.stderr or "找不到" in result.stderr
    # Nothing was restored by any of them: the target database is still empty.
    assert _xuanju(target, "restore", str(tmp_path / "b" / "one.tar.gz")).returncode == 2


def _rewrite_member(archive: Path, name: str, change) -> None:
    """Rewrite one member of a backup with its manifest and sidecar made to match (a careful forger)."""
    import hashlib

    with tarfile.open(archive, "r:gz") as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    contents[name] = change(contents[name])
    manifest = json.loads(contents["manifest.json"])
    manifest["files"][name] = {
        "sha256": hashlib.sha256(contents[name]).hexdigest(),
        "size": len(contents[name]),
    }
    contents["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in contents.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.with_name(archive.name + ".sha256").write_text(f"{digest}  {archive.name}\n")


def test_restore_keeps_an_existing_heads_log_aside_and_checks_the_backups_log(seeded, tmp_path):
    source = _env(tmp_path / "src", None)
    _set_up(source, seeded)
    archive = tmp_path / "b" / "one.tar.gz"
    assert _xuanju(source, "backup", str(archive)).returncode == 0
    backed_up = (Path(source["XUANJU_DATA"]) / "audit-heads.log").read_text()

    # The target folder still holds the log of a lost database that ran further: kept aside, whole.
    target = _env(tmp_path / "dst", None)
    stale = Path(target["XUANJU_DATA"]) / "audit-heads.log"
    stale.parent.mkdir(mode=0o700, parents=True)
    stale.write_text(backed_up + "999999 " + "ab" * 32 + " 2026-01-01T00:00:00Z\n")
    done = _xuanju(target, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    (kept,) = stale.parent.glob("audit-heads.log.before-restore-*")
    assert kept.read_text().endswith("999999 " + "ab" * 32 + " 2026-01-01T00:00:00Z\n")
    assert stale.read_text() == backed_up and "另存为" in done.stdout
    assert oct(stale.stat().st_mode & 0o777) == "0o600"

    # A backup whose log names records its database lacks (the tail was cut) still fails.
    _rewrite_member(archive, "data/audit-heads.log", lambda data: data + b"999999 " + b"ab" * 32 + b"\n")
    again = _env(tmp_path / "dst2", None)
    failed = _xuanju(again, "restore", str(archive))
    assert failed.returncode != 0 and "审计链核验失败" in failed.stderr, failed.stderr
