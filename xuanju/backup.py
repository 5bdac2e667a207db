"""``xuanju backup`` and ``xuanju restore``: a consistent, compressed, checksummed snapshot taken while
the server runs, and its restoration into an empty database followed by the audit verification.

A backup is one gzip-compressed tar file (``xuanju-backup-YYYYmmdd-HHMMSS.tar.gz``) holding:

- ``manifest.json``: ``"format": "xuanju.backup/1"``, the database engine, the time, the audit chain's
  record count and last hash at the moment of the snapshot, and the SHA-256 and size of every other
  member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while others write) or
  ``database.pgdump`` (``pg_dump`` custom format: one MVCC snapshot);
- ``data/…``: every other file of the data folder — the audit anchors (``*.log``, head files),
  stored documents (``media/``), the generated secret key — except the live database files, the
  collected static files and parked uploads (temporary, regenerated);
- the audit heads log (``settings.AUDIT_HEADS_LOG``) under its ``data/…`` name, or as
  ``audit-heads.log`` when it is kept outside the data folder. It is copied *before* the database
  snapshot: a line is appended only after its transaction committed, so every line of the copy names
  a state the snapshot holds, and ``verify`` after restore checks every line (a line past the
  restored chain's end still means deleted records, i.e. a tampered backup).

Next to it, ``….tar.gz.sha256`` in ``sha256sum`` format, for checking copies on other machines.
Restore refuses a file that is not such a backup, whose checksums do not match, whose engine is not
the configured one, or a target database that already has tables. An existing heads log at the
target (the log of the lost database, which runs ahead of the backup) is kept aside as
``audit-heads.log.before-restore-YYYYmmdd-HHMMSS`` and the backup's log takes its place.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "xuanju.backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
LIVE_DATABASE = ("xuanju.sqlite3", "xuanju.sqlite3-wal", "xuanju.sqlite3-shm", "xuanju.sqlite3-journal")
SKIPPED_FOLDERS = ("static", "uploads", "backups")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says why."""


@dataclass(frozen=True)
class Restored:
    engine: str
    created: str
    audit_records: int
    chain_broken: str | None  # None: the audit chain verified
    old_heads_log: str | None = None  # where a heads log found at the target was kept aside


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    from django.db import connection

    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（只支持 SQLite 和 PostgreSQL）")
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    """libpq's environment for the configured PostgreSQL database (the password never on a command line)."""
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"找不到 {command[0]}：请安装与数据库服务器同版本的 PostgreSQL 客户端（postgresql-client）"
        )
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip() or done.returncode}")


def _dump_database(engine: str, target: Path) -> None:
    from django.db import connection

    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # consistent even while the server writes
        finally:
            destination.close()
    else:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            "pg_dump 导出",
        )


def _data_files(data_dir: Path) -> list[Path]:
    files: list[Path] = []
    if not data_dir.is_dir():
        return files
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or path.is_symlink():
            continue
        if relative.parts[0] in SKIPPED_FOLDERS or (len(relative.parts) == 1 and path.name in LIVE_DATABASE):
            continue
        files.append(path)
    return files


HEADS_LOG_MEMBER = "audit-heads.log"  # the heads log's member when it lies outside the data folder


def _heads_log_member(data_dir: Path) -> tuple[str, Path] | None:
    """The heads log's member name and path (None: no log kept)."""
    from xuanju.audit.trail import heads_log_path

    path = heads_log_path()
    if path is None:
        return None
    path = path.absolute()
    try:
        return f"data/{path.relative_to(data_dir.absolute()).as_posix()}", path
    except ValueError:
        return HEADS_LOG_MEMBER, path


def _copy_heads_log(source: Path, copy: Path) -> None:
    """Copy the whole lines of the heads log (a line being appended right now is left out: the
    snapshot taken next holds its state anyway, and a log may end early)."""
    data = source.read_bytes() if source.exists() else b""
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(data[: data.rfind(b"\n") + 1])


def _chain_state() -> tuple[int, str]:
    from xuanju.audit.models import ChainHead

    head = ChainHead.objects.filter(pk=1).first()
    return (head.count, head.last_hash) if head else (0, "")


def backup(output: Path, data_dir: Path, now: datetime | None = None) -> Path:
    """Write a backup of the configured database and the data folder into ``output`` (a folder, or
    a file name ending in .tar.gz) and return its path."""
    engine = _engine()
    now = now or datetime.now().astimezone()
    if output.suffixes[-2:] != [".tar", ".gz"]:
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
        output = output / f"xuanju-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xuanju-backup-") as scratch:
        database = Path(scratch) / DATABASE_MEMBER[engine]
        heads_log = _heads_log_member(data_dir)
        staged: list[tuple[str, Path]] = []
        if heads_log is not None:  # before the snapshot: the log must not run ahead of it
            log_copy = Path(scratch) / "heads-log"
            _copy_heads_log(heads_log[1], log_copy)
            staged.append((heads_log[0], log_copy))
        records, last_hash = _chain_state()  # read before the snapshot: the snapshot holds at least these
        _dump_database(engine, database)
        members: list[tuple[str, Path]] = [(DATABASE_MEMBER[engine], database)]
        members += [
            (f"data/{p.relative_to(data_dir).as_posix()}", p)
            for p in _data_files(data_dir)
            if heads_log is None or p.absolute() != heads_log[1]
        ]
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "engine": engine,
            "created": now.isoformat(timespec="seconds"),
            "audit": {"records_at_least": records, "last_hash_before": last_hash},
            "files": {},
        }
        for name, copy in staged:
            manifest["files"][name] = {"sha256": _sha256(copy), "size": copy.stat().st_size}
        for name, path in members:
            copy = Path(scratch) / "files" / name if name.startswith("data/") else path
            if copy != path:  # data files are copied first, so the checksum matches what is archived
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, copy)
            manifest["files"][name] = {"sha256": _sha256(copy), "size": copy.stat().st_size}
            staged.append((name, copy))
        partial = output.with_name(output.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in staged:
                info = archive.gettarinfo(str(path), arcname=name)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)  # a backup file is either whole or absent
    checksum = output.with_name(output.name + ".sha256")
    checksum.write_text(f"{_sha256(output)}  {output.name}\n", encoding="utf-8")
    checksum.chmod(0o600)
    return output


