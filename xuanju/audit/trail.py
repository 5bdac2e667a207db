"""Writing and verifying the audit trail (R-SUP-4).

Besides the hash chain in the database, three things outside it make a rewrite show:

- **anchors** (审计校验码, :mod:`xuanju.audit.anchor`): each signed paper prints the position and a
  64-bit digest of the chain at the record of the event it certifies (:func:`anchor_of`);
  :func:`check_anchor` tells whether the chain still holds exactly that state there;
- an optional **key** in the environment (``XUANJU_AUDIT_KEY``, never in the database): each record
  then carries an HMAC of its hash, which nobody holding only the database can forge;
- the **heads log** (``settings.AUDIT_HEADS_LOG``, default ``<data>/audit-heads.log``): after each
  transaction that appended records, one line "position hash time", opened with O_APPEND, mode 0600.

:func:`verify` checks the records, the head, the MACs (with the key) and every line of the heads
log, and names the first bad position. Nothing is cached between calls: several processes write.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from xuanju.audit import anchor as anchors
from xuanju.audit.models import GENESIS, AuditRecord, ChainHead

KEY_ENV = "XUANJU_AUDIT_KEY"
logger = logging.getLogger("xuanju.audit")
_HEAD_LINE = re.compile(r"(\d+)\s+([0-9a-f]{64})(?:\s.*)?")


def audit_key() -> bytes | None:
    """The MAC key from the environment, read each time (it is never stored in the database)."""
    value = os.environ.get(KEY_ENV, "")
    return value.encode("utf-8") if value else None


def heads_log_path() -> Path | None:
    """Where each new head is appended (None: not kept, as in the test settings)."""
    value = getattr(settings, "AUDIT_HEADS_LOG", None)
    return Path(value) if value else None


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model instance's concrete fields (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        data[field.attname] = value.name if isinstance(field, models.FileField) else value
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def record(
    actor: str,
    action: str,
    instance: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditRecord:
    """Append one record to the chain, inside the caller's transaction.

    The head row is locked for update so that concurrent writers append one after the other on
    PostgreSQL; SQLite serializes writers with BEGIN IMMEDIATE (settings).
    """
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            if AuditRecord.objects.exists():  # never start a new head over records: it would hide a cut
                raise PermissionError(
                    "审计链头记录缺失，审计链已断开，停止写入；请运行 xuanju audit verify（R-SUP-4）"
                )
            head = ChainHead.objects.create(pk=1)
        entry = AuditRecord(
            at=timezone.now().replace(microsecond=0),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:500],
            before=before,
            after=after,
            previous_hash=head.last_hash,
        )
        # Round-trip the JSON so the hash is over exactly what the database gives back.
        entry.before = json.loads(json.dumps(before, cls=DjangoJSONEncoder)) if before is not None else None
        entry.after = json.loads(json.dumps(after, cls=DjangoJSONEncoder)) if after is not None else None
        entry.hash = entry.compute_hash()
        key = audit_key()
        if key is not None:
            entry.mac = entry.compute_mac(key)
        entry.save()
        head.last_hash = entry.hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
        _log_head_on_commit()
    return entry


def _log_head_on_commit() -> None:
    """Once per transaction, whatever the number of records it appends: after the commit, append the
    head as it then stands to the heads log. A callback registered in a savepoint that is rolled
    back is dropped by Django, and the next record registers it again."""
    if heads_log_path() is None:
        return
    connection = transaction.get_connection()
    if any(func is _append_head for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_append_head, robust=True)


def _append_head() -> None:
    """One short line, one write(2) with O_APPEND (whole lines, even from several processes).

    No fsync: the log is evidence against a later rewrite, not a journal; a line lost to a power cut
    only makes the log end a little earlier, which verify accepts, and a sync per transaction would
    put a disk flush on every click. The head is read after the commit: whatever it says is a state
    the chain really reached (another process may have moved it further; its line is true too)."""
    path = heads_log_path()
    head = ChainHead.objects.filter(pk=1).values_list("count", "last_hash").first()
    if path is None or head is None or head[0] == 0:
        return
    line = f"{head[0]} {head[1]} {timezone.now():%Y-%m-%dT%H:%M:%SZ}\n"
    try:
        # The data folder may not exist yet where the database is elsewhere (PostgreSQL).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)
    except OSError:
        logger.exception("could not append the audit chain head to %s", path)


@dataclass(frozen=True)
class ChainBreak:
    record_id: int  # the first bad record's id; 0 at the tail (records missing after the last)
    reason: str  # Chinese
    position: int = 0  # the first bad position in the chain (1-based); 0 where unknown


@dataclass(frozen=True)
class Verification:
    checked: int  # records verified, from the first
    broken: ChainBreak | None
    keyed: int = 0  # records whose MAC was checked (with the key)
    log_lines: int = 0  # lines of the heads log checked against the chain
    notes: tuple[str, ...] = ()  # what was not checked and why (Chinese)
    anchored_at: int | None = None  # where the anchor asked about was found, if any
    length: int = 0  # records walked (the chain's length when nothing broke)
    last_id: int = 0  # the last record walked, and its hash: where a checkpoint can be set
    last_hash: str = ""
    since: int = 0  # 0: walked from the first record; else trusted up to this checkpoint position
    since_at: datetime | None = None  # when that checkpoint's full walk was made

    @property
    def intact(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class Anchor:
    """The audit record a paper certifies and its place in the chain."""

    position: int
    record: AuditRecord

    @property
    def code(self) -> str:
        """第1234条 4436-7F3A-91C2-0B5E"""
        return anchors.anchor_code(self.position, self.record.hash)

    @property
    def text(self) -> str:
        """审计校验码 第1234条 4436-7F3A-91C2-0B5E"""
        return anchors.anchor_text(self.position, self.record.hash)


def anchor_of(*objects: models.Model, actions: tuple[str, ...] = ()) -> Anchor | None:
    """The newest record on any of ``objects`` (with one of ``actions``, if given): the event a
    printed paper certifies, e.g. a round's ``close_round`` or an approval's ``decide``. The same
    records give the same anchor, so a paper generated again reads the same."""
    where = Q()
    for instance in objects:
        where |= Q(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    if not objects:
        return None
    found = AuditRecord.objects.filter(where)
    if actions:
        found = found.filter(action__in=actions)
    entry = found.order_by("-pk").first()
    if entry is None:
        return None
    return Anchor(AuditRecord.objects.filter(pk__lte=entry.pk).count(), entry)


@dataclass(frozen=True)
class AnchorCheck:
    holds: bool
    anchor: anchors.ParsedAnchor
    message: str  # Chinese
    verification: Verification


def record_deletion(
    actor: str,
    action: str,
    instance: models.Model,
    *,
    summary: str = "",
    before: dict[str, Any] | None = None,
) -> AuditRecord:
    """Delete ``instance`` and append its record, keeping what it was (``before``: its snapshot
    unless the caller keeps less, e.g. to leave private findings out of the trail)."""
    before = snapshot(instance) if before is None else before
    object_type, object_id = instance._meta.label_lower, str(instance.pk)
    instance.delete()
    return record(actor, action, object_type=object_type, object_id=object_id, before=before, summary=summary)


def verify_chain(batch: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return how many records were checked and the first break."""
    result = verify(batch)
    return result.checked, result.broken


