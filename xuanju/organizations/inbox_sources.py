"""The organizations' part of the inbox (待办): re-election reminders (R-TERM-3) not yet read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from xuanju.accounts.inbox import Item, Source, register
from xuanju.accounts.models import Role, User
from xuanju.organizations.models import Reminder


def unread_reminders(user: User) -> QuerySet[Reminder]:
    """Unread reminders to the user's organization, for those who act on them there."""
    if user.organization_id is None or user.role not in (Role.SECRETARY, Role.ORGANIZATION_DEPARTMENT):
        return Reminder.objects.none()
    return Reminder.objects.filter(organization_id=user.organization_id, read_at__isnull=True)


def reminder_items(user: User) -> list[Item]:
    rows = unread_reminders(user).select_related("sent_by", "organization").order_by("sent_at")[:200]
    return [
        Item(
            title=f"换届提醒：应于{r.due.year}年{r.due.month}月{r.due.day}日前换届",
            organization=r.sent_by.name,
            url=reverse("reminder_list"),
            since=r.sent_at.date(),
            detail=r.message[:60],
        )
        for r in rows
    ]


def register_sources() -> None:
    register(Source("reminders", "收到的换届提醒", lambda u: unread_reminders(u).count(), reminder_items, 40))