# --- restore ---------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def read_backup(path: Path, scratch: Path) -> dict[str, Any]:
    """Check ``path`` and unpack it into ``scratch``; return its manifest. Refuses (BackupError)
    anything that is not a whole, unaltered xuanju backup."""
    foreign = f"{path.name} 不是 xuanju 备份文件（或已损坏）"
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text(encoding="utf-8").split()[:1]
        if expected and expected[0] != _sha256(path):
            raise BackupError(f"{path.name} 的校验值与 {sidecar.name} 不符：文件已损坏或被改动")
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            members = archive.getmembers()
            names = [m.name for m in members]
            if MANIFEST not in names:
                raise BackupError(foreign)
            handle = archive.extractfile(MANIFEST)
            if handle is None:
                raise BackupError(foreign)
            manifest = json.loads(handle.read().decode("utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(foreign)
            files: dict[str, Any] = manifest.get("files") or {}
            listed = set(files) | {MANIFEST}
            if set(names) != listed or len(names) != len(listed):
                raise BackupError(f"{path.name} 的内容与其清单不符：文件已损坏或被改动")
            for member in members:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"{path.name} 含有不允许的条目“{member.name}”")
                target = scratch / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                with target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                if _sha256(target) != files[member.name]["sha256"]:
                    raise BackupError(f"{path.name} 中的 {member.name} 校验值不符：文件已损坏或被改动")
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, TypeError, zlib.error) as error:
        if isinstance(error, FileNotFoundError) and not path.exists():
            raise BackupError(f"找不到备份文件 {path}") from None
        raise BackupError(foreign) from None
    if manifest.get("engine") not in DATABASE_MEMBER or DATABASE_MEMBER[manifest["engine"]] not in files:
        raise BackupError(foreign)
    return manifest


def _database_is_empty() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_file(path: Path, target: Path) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out, path.open("rb") as handle:
        shutil.copyfileobj(handle, out, CHUNK)


def _restore_files(source: Path, data_dir: Path, skip: Path | None = None) -> None:
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        target = data_dir / path.relative_to(source)
        if path.is_dir():
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
        elif path != skip:
            _restore_file(path, target)


def _restore_heads_log(scratch: Path, data_dir: Path, now: datetime) -> tuple[Path | None, Path | None]:
    """Put the backup's heads log in place (R-SUP-4). A log already there belongs to the lost
    database and runs ahead of the backup (docs/audit.md): it is kept aside under a dated name, never
    merged or overwritten. Returns (the backup's log in the scratch folder, where the old log went)."""
    member = _heads_log_member(data_dir)
    if member is None:
        return None, None
    name, live = member
    unpacked = scratch / name
    if not unpacked.is_file():  # a backup of a folder without a log, or one whose log lay elsewhere
        unpacked = next(
            (p for p in (scratch / HEADS_LOG_MEMBER, scratch / "data" / live.name) if p.is_file()), unpacked
        )
    kept: Path | None = None
    if live.exists():
        kept = live.with_name(f"{live.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        counter = 1
        while kept.exists():
            counter += 1
            kept = live.with_name(f"{live.name}.before-restore-{now:%Y%m%d-%H%M%S}-{counter}")
        os.replace(live, kept)
    if unpacked.is_file():
        _restore_file(unpacked, live)
        return unpacked, kept
    return None, kept


def restore(path: Path, data_dir: Path) -> Restored:
    """Restore the backup at ``path`` into the configured (empty) database and the data folder, then
    verify the audit chain (R-SUP-4)."""
    from django.db import connection

    from xuanju.audit.trail import verify_chain

    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="xuanju-restore-") as scratch_name:
        scratch = Path(scratch_name)
        manifest = read_backup(path, scratch)
        if manifest["engine"] != engine:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"这是 {names[manifest['engine']]} 数据库的备份，当前配置的是 {names[engine]} 数据库；"
                "请在同类数据库中恢复（DATABASE_URL）"
            )
        if not _database_is_empty():
            raise BackupError("目标数据库不是空的：只能恢复到新建的空数据库中，以免覆盖现有数据")
        database = scratch / DATABASE_MEMBER[engine]
        if engine == "sqlite":
            target = Path(connection.settings_dict["NAME"])
            connection.close()
            source = sqlite3.connect(database)
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                source.close()
                destination.close()
        else:
            connection.close()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    _pg_environment()["PGDATABASE"],
                    str(database),
                ],
                "pg_restore 恢复",
            )
        log_source, kept = _restore_heads_log(scratch, data_dir, datetime.now().astimezone())
        _restore_files(scratch / "data", data_dir, skip=log_source)
    with contextlib.suppress(Exception):
        connection.close()
    checked, broken = verify_chain()
    if broken is None and checked < manifest["audit"]["records_at_least"]:
        broken_text: str | None = (
            f"恢复的审计记录（{checked} 条）少于备份时已有的 {manifest['audit']['records_at_least']} 条"
        )
    else:
        broken_text = None if broken is None else f"第 {broken.record_id} 号记录：{broken.reason}"
    return Restored(engine, manifest["created"], checked, broken_text, str(kept) if kept else None)