def verify(batch: int = 2000, anchor: anchors.ParsedAnchor | None = None) -> Verification:
    """Walk the chain from the first record and report the first break, by position (R-SUP-4).

    Checks each record's link and hash; with the key, its MAC (a record without one after the first
    keyed record is a break); the head: missing, behind or ahead of the records is a break; and every
    line of the heads log against the record at its position (a line past the end: the tail was
    deleted). ``anchor``: also find the position where this printed digest matches (before any break).
    Memory: 40 bytes a record while a heads log is kept (its lines are streamed, not loaded)."""
    key = audit_key()
    notes: list[str] = []
    if key is None:
        notes.append(f"未设置密钥（{KEY_ENV}），未核对密钥校验码")
    log_path, log_note = _heads_log_to_check()
    if log_note:
        notes.append(log_note)
    hashes, ids = bytearray(), array("q")  # the walked chain, for the heads log
    previous = GENESIS
    position = 0
    keyed = 0
    anchored_at: int | None = None
    broken: ChainBreak | None = None
    last_id = 0
    for entry in _in_order(batch):
        position += 1
        broken = _check_entry(entry, previous, position, key, keyed)
        if broken is not None:
            break
        if key is not None and entry.mac:
            keyed += 1
        if log_path is not None:
            hashes += bytes.fromhex(entry.hash)
            ids.append(entry.pk)
        if (
            anchor is not None
            and anchored_at is None
            and anchor.position in (None, position)
            and anchors.digest(position, entry.hash) == anchor.digest
        ):
            anchored_at = position
        previous = entry.hash
        last_id = entry.pk
    walked = position - 1 if broken is not None else position  # verified from the first
    if broken is None:
        broken = _check_head(position, previous)
    log_lines = 0
    if log_path is not None:
        log_break, log_lines, log_note = _check_heads_log(log_path, hashes, ids, position, broken is None)
        if log_note:
            notes.append(log_note)
        if log_break is not None and (broken is None or log_break.position < broken.position):
            broken = log_break
    if broken is None and key is not None and position and not keyed:
        broken = ChainBreak(
            0,
            "设置了密钥，但没有一条记录带密钥校验码：若密钥刚刚启用，任一操作之后再核验；"
            "否则链被不持有密钥的人改写过",
            1,
        )
    checked = walked if broken is None else min(walked, broken.position - 1)
    if anchored_at is not None and broken is not None and anchored_at >= broken.position:
        anchored_at = None  # the state it names is not vouched for any more
    return Verification(
        checked=checked,
        broken=broken,
        keyed=keyed,
        log_lines=log_lines,
        notes=tuple(notes),
        anchored_at=anchored_at,
        length=position,
        last_id=last_id,
        last_hash=previous,
    )


