"""Every change to the reserve talent pool (后备人才库), one transaction each with its audit record.

Views authorize (xuanju.reserve.access) and call one action; a refused change raises ActionError
with a Chinese message that says what and where.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.display import cn_date
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Contest, Elected, Election, Nomination
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.reserve.models import (
    ACTIVE_STATUSES,
    Rating,
    ReserveAssessment,
    ReservePerson,
    ReserveStatus,
    ReserveStatusChange,
    ReserveTraining,
)
from xuanju.reserve.wording import no_right_text
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor
from xuanju.vetting.services import require_conditions


def _note_status(actor: Any, person: ReservePerson, before: str, on: date, reason: str) -> None:
    ReserveStatusChange.objects.create(
        person=person,
        on=on,
        from_status=before,
        to_status=person.status,
        reason=reason[:200],
        changed_by=_actor(actor),
    )


def check_may_put_forward(org: Organization, member: Member, on: date) -> None:
    """A member of ``org`` or an organization beneath it, on the roll, a full member whose rights are
    not restricted on ``on`` (R-CAND-6: a future candidate must hold the right to stand)."""
    if not member.organization.path.startswith(org.path):
        raise ActionError(
            f"{member.name}是“{member.organization.name}”的党员，不属于“{org.name}”及其下级组织，"
            f"不能列入“{org.name}”的后备人才库",
            "member",
        )
    if member.left_on is not None and member.left_on <= on:
        raise ActionError(f"{member.name}已于{cn_date(member.left_on)}不在册，不能列入后备人才库", "member")
    rights = rights_of(member, on)
    if not rights.can_stand:
        reasons = "、".join(no_right_text(r) for r in rights.reasons)
        raise ActionError(
            f"{member.name}在{on}没有被选举权（{reasons}），不能列入“{org.name}”的后备人才库（R-CAND-6）",
            "member",
        )


@transaction.atomic
def put_forward(actor: Any, org: Organization, member: Member, on: date, reason: str) -> ReservePerson:
    """Put a member forward into ``org``'s pool (推荐入库)."""
    if not org.is_active:
        raise ActionError(f"“{org.name}”已撤销，不能再充实后备人才库")
    if not reason.strip():
        raise ActionError("请写明推荐理由", "reason")
    check_may_put_forward(org, member, on)
    if (
        ReservePerson.objects.filter(organization=org, member=member)
        .exclude(status=ReserveStatus.LEFT)
        .exists()
    ):
        raise ActionError(f"{member.name}已在“{org.name}”的后备人才库中", "member")
    person = ReservePerson.objects.create(
        organization=org,
        member=member,
        put_forward_on=on,
        reason=reason.strip(),
        put_forward_by=_actor(actor),
    )
    _note_status(actor, person, "", on, "推荐入库")
    record(
        _actor(actor),
        "reserve_put_forward",
        person,
        after=snapshot(person),
        summary=f"{member.name}列入“{org.name}”后备人才库",
    )
    return person


@transaction.atomic
def assess(
    actor: Any, person: ReservePerson, assessed_on: date, rating: str, notes: str = "", assessed_by: str = ""
) -> ReserveAssessment:
    """Record an assessment (考察评价) of a reserve person."""
    if rating not in Rating.values:
        raise ActionError("请选择评价等次", "rating")
    if assessed_on < person.put_forward_on:
        raise ActionError(
            f"考察日期早于{person.member.name}的入库日期{cn_date(person.put_forward_on)}", "assessed_on"
        )
    if person.status == ReserveStatus.LEFT:
        raise ActionError(f"{person.member.name}已出库，不再考察")
    assessment = ReserveAssessment.objects.create(
        person=person,
        assessed_on=assessed_on,
        assessed_by=assessed_by.strip() or _actor(actor),
        rating=rating,
        notes=notes.strip(),
    )
    record(
        _actor(actor),
        "reserve_assess",
        assessment,
        after=snapshot(assessment),
        summary=f"“{person.organization.name}”后备人才{person.member.name}考察：{assessment.get_rating_display()}",
    )
    return assessment


@transaction.atomic
def record_training(
    actor: Any,
    person: ReservePerson,
    course: str,
    start: date,
    end: date | None,
    hours: Decimal,
    provider: str = "",
) -> ReserveTraining:
    """Record a course or placement (培养锻炼) of a reserve person."""
    if not course.strip():
        raise ActionError("请填写培训或锻炼内容", "course")
    if end is not None and end < start:
        raise ActionError("结束日期早于开始日期", "end")
    if hours < 0:
        raise ActionError("学时不能为负数", "hours")
    if person.status == ReserveStatus.LEFT:
        raise ActionError(f"{person.member.name}已出库，不再登记培训")
    training = ReserveTraining.objects.create(
        person=person, course=course.strip(), start=start, end=end, hours=hours, provider=provider.strip()
    )
    record(
        _actor(actor),
        "reserve_training",
        training,
        after=snapshot(training),
        summary=f"“{person.organization.name}”后备人才{person.member.name}培训：{training.course}",
    )
    return training


