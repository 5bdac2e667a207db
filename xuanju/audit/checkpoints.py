"""Verifying the audit chain from the newest checkpoint on (R-SUP-4), so that a page need not walk it all.

A full walk (:func:`xuanju.audit.trail.verify`: every record from the first, the head, the MACs with
the key, every line of the heads log) takes seconds at a county's 100,000+ records. After a full walk
that found no break, :func:`record` stores a :class:`~xuanju.audit.models.Checkpoint` at the chain's
end: the position, the record there and its hash (the state a 审计校验码 anchors, see
:mod:`xuanju.audit.anchor`), and with the key a MAC over them. :func:`verify_since` — what the trail
page shows — then checks:

- the checkpoint itself: with the key, its MAC (a checkpoint forged in the database is not used);
  the record it names still exists, still has that hash, its content still hashes to it, and exactly
  ``position - 1`` records still come before it (a record deleted or inserted before it shows);
- every record after it, one by one, as the full walk does (link, hash, MAC with the key), up to the
  head as it stood when the check began, and the head's count and hash.

What it does **not** check: the content of records before the checkpoint (an edit there that leaves
the checkpoint's record and the count alone, i.e. a rewrite of the chain by someone able to lift the
database's triggers, is found by the next full walk: ``xuanju audit verify``, run on a schedule, see
deploy/systemd/xuanju-audit-verify.timer), nor the heads log. Without a usable checkpoint it walks the
whole chain, as before, and stores one.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.utils import timezone

from xuanju.audit.models import AuditRecord, ChainHead, Checkpoint
from xuanju.audit.trail import ChainBreak, Verification, _check_entry, _check_head, audit_key, verify


def record(result: Verification) -> Checkpoint | None:
    """Store the end of a full walk from the first record that found no break as a checkpoint."""
    if not result.intact or result.since or not result.length or not result.last_id:
        return None
    point = Checkpoint(
        position=result.length,
        record_id=result.last_id,
        record_hash=result.last_hash,
        keyed=result.keyed,
        verified_at=timezone.now(),
    )
    key = audit_key()
    if key is not None:
        point.mac = point.compute_mac(key)
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError:  # another process stored this position first
        return Checkpoint.objects.filter(position=result.length).first()
    return point


def newest() -> tuple[Checkpoint | None, str]:
    """The newest checkpoint this process can trust, and why a newer one was passed over (Chinese)."""
    key = audit_key()
    passed = ""
    for point in Checkpoint.objects.order_by("-position")[:5]:
        if key is None:
            return point, passed
        if point.mac and hmac.compare_digest(point.mac, point.compute_mac(key)):
            return point, passed
        passed = f"第 {point.position} 条处的核验点没有相符的密钥校验码，未采用"
    return None, passed


def verify_since(batch: int = 2000) -> Verification:
    """The chain checked from the newest trusted checkpoint to the head (a full walk without one)."""
    point, passed = newest()
    if point is None:
        result = verify(batch)
        record(result)
        return result if not passed else _noted(result, passed)
    head = ChainHead.objects.filter(pk=1).values_list("count", "last_hash").first()
    broken = _check_point(point)
    if broken is not None:
        return Verification(checked=0, broken=broken, since=point.position, since_at=point.verified_at)
    if head is None or head[0] < point.position:
        broken = _check_head(point.position, point.record_hash)  # missing or behind: a break
        return Verification(
            checked=point.position, broken=broken, since=point.position, since_at=point.verified_at
        )
    key = audit_key()
    target, head_hash = head
    position, previous, keyed, last_id = point.position, point.record_hash, point.keyed, point.record_id
    for entry in _after(point.record_id, target - point.position, batch):
        position += 1
        broken = _check_entry(entry, previous, position, key, keyed)
        if broken is not None:
            break
        if key is not None and entry.mac:
            keyed += 1
        previous, last_id = entry.hash, entry.pk
    if broken is None and position < target:
        broken = ChainBreak(
            0, f"链头记着 {target} 条记录，实有 {position} 条（最后的记录被删除）", position + 1
        )
    if broken is None and head_hash != previous:
        broken = ChainBreak(0, "链头记着的哈希值与最后一条记录不符（最后的记录被改写）", max(position, 1))
    if broken is None and key is not None and position and not keyed:
        broken = ChainBreak(0, "设置了密钥，但没有一条记录带密钥校验码", 1)
    checked = position if broken is None else broken.position - 1
    notes = (passed,) if passed else ()
    return Verification(
        checked=checked,
        broken=broken,
        keyed=keyed,
        notes=notes,
        length=position,
        last_id=last_id,
        last_hash=previous,
        since=point.position,
        since_at=point.verified_at,
    )


def _check_point(point: Checkpoint) -> ChainBreak | None:
    """The checkpoint's record is still there, unchanged, at the same place in the chain."""
    entry = AuditRecord.objects.filter(pk=point.record_id).first()
    if entry is None:
        return ChainBreak(
            point.record_id, "核验点处的记录不见了（记录被删除）；请运行 xuanju audit verify", point.position
        )
    if entry.hash != point.record_hash or entry.compute_hash() != entry.hash:
        return ChainBreak(
            entry.pk,
            "核验点处的记录与核验时不同（这条记录或它之前的记录被改写过）；请运行 xuanju audit verify",
            point.position,
        )
    before = AuditRecord.objects.filter(pk__lt=point.record_id).count()
    if before != point.position - 1:
        return ChainBreak(
            entry.pk,
            f"核验点之前应有 {point.position - 1} 条记录，现有 {before} 条（记录被删除或插入）；"
            "请运行 xuanju audit verify",
            min(point.position, before + 1),
        )
    return None


def _after(record_id: int, limit: int, batch: int) -> Iterator[AuditRecord]:
    """Up to ``limit`` records after ``record_id``, in chain order."""
    last_id = record_id
    while limit > 0:
        page = list(AuditRecord.objects.filter(pk__gt=last_id).order_by("pk")[: min(batch, limit)])
        if not page:
            return
        yield from page
        limit -= len(page)
        last_id = page[-1].pk


def _noted(result: Verification, note: str) -> Verification:
    return Verification(
        checked=result.checked,
        broken=result.broken,
        keyed=result.keyed,
        log_lines=result.log_lines,
        notes=(*result.notes, note),
        anchored_at=result.anchored_at,
        length=result.length,
        last_id=result.last_id,
        last_hash=result.last_hash,
    )
