from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_head(using: str = "default", **kwargs: Any) -> None:
    """A new (or just flushed) database starts with a head naming the empty chain, so that a missing
    head is always a break (R-SUP-4). Never recreated over existing records: that would hide one."""
    from xuanju.audit.models import AuditRecord, ChainHead

    if not ChainHead.objects.using(using).exists() and not AuditRecord.objects.using(using).exists():
        ChainHead.objects.using(using).create(pk=1)


class AuditConfig(AppConfig):
    name = "xuanju.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        post_migrate.connect(_create_head, sender=self)