@transaction.atomic
def change_status(
    actor: Any, person: ReservePerson, status: str, on: date, reason: str = ""
) -> ReservePerson:
    """Move a reserve person to another status; leaving the pool (出库) needs its date and reason.
    A person who left is put forward anew rather than brought back."""
    if status not in ReserveStatus.values:
        raise ActionError("请选择状态", "status")
    name, pool = person.member.name, person.organization.name
    if person.status == ReserveStatus.LEFT:
        raise ActionError(
            f"{name}已于{cn_date(person.left_on)}出“{pool}”后备人才库；如需再次入库，请重新推荐"
        )
    if status == person.status:
        raise ActionError(f"{name}已是“{person.get_status_display()}”", "status")
    if on < person.put_forward_on:
        raise ActionError(f"日期早于{name}的入库日期{cn_date(person.put_forward_on)}", "on")
    if status == ReserveStatus.LEFT and not reason.strip():
        raise ActionError("出库须写明原因（如：年龄超过、调离、不再适合培养）", "reason")
    before_status = person.status
    before = snapshot(person)
    person.status = status
    if status == ReserveStatus.LEFT:
        person.left_on, person.left_reason = on, reason.strip()[:200]
    person.save()
    _note_status(actor, person, before_status, on, reason.strip())
    record(
        _actor(actor),
        "reserve_change_status",
        person,
        before=before,
        after=snapshot(person),
        summary=f"“{pool}”后备人才{name}：{ReserveStatus(before_status).label}→{person.get_status_display()}",
    )
    return person


@transaction.atomic
def nominate_from_pool(
    actor: Any, person: ReservePerson, contest: Contest, source: str = "", count: int = 1
) -> Nomination:
    """Nominate a reserve person for ``contest`` (从后备人才库提名). The person must meet the
    election's conditions (vetting's check: R-CAND-1, R-CAND-6); the elections action records the
    nomination (R-CAND-4, R-RPT-4); the pool marks the person nominated."""
    election = contest.election
    org = election.organization
    if not person.organization.path.startswith(org.path):
        raise ActionError(f"“{person.organization.name}”的后备人才库不在“{org.name}”之下", "person")
    if person.status not in ACTIVE_STATUSES:
        raise ActionError(
            f"{person.member.name}在后备人才库中是“{person.get_status_display()}”，不能从库中提名"
        )
    if Nomination.objects.filter(contest=contest, nominee=person.member_id).exists():
        raise ActionError(f"{person.member.name}已被推荐为{contest.get_post_display()}人选")
    require_conditions(person.member, election)  # R-CAND-1, R-CAND-6: every reason, in Chinese
    nomination = election_actions.record_nomination(
        actor, contest, person.member, source.strip() or f"{person.organization.name}后备人才库", count
    )
    if person.status != ReserveStatus.NOMINATED:
        before = snapshot(person)
        person.status = ReserveStatus.NOMINATED
        person.save(update_fields=["status"])
        _note_status(
            actor,
            person,
            ReserveStatus.IN_POOL,
            timezone.localdate(),
            f"推荐为{election}{contest.get_post_display()}人选",
        )
        record(
            _actor(actor),
            "reserve_nominated",
            person,
            before=before,
            after=snapshot(person),
            summary=f"“{person.organization.name}”后备人才{person.member.name}已提名（{election}）",
        )
    return nomination


@transaction.atomic
def sync_elected(election: Election, actor: Any = "xuanju") -> int:
    """Mark as elected (已当选) the pool entries of everyone the election elected, in the pools of the
    election's organization, the organizations beneath it and those above it. Returns how many changed.

    Called by the results flow once the results are approved (elections.actions.decide)."""
    org = election.organization
    members = set(
        Elected.objects.filter(contest__election=election, member__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    if not members:
        return 0
    line = Q(organization__path__startswith=org.path) | Q(organization__path__in=org.ancestor_paths())
    people = list(
        ReservePerson.objects.filter(line, member_id__in=members, status__in=ACTIVE_STATUSES).select_related(
            "member", "organization"
        )
    )
    on = timezone.localdate()
    for person in people:
        before_status, before = person.status, snapshot(person)
        person.status = ReserveStatus.ELECTED
        person.save(update_fields=["status"])
        _note_status(actor, person, before_status, on, f"在{election}中当选")
        record(
            _actor(actor),
            "reserve_elected",
            person,
            before=before,
            after=snapshot(person),
            summary=f"“{person.organization.name}”后备人才{person.member.name}当选（{election}）",
        )
    return len(people)
