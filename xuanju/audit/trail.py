"""Writing and verifying the audit trail (R-SUP-4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from xuanju.audit.models import GENESIS, AuditRecord, ChainHead


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
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
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
        entry.save()
        head.last_hash = entry.hash
        head.count += 1
        head.save(update_fields=["last_hash", "count"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    record_id: int
    reason: str  # Chinese


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
    previous = GENESIS
    checked = 0
    for entry in _in_order(batch):
        if entry.previous_hash != previous:
            return checked, ChainBreak(
                entry.pk, "与上一条记录的链接不符（前一条记录被修改、删除或插入了记录）"
            )
        if entry.compute_hash() != entry.hash:
            return checked, ChainBreak(entry.pk, "内容与其哈希值不符（这条记录被修改过）")
        previous = entry.hash
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != previous or head.count != checked):
        return checked, ChainBreak(0, "链尾与记录不符（最后的记录被删除）")
    return checked, None


def _in_order(batch: int) -> Iterator[AuditRecord]:
    last_id = 0
    while True:
        page = list(AuditRecord.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not page:
            return
        yield from page
        last_id = page[-1].pk