def _check_entry(
    entry: AuditRecord, previous: str, position: int, key: bytes | None, keyed: int
) -> ChainBreak | None:
    if entry.previous_hash != previous:
        return ChainBreak(entry.pk, "与上一条记录的链接不符（前一条记录被修改、删除或插入了记录）", position)
    if entry.compute_hash() != entry.hash:
        return ChainBreak(entry.pk, "内容与其哈希值不符（这条记录被修改过）", position)
    if key is not None:
        if entry.mac:
            if not hmac.compare_digest(entry.mac, entry.compute_mac(key)):
                return ChainBreak(
                    entry.pk,
                    "密钥校验码不符（这条记录或它之前的记录被改写后重算过，或者密钥不对）",
                    position,
                )
        elif keyed:
            return ChainBreak(
                entry.pk, "没有密钥校验码，而它之前的记录有（记录被不持有密钥的人改写过）", position
            )
    return None


def _check_head(length: int, last_hash: str) -> ChainBreak | None:
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:  # never "nothing to check": the head vouches for the tail
        return ChainBreak(
            0, "链头记录不见了（audit_chainhead 被删除），无法确认最后的记录没有被删除", length + 1
        )
    if head.count > length:
        return ChainBreak(
            0, f"链头记着 {head.count} 条记录，实有 {length} 条（最后的记录被删除）", length + 1
        )
    if head.count < length:
        extra = AuditRecord.objects.order_by("pk")[head.count : head.count + 1].first()
        return ChainBreak(
            extra.pk if extra else 0,
            f"链头记着 {head.count} 条记录，实有 {length} 条（链头之后的记录不是由本系统写入的）",
            head.count + 1,
        )
    if head.last_hash != last_hash:
        return ChainBreak(0, "链头记着的哈希值与最后一条记录不符（最后的记录被改写）", max(length, 1))
    return None


