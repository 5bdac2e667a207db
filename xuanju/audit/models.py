"""The audit trail (R-SUP-4): append-only records chained by SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.fields.json import KeyTransform

GENESIS = "0" * 64

# (field, key) of the snapshots the election trail looks up by value; see AuditRecord.Meta.indexes.
TRAIL_KEYS = (
    ("before", "election_id"),
    ("after", "election_id"),
    ("before", "contest_id"),
    ("before", "notice_id"),
    ("before", "meeting_id"),
    ("before", "round_id"),
    ("after", "round"),
)


class AppendOnlyQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计记录只能追加，不能修改（R-SUP-4）")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录只能追加，不能删除（R-SUP-4）")


class AuditRecord(models.Model):
    """Who did what to which record, when, with the data before and after.

    ``hash`` covers every other field and the previous record's hash, so changing or removing any
    record breaks the chain from there on; ``xuanju audit verify`` finds the first break. Database
    triggers (migration 0002) refuse UPDATE and DELETE even to direct SQL.
    """

    at = models.DateTimeField("时间")
    actor = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    summary = models.CharField("摘要", max_length=500, blank=True)
    before = models.JSONField("修改前", null=True)
    after = models.JSONField("修改后", null=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 of ``hash`` under XUANJU_AUDIT_KEY, when the key is set (never stored here): one
    # who can write the database but does not hold the key cannot forge it.
    mac = models.CharField(max_length=64, null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "审计记录"
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The election trail finds a deleted object's records by the parent its snapshot kept
            # and a supervision record by its election (xuanju.supervision.trail): one index per
            # key it asks for, each led by the kind, so every part of its UNION is an index scan.
            *(
                models.Index(F("object_type"), KeyTransform(key, side), name=f"audit_{side}_{key}_idx")
                for side, key in TRAIL_KEYS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改（R-SUP-4）")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录只能追加，不能删除（R-SUP-4）")

    def content(self) -> dict[str, Any]:
        """The fields the hash covers, in a canonical form."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.content(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256((self.previous_hash + canonical).encode("utf-8")).hexdigest()

    def compute_mac(self, key: bytes) -> str:
        """The keyed MAC over the record's hash (which covers its content and every record before)."""
        return hmac.new(key, self.hash.encode("ascii"), hashlib.sha256).hexdigest()


class ChainHead(models.Model):
    """One row holding the newest hash; locking it serializes appends to the chain.

    Triggers (migration 0003) let it move forward only: no DELETE or TRUNCATE, and an UPDATE must
    name the newest record and count the records appended since. A missing head is a break."""

    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.BigIntegerField(default=0)


class Checkpoint(models.Model):
    """A position up to which a full walk of the chain from its first record found no break.

    Written only after :func:`xuanju.audit.trail.verify` walked the whole chain (``xuanju audit
    verify``, the scheduled run, or a page that had no checkpoint to start from). A page then checks
    the records after the newest checkpoint only (:mod:`xuanju.audit.checkpoints`). ``record_hash``
    anchors it as a printed 审计校验码 is anchored: the record there must still have that hash and
    that place. ``mac`` (with XUANJU_AUDIT_KEY) makes a checkpoint forged in the database show."""

    position = models.BigIntegerField("位置", unique=True)
    record_id = models.BigIntegerField("记录编号")
    record_hash = models.CharField(max_length=64)
    keyed = models.BigIntegerField(default=0)  # records up to here whose MAC was checked
    verified_at = models.DateTimeField("核验时间")
    mac = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = verbose_name_plural = "审计链核验点"

    def __str__(self) -> str:
        return f"第{self.position}条 {self.verified_at:%Y-%m-%d %H:%M}"

    def message(self) -> str:
        """What the MAC covers: the position, the record and its hash, and the keyed count."""
        return f"xuanju-checkpoint/1|{self.position}|{self.record_id}|{self.record_hash}|{self.keyed}"

    def compute_mac(self, key: bytes) -> str:
        return hmac.new(key, self.message().encode("ascii"), hashlib.sha256).hexdigest()
