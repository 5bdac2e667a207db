"""A sitting committee between elections (issue 22): seats fall vacant by themselves when their
holder leaves, loses the rights or dies; a resignation accepted or a removal decided opens one too;
the upper level may appoint (指派) a secretary or deputy; a by-election (补选) fills the rest.

Each action is one transaction that checks (xuanju.rules.vacancies), writes, appends an audit record
and a :class:`CommitteeChange` for the history. The hooks (:func:`member_transferred`,
:func:`member_left`, :func:`restriction_added`) are called by the organizations actions that record
those facts, inside their transactions.

Sources (RULES.md has no IDs for this part yet): 《中国共产党支部工作条例（试行）》 — vacancies filled
promptly by by-election; the upper level may appoint a secretary or deputy where really necessary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import (
    Committee,
    CommitteeChange,
    CommitteeSeat,
    Member,
    Organization,
    Restriction,
    Vacancy,
)
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import Post
from xuanju.rules.vacancies import (
    DEFAULT_OVERDUE_MONTHS,
    AppointmentProblem,
    VacancyProblem,
    VacancyReason,
    appointment_problems,
    reason_for_restriction,
    vacancy_age,
    vacancy_problems,
)
from xuanju.rules.voting import RestrictionKind

LEADING = {"secretary": Post.SECRETARY, "deputy_secretary": Post.DEPUTY_SECRETARY}

# The reasons a member leaves the roster (remove_member's ``kind``) and the vacancy each opens.
LEAVING_REASONS = {
    "transferred_out": VacancyReason.TRANSFERRED_OUT,
    "death": VacancyReason.DEATH,
}


def overdue_months() -> int:
    """The 补选不及时 threshold in months (setting XUANJU_BY_ELECTION_OVERDUE_MONTHS, default 3)."""
    value = getattr(settings, "XUANJU_BY_ELECTION_OVERDUE_MONTHS", DEFAULT_OVERDUE_MONTHS)
    return max(1, int(value))


def _actor(user: Any) -> str:
    return getattr(user, "username", None) or str(user)


def _vacate(
    actor: Any, seat: CommitteeSeat, on: date, reason: VacancyReason, document: str, change: str
) -> Vacancy:
    """The seat becomes a vacancy: the seat row goes (the committee's seats are its holders), the
    vacancy and the change stay."""
    committee = seat.committee
    problems = vacancy_problems(reason, document, on, committee.elected_on, committee.term_end)
    if VacancyProblem.NO_DECISION in problems:
        raise ActionError(
            "辞职须有委员会同意的记录，撤换或罢免须有有权机关的决定：请填写决定或文件", "document"
        )
    if VacancyProblem.BEFORE_TERM in problems:
        raise ActionError(f"出缺日期不能早于本届委员会选举日期（{committee.elected_on:%Y年%m月%d日}）", "on")
    vacancy = Vacancy.objects.create(
        committee=committee,
        post=seat.post,
        former_member=seat.member,
        opened_on=on,
        reason=reason.value,
        document=document.strip(),
    )
    CommitteeChange.objects.create(
        committee=committee,
        on=on,
        kind=change,
        member=seat.member,
        post=seat.post,
        reason=vacancy.get_reason_display(),
        document=document.strip(),
    )
    before = snapshot(seat)
    seat.delete()
    record(
        _actor(actor),
        "open_vacancy",
        vacancy,
        before=before,
        after=snapshot(vacancy),
        summary=f"“{committee.organization.name}”{seat.get_post_display()}{seat.member.name}出缺：{vacancy.get_reason_display()}",
    )
    return vacancy


def _current_seats(member: Member) -> QuerySet[CommitteeSeat]:
    return CommitteeSeat.objects.filter(member=member, committee__is_current=True).select_related(
        "committee__organization", "member"
    )


# --- hooks from the organizations actions -----------------------------------------------------


def member_transferred(actor: Any, member: Member, on: date) -> list[Vacancy]:
    """The member's Party relationship moved: every seat on a committee whose organization no longer
    holds the member (the new organization is outside its subtree) falls vacant."""
    new_path = member.organization.path
    return [
        _vacate(actor, seat, on, VacancyReason.TRANSFERRED_OUT, "", "vacated")
        for seat in _current_seats(member)
        if not new_path.startswith(seat.committee.organization.path)
    ]


def member_left(actor: Any, member: Member, on: date, kind: str, why: str = "") -> list[Vacancy]:
    """The member left the roster (``kind``: transferred_out, death, or other — expulsion and the
    like, a removal whose decision ``why`` names): every seat falls vacant."""
    reason = LEAVING_REASONS.get(kind, VacancyReason.REMOVAL)
    document = why.strip() if reason is VacancyReason.REMOVAL else ""
    return [_vacate(actor, seat, on, reason, document, "vacated") for seat in _current_seats(member)]


def restriction_added(actor: Any, restriction: Restriction) -> list[Vacancy]:
    """A member's rights were taken away or suspended (R-VOTE-3/4): the seats fall vacant unless the
    restriction ended before today (a past record entered late changes nothing now)."""
    if restriction.end is not None and restriction.end < timezone.localdate():
        return []
    reason = reason_for_restriction(RestrictionKind(restriction.kind))
    return [
        _vacate(
            actor,
            seat,
            max(restriction.start, seat.committee.elected_on),
            reason,
            restriction.document,
            "vacated",
        )
        for seat in _current_seats(restriction.member)
    ]


# --- adjusting a committee ---------------------------------------------------------------------


@transaction.atomic
def accept_resignation(actor: Any, seat: CommitteeSeat, accepted_on: date, document: str) -> Vacancy:
    """The committee accepted the seat-holder's resignation (辞去委员职务) and reports it up; the seat
    falls vacant. ``document``: the committee's minutes or report that records the acceptance."""
    _check_current(seat.committee, accepted_on)
    return _vacate(actor, seat, accepted_on, VacancyReason.RESIGNATION, document, "resigned")


@transaction.atomic
def remove_from_committee(actor: Any, seat: CommitteeSeat, on: date, document: str) -> Vacancy:
    """The competent body's decision to remove the seat-holder (撤换/罢免) is recorded: the system
    records and checks that a decision exists, it does not decide. The seat falls vacant."""
    _check_current(seat.committee, on)
    return _vacate(actor, seat, on, VacancyReason.REMOVAL, document, "removed")


def _check_current(committee: Committee, on: date) -> None:
    if not committee.is_current:
        raise ActionError("只能调整本届委员会")
    if on > timezone.localdate():
        raise ActionError("日期不能晚于今天", "on")


APPOINTMENT_TEXT = {
    AppointmentProblem.POST_NOT_APPOINTABLE: "上级党组织只能指派书记或副书记，委员须由选举产生",
    AppointmentProblem.NOT_UPPER_LEVEL: "只有上级党组织才能指派书记、副书记",
    AppointmentProblem.NO_DECISION: "请填写上级党组织指派决定的文号",
    AppointmentProblem.NO_REASON: "请写明确有必要指派的理由",
    AppointmentProblem.NO_RIGHT_TO_STAND: "被指派人须是享有被选举权的正式党员（R-VOTE-1、R-VOTE-3、R-VOTE-4）",
}


@transaction.atomic
def appoint(
    actor: Any,
    committee: Committee,
    member: Member,
    post: str,
    upper: Organization,
    decision: str,
    reason: str,
    on: date,
) -> CommitteeSeat:
    """The upper level ``upper`` appoints ``member`` secretary or deputy secretary of ``committee``
    (指派; 《中国共产党支部工作条例（试行）》: only these posts, where really necessary). Recorded with
    the decision's number and reason, shown as appointed until the next election regularizes it. An
    open vacancy of the post is filled by it; a sitting member appointed keeps the seat with the post."""
    _check_current(committee, on)
    org = committee.organization
    by_upper = org.path.startswith(upper.path) and upper.pk != org.pk
    rule_post = LEADING.get(post, Post.COMMITTEE_MEMBER)
    problems = appointment_problems(
        rule_post, by_upper, decision, reason, member.left_on is None and rights_of(member, on).can_stand
    )
    if problems:
        raise ActionError("；".join(APPOINTMENT_TEXT[p] for p in problems), "post")
    if post == "secretary" and committee.seats.filter(post="secretary").exists():
        raise ActionError("本届委员会已有书记：原书记出缺后才能指派", "post")
    seat = committee.seats.filter(member=member).first()
    before = snapshot(seat) if seat else None
    if seat is None:
        seat = CommitteeSeat(committee=committee, member=member)
    seat.post, seat.source, seat.since, seat.decision = post, "appointed", on, decision.strip()
    seat.save()
    vacancy = committee.vacancies.filter(filled_on=None, post=post).order_by("opened_on").first()
    if vacancy is not None:
        vacancy.filled_on, vacancy.filled_by, vacancy.filled_how = on, member, "appointed"
        vacancy.save(update_fields=["filled_on", "filled_by", "filled_how"])
    CommitteeChange.objects.create(
        committee=committee,
        on=on,
        kind="appointed",
        member=member,
        post=post,
        reason=reason.strip(),
        document=decision.strip(),
    )
    record(
        _actor(actor),
        "appoint_leader",
        seat,
        before=before,
        after=snapshot(seat) | {"upper": upper.pk, "reason": reason.strip()},
        summary=f"“{upper.name}”指派{member.name}任“{org.name}”{seat.get_post_display()}（{decision.strip()}）",
    )
    return seat


@dataclass(frozen=True)
class Filling:
    member: Member
    post: str


def fill_by_election(
    actor: Any, committee: Committee, vacancies: list[Vacancy], filled: list[Filling], on: date, document: str
) -> None:
    """The by-election's approved result fills ``vacancies`` with the elected (补选产生). Their term
    ends with the committee's (rules.vacancies.by_elected_term_end): the committee's dates stay.
    A sitting member elected secretary or deputy by the plenary keeps the seat and takes the post;
    the caller holds the transaction."""
    if not committee.is_current:
        raise ActionError("原委员会已不是本届委员会，补选结果不能再补入")
    open_ = [v for v in vacancies if v.filled_on is None]
    for filling in sorted(filled, key=lambda f: f.post not in LEADING):
        seat = committee.seats.filter(member=filling.member).first()
        if seat is None:
            seat = CommitteeSeat(committee=committee, member=filling.member, post=filling.post)
        elif filling.post not in LEADING:
            continue  # already seated with a leading post from this by-election
        seat.post, seat.source, seat.since, seat.decision = filling.post, "by_elected", on, ""
        seat.save()
        match = next((v for v in open_ if v.post == filling.post), None)
        if match is None:
            match = next((v for v in open_ if v.post not in LEADING), None)
        if match is not None:
            open_.remove(match)
            match.filled_on, match.filled_by, match.filled_how = on, filling.member, "by_elected"
            match.save(update_fields=["filled_on", "filled_by", "filled_how"])
        CommitteeChange.objects.create(
            committee=committee,
            on=on,
            kind="by_elected",
            member=filling.member,
            post=filling.post,
            reason="补选",
            document=document,
        )
    record(
        _actor(actor),
        "fill_by_election",
        committee,
        after={"filled": [[f.member.pk, f.post] for f in filled], "on": on.isoformat()},
        summary=f"“{committee.organization.name}”补选产生{'、'.join(f.member.name for f in filled)}",
    )


def divisions_changed(committee: Committee, before: dict[str, str], seats: Iterable[CommitteeSeat]) -> None:
    """A change of the division of work (分工) enters the committee's history, one row per member
    whose post changed (the caller audits the whole change)."""
    today = timezone.localdate()
    CommitteeChange.objects.bulk_create(
        CommitteeChange(
            committee=committee,
            on=today,
            kind="division",
            member=seat.member,
            post=seat.post,
            reason="调整分工",
        )
        for seat in seats
        if before.get(str(seat.member_id)) != seat.post
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyRow:
    vacancy: Vacancy
    days_open: int
    overdue: bool


def open_vacancies_under(root: Organization) -> QuerySet[Vacancy]:
    """Open vacancies of current committees in ``root``'s subtree, oldest first."""
    return (
        Vacancy.objects.filter(
            filled_on=None, committee__is_current=True, committee__organization__path__startswith=root.path
        )
        .select_related("committee__organization", "former_member")
        .order_by("opened_on", "id")
    )


def rows(vacancies: Any, today: date | None = None) -> list[VacancyRow]:
    today = today or timezone.localdate()
    months = overdue_months()
    result = []
    for v in vacancies:
        age = vacancy_age(v.opened_on, today, v.filled_on, months)
        result.append(VacancyRow(v, age.days_open, age.overdue))
    return result


def vacancy_inbox_items(user: Any) -> list[VacancyRow]:
    """What the user's organization department should see in its inbox: the open vacancies of the
    organizations beneath it (its upper-level duty), oldest first, each flagged 补选不及时 after the
    threshold. Empty for other roles. (The inbox registry wires this in.)"""
    from xuanju.accounts.models import Role

    org = getattr(user, "organization", None)
    if getattr(user, "is_superuser", False) and org is None:
        root_qs = Organization.get_root_nodes()
        return [row for root in root_qs for row in rows(open_vacancies_under(root))]
    if org is None or getattr(user, "role", None) != Role.ORGANIZATION_DEPARTMENT:
        return []
    return [r for r in rows(open_vacancies_under(org)) if r.vacancy.committee.organization_id != org.pk]