def _heads_log_to_check() -> tuple[Path | None, str]:
    path = heads_log_path()
    if path is None:
        return None, "未设置审计链头记录文件，未与之对照"
    if not path.exists():
        return None, f"审计链头记录文件 {path} 不存在，未与之对照"
    return path, ""


def _check_heads_log(
    path: Path, hashes: bytearray, ids: array[int], length: int, whole: bool
) -> tuple[ChainBreak | None, int, str]:
    """The first position where a line of the log disagrees with the walked chain (``hashes``,
    ``ids``: the records verified so far; ``whole``: the walk reached the end and the head agreed,
    so a line past ``length`` means deleted records). Returns it, the lines read and a note on what
    could not be read."""
    walked = len(ids)
    first: ChainBreak | None = None
    lines = 0
    unreadable: list[int] = []
    try:
        with path.open(encoding="ascii", errors="replace") as log:
            for number, line in enumerate(log, start=1):
                match = _HEAD_LINE.fullmatch(line.strip())
                if match is None:
                    if line.strip():
                        unreadable.append(number)
                    continue
                lines += 1
                position, logged = int(match.group(1)), match.group(2)
                found: ChainBreak | None = None
                if 0 < position <= walked:
                    if hashes[(position - 1) * 32 : position * 32].hex() != logged:
                        found = ChainBreak(
                            ids[position - 1],
                            f"与审计链头记录文件第 {number} 行记下的不同（这条记录或它之前的记录被改写后重算过）",
                            position,
                        )
                elif position > length and whole:
                    found = ChainBreak(
                        0,
                        f"审计链头记录文件第 {number} 行记着第 {position} 条，审计链只有 {length} 条"
                        "（最后的记录被删除）",
                        length + 1,
                    )
                if found is not None and (first is None or found.position < first.position):
                    first = found
    except OSError as error:
        return first, lines, f"审计链头记录文件 {path} 读取出错（{error.strerror}），只对照了前 {lines} 行"
    note = (
        f"审计链头记录文件第 {'、'.join(map(str, unreadable[:5]))} 行无法识别，已跳过" if unreadable else ""
    )
    return first, lines, note


def check_anchor(text: str, batch: int = 2000) -> AnchorCheck:
    """Whether the chain still holds exactly the state a printed 审计校验码 names (R-SUP-4).

    Raises :class:`~xuanju.audit.anchor.AnchorSyntax` for text that is no anchor at all."""
    parsed = anchors.parse(text)
    result = verify(batch, parsed)
    code = anchors.grouped(parsed.digest)
    at = result.anchored_at
    broken = result.broken
    if at is not None:
        message = f"审计校验码 第{at}条 {code} 相符：审计链第 {at} 条及其之前的记录仍是打印时的样子"
        return AnchorCheck(True, parsed, message, result)
    where = f"第{parsed.position}条" if parsed.position else "任何一条"
    if (
        broken is not None
        and broken.position
        and (parsed.position is None or broken.position <= parsed.position)
    ):
        message = f"审计链在第 {broken.position} 条处断开，{where}的校验码 {code} 无法印证"
    elif parsed.position is not None and parsed.position > result.length:
        message = (
            f"审计链只有 {result.length} 条记录，没有第 {parsed.position} 条：记录被删除了（或校验码抄错了）"
        )
    elif parsed.position is not None:
        message = (
            f"审计链第 {parsed.position} 条与校验码 {code} 不符：这条或它之前的记录被改写过（或校验码抄错了）"
        )
    else:
        message = f"审计链中没有一条与校验码 {code} 相符：记录被改写或删除过（或校验码抄错了）"
    return AnchorCheck(False, parsed, message, result)


def _in_order(batch: int) -> Iterator[AuditRecord]:
    last_id = 0
    while True:
        page = list(AuditRecord.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not page:
            return
        yield from page
        last_id = page[-1].pk
