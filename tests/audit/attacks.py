"""What an attacker with database access does to the audit chain, in raw SQL after lifting the
triggers (R-SUP-4). Shared by the tamper tests on both databases."""

from __future__ import annotations

import hashlib
import json

from django.db import connection

from xuanju.audit import guard
from xuanju.audit.models import GENESIS, AuditRecord


def sql(statement: str, params: list | None = None) -> None:
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def rehash(previous: str, row: AuditRecord) -> str:
    """The chain's SHA-256 as the attacker recomputes it from the documented content: every field
    but the hashes, canonical JSON, after the previous hash."""
    content = {
        "at": row.at.isoformat(),
        "actor": row.actor,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "summary": row.summary,
        "before": row.before,
        "after": row.after,
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest()


def edit_and_recompute(position: int, summary: str, strip_macs: bool = False) -> None:
    """Change the record at ``position`` (1-based) and recompute every later hash and the head, so
    that the chain is consistent again — without the key: MACs are left as they were, or removed."""
    rows = list(AuditRecord.objects.order_by("pk"))
    previous = rows[position - 2].hash if position > 1 else GENESIS
    guard.remove(connection)
    with connection.cursor() as cursor:
        for index, row in enumerate(rows[position - 1 :]):
            if index == 0:
                row.summary = summary
            row.previous_hash = previous
            new_hash = rehash(previous, row)
            mac = None if strip_macs else row.mac
            cursor.execute(
                "UPDATE audit_auditrecord SET summary = %s, previous_hash = %s, hash = %s, mac = %s WHERE id = %s",
                [row.summary, previous, new_hash, mac, row.pk],
            )
            previous = new_hash
        cursor.execute("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [previous])


def delete_tail_and_fix_head(keep: int) -> None:
    """Delete every record after the first ``keep`` and make the head name the new last one."""
    rows = list(AuditRecord.objects.order_by("pk"))
    last = rows[keep - 1]
    sql("DELETE FROM audit_auditrecord WHERE id > %s", [last.pk])
    sql('UPDATE audit_chainhead SET last_hash = %s, "count" = %s WHERE id = 1', [last.hash, keep])
