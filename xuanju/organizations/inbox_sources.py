"""The organizations' part of the inbox (待办): re-election reminders (R-TERM-3) not yet read, and
the vacancies of the committees beneath an organization department, flagged 补选不及时 when late."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from xuanju.accounts.inbox import Item, Source, register
from xuanju.accounts.models import Role, User
from xuanju.organizations.models import Reminder
from xuanju.organizations.vacancies import vacancy_inbox_items


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


def vacancy_items(user: User) -> list[Item]:
    return [
        Item(
            title=f"{row.vacancy.get_post_display()}缺额{row.days_open}天"
            + ("（补选不及时）" if row.overdue else ""),
            organization=row.vacancy.committee.organization.name,
            url=reverse("organization_detail", args=[row.vacancy.committee.organization_id]),
            since=row.vacancy.opened_on,
            detail=row.vacancy.get_reason_display(),
        )
        for row in vacancy_inbox_items(user)[:200]
    ]


def register_sources() -> None:
    register(Source("reminders", "收到的换届提醒", lambda u: unread_reminders(u).count(), reminder_items, 40))
    # Late vacancies ask the upper level to see that a by-election is held (补选).
    register(Source("vacancies", "下级委员会缺额", lambda u: len(vacancy_inbox_items(u)), vacancy_items, 45))
