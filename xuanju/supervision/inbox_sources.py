"""The supervision part of the inbox (待办): reports (举报) the inspector has yet to conclude."""

from __future__ import annotations

from django.urls import reverse

from xuanju.accounts.inbox import Item, Source, register
from xuanju.accounts.models import User
from xuanju.supervision.actions import reports_for
from xuanju.supervision.models import OPEN_REPORT_STATUSES


def open_reports(user: User):  # type: ignore[no-untyped-def]
    return reports_for(user).filter(status__in=OPEN_REPORT_STATUSES)


def report_items(user: User) -> list[Item]:
    rows = open_reports(user).select_related("organization").order_by("received_on", "pk")[:200]
    return [
        Item(
            title=f"举报（{r.get_category_display()}，{r.get_status_display()}）",
            organization=r.organization.name if r.organization_id else "",
            url=reverse("report_detail", args=[r.pk]),
            since=r.received_on,
        )
        for r in rows
    ]


def register_sources() -> None:
    register(Source("reports", "待办理的举报", lambda u: open_reports(u).count(), report_items, 30))
