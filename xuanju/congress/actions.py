"""Every change to a congress, each one transaction that checks the rules, changes the records and
appends the audit record (R-SUP-4). A refused change raises ActionError in Chinese naming what and
where, with the rule.

The order: the convening organization proposes the congress while it plans the election (quota,
grounds, composition targets, units and allocation) → the upper level approves the plan, which
carries them (R-RPT-1) → the units elect their delegates → the credentials group reviews every
delegate (R-DEL-6): re-election or by-election where needed → the preparatory meeting adopts the
credentials report and elects the presidium → the congress opens and elects the committee.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.congress import services
from xuanju.congress.models import (
    HOLDING,
    Congress,
    CredentialsGroupMember,
    Delegate,
    DelegateStatus,
    Delegation,
    ElectoralUnit,
    PreparatoryMeeting,
    UnitElection,
)
from xuanju.display import cn_date
from xuanju.elections.models import Election, ElectionStatus
from xuanju.formats.wording import quota_problem_text
from xuanju.organizations.models import Organization
from xuanju.rules.quota import (
    QUOTA_HARD_MAX,
    QUOTA_NORMAL_MAX,
    QUOTA_NORMAL_MIN,
    allocate_quota,
    quota_problem,
)
from xuanju.rules.quota import ElectoralUnit as QuotaUnit
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

TARGET_FIELDS = (
    "front_line_percent",
    "women_percent",
    "min_minorities",
    "max_over_55_percent",
    "min_under_35",
)


def _check_quota(total: int, reason: str) -> None:
    """R-DEL-2: never above 300; outside 100–200 only with a reason."""
    if total < 1:
        raise ActionError("代表名额至少为 1 名", "delegates_total")
    if total > QUOTA_HARD_MAX:
        raise ActionError(f"代表名额 {total} 名超过 300 名的上限（R-DEL-2）", "delegates_total")
    if not QUOTA_NORMAL_MIN <= total <= QUOTA_NORMAL_MAX and not reason.strip():
        raise ActionError(
            f"代表名额 {total} 名不在一般的 100 至 200 名之间，须写明理由（R-DEL-2）", "quota_reason"
        )


def _check_targets(targets: dict[str, int | None]) -> None:
    for field in ("front_line_percent", "women_percent", "max_over_55_percent"):
        value = targets.get(field)
        if value is not None and not 0 <= value <= 100:
            raise ActionError("百分比应在 0 至 100 之间（R-DEL-3）", field)


def _require_planning(congress: Congress) -> None:
    if not services.plan_open(congress):
        raise ActionError(
            f"{congress}的方案已报上级（现在是“{congress.election.get_status_display()}”阶段），"
            f"代表名额、结构和分配不能再改（R-RPT-1）"
        )


@transaction.atomic
def propose_congress(
    actor: Any,
    election: Election,
    delegates_total: int,
    grounds: str,
    grounds_note: str = "",
    quota_reason: str = "",
    base_per_unit: int = 1,
    sectors: str = "",
    **targets: int | None,
) -> Congress:
    """The convening organization proposes the congress while it plans the election (R-DEL-1/2/3):
    the quota and its reason, why a congress, the composition targets. The units default to the
    organization's direct subordinate organizations, each with its subtree, and the quota is
    allocated to them at once (base + largest remainder)."""
    if (
        getattr(election, "kind", "committee") != "committee"
        or getattr(election, "form", "congress") != "congress"
    ):
        raise ActionError(f"{election}不是由党员代表大会进行的换届选举（R-DEL-1）")
    if election.status != ElectionStatus.PLANNING:
        raise ActionError(f"{election}已报送请示，须在拟订方案阶段提出代表名额（R-RPT-1）")
    if Congress.objects.filter(election=election).exists():
        raise ActionError(f"{election}已经提出了党员代表大会方案")
    _check_quota(delegates_total, quota_reason)
    problem = services.grounds_problem(election.organization, grounds)
    if problem:
        raise ActionError(problem, "grounds")
    if grounds == "scattered" and not grounds_note.strip():
        raise ActionError("请写明所属党组织驻地分散的情况（R-DEL-1）", "grounds_note")
    unknown = set(targets) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"unknown targets: {sorted(unknown)}")
    _check_targets(targets)
    if base_per_unit < 1:
        raise ActionError("每个选举单位的基础名额至少为 1 名（R-DEL-3）", "base_per_unit")
    congress = Congress.objects.create(
        election=election,
        delegates_total=delegates_total,
        quota_reason=quota_reason.strip(),
        base_per_unit=base_per_unit,
        grounds=grounds,
        grounds_note=grounds_note.strip(),
        sectors=sectors.strip(),
        proposed_by=_actor(actor),
        **targets,
    )
    children = Organization.objects.filter(
        path__startswith=election.organization.path,
        depth=election.organization.depth + 1,
        dissolved_on__isnull=True,
    ).order_by("path")
    for position, child in enumerate(children):
        unit = ElectoralUnit.objects.create(congress=congress, name=child.name, position=position)
        unit.organizations.set([child])
    record(
        _actor(actor),
        "propose_congress",
        congress,
        after=snapshot(congress),
        summary=f"{congress}：代表名额 {delegates_total} 名，选举单位 {children.count()} 个",
    )
    if children.exists():
        _allocate(actor, congress)
    return congress


@transaction.atomic
def revise_congress(
    actor: Any,
    congress: Congress,
    delegates_total: int,
    grounds: str,
    grounds_note: str = "",
    quota_reason: str = "",
    base_per_unit: int = 1,
    sectors: str = "",
    **targets: int | None,
) -> Congress:
    """Change the quota, grounds or targets while planning; a changed quota or base reallocates."""
    _require_planning(congress)
    _check_quota(delegates_total, quota_reason)
    problem = services.grounds_problem(congress.organization, grounds)
    if problem:
        raise ActionError(problem, "grounds")
    if grounds == "scattered" and not grounds_note.strip():
        raise ActionError("请写明所属党组织驻地分散的情况（R-DEL-1）", "grounds_note")
    _check_targets(targets)
    before = snapshot(congress)
    reallocate = (delegates_total, base_per_unit) != (congress.delegates_total, congress.base_per_unit)
    congress.delegates_total = delegates_total
    congress.grounds, congress.grounds_note = grounds, grounds_note.strip()
    congress.quota_reason, congress.base_per_unit, congress.sectors = (
        quota_reason.strip(),
        base_per_unit,
        sectors.strip(),
    )
    for field in TARGET_FIELDS:
        if field in targets:
            setattr(congress, field, targets[field])
    congress.save()
    record(
        _actor(actor),
        "revise_congress",
        congress,
        before=before,
        after=snapshot(congress),
        summary=f"{congress}：修改方案",
    )
    if reallocate and congress.units.exists():
        _allocate(actor, congress)
    return congress


@transaction.atomic
def define_unit(
    actor: Any, congress: Congress, name: str, organizations: list[Organization]
) -> ElectoralUnit:
    """Make a group of subordinate organizations one electoral unit (R-DEL-3). They leave the units
    they were in (a unit left empty is removed); the quota must then be allocated again."""
    _require_planning(congress)
    root = congress.organization
    if not name.strip():
        raise ActionError("请填写选举单位名称", "name")
    if not organizations:
        raise ActionError("选举单位至少包含一个党组织", "organizations")
    for org in organizations:
        if not org.path.startswith(root.path) or org.pk == root.pk:
            raise ActionError(f"{org.name}不是{root.name}的下级党组织", "organizations")
    chosen = {o.pk for o in organizations}
    for unit in congress.units.prefetch_related("organizations"):
        left = [o for o in unit.organizations.all() if o.pk not in chosen]
        if len(left) != unit.organizations.count():
            if left:
                unit.organizations.set(left)
            else:
                unit.delete()
    position = max((u.position for u in congress.units.all()), default=-1) + 1
    unit = ElectoralUnit.objects.create(congress=congress, name=name.strip(), position=position)
    unit.organizations.set(organizations)
    congress.allocated_on = None
    congress.save(update_fields=["allocated_on"])
    record(
        _actor(actor),
        "define_unit",
        unit,
        after={"name": unit.name, "organizations": sorted(chosen)},
        summary=f"{congress}：设选举单位“{unit.name}”",
    )
    return unit


def _allocate(actor: Any, congress: Congress) -> list[ElectoralUnit]:
    units = list(congress.units.prefetch_related("organizations"))
    quota_units = [
        QuotaUnit(
            id=str(u.pk),
            name=u.name,
            full_members=services.unit_full_members(u),
            organizations=u.organizations.count(),
        )
        for u in units
    ]
    problem = quota_problem(congress.delegates_total, congress.base_per_unit, quota_units)
    if problem is not None:
        raise ActionError(
            quota_problem_text(
                problem,
                congress.delegates_total,
                congress.base_per_unit,
                sum(1 for u in quota_units if u.full_members > 0),
            ),
            "delegates_total",
        )
    allocation = allocate_quota(congress.delegates_total, quota_units, congress.base_per_unit)
    for unit, source, share in zip(units, quota_units, allocation, strict=True):
        unit.full_members = source.full_members
        unit.quota = (Decimal(share.quota.numerator) / Decimal(share.quota.denominator)).quantize(
            Decimal("0.01")
        )
        unit.allocated, unit.adjustment, unit.adjustment_reason = share.seats, 0, ""
        unit.save(update_fields=["full_members", "quota", "allocated", "adjustment", "adjustment_reason"])
    congress.allocated_on = timezone.localdate()
    congress.save(update_fields=["allocated_on"])
    record(
        _actor(actor),
        "allocate_seats",
        congress,
        after={"allocation": {u.name: [u.full_members, u.allocated] for u in units}},
        summary=f"{congress}：按基础名额加最大余数法分配代表名额（R-DEL-3）",
    )
    return units


@transaction.atomic
def allocate_seats(actor: Any, congress: Congress) -> list[ElectoralUnit]:
    """Allocate the quota: the full members of each unit's organizations (subtrees) are counted now
    and stored; each unit gets the base, the rest goes by largest remainder (R-DEL-3). Earlier
    adjustments are cleared."""
    _require_planning(congress)
    return _allocate(actor, congress)


@transaction.atomic
def adjust_allocation(actor: Any, congress: Congress, adjustments: dict[int, tuple[int, str]]) -> None:
    """Record manual adjustments (±) of the allocated seats, each with its reason (R-DEL-3: breadth
    of representation). ``adjustments`` maps unit ids to (adjustment, reason); units not named keep
    theirs. The final seats must still add up to the quota, and every unit with full members keeps
    at least one; a unit without full members gets none (R-DEL-3)."""
    _require_planning(congress)
    if congress.allocated_on is None:
        raise ActionError("请先分配代表名额，再作调整（R-DEL-3）")
    units = {u.pk: u for u in congress.units.all()}
    for pk, (adjustment, reason) in adjustments.items():
        unit = units.get(pk)
        if unit is None:
            raise ActionError("所调整的选举单位不属于这次代表大会")
        if adjustment and not reason.strip():
            raise ActionError(f"“{unit.name}”调整名额须写明理由（R-DEL-3）", "reason")
        if not unit.full_members and adjustment:
            # R-DEL-3, R-VOTE-1: nobody in it could elect a delegate or be one
            raise ActionError(f"“{unit.name}”没有正式党员，不能分配代表名额（R-DEL-3）", "adjustment")
        if unit.full_members and unit.allocated + adjustment < 1:
            raise ActionError(f"“{unit.name}”调整后不足 1 名代表名额（R-DEL-3）", "adjustment")
        unit.adjustment, unit.adjustment_reason = adjustment, reason.strip() if adjustment else ""
    total = sum(u.seats for u in units.values())
    if total != congress.delegates_total:
        change = sum(u.adjustment for u in units.values())
        raise ActionError(
            f"调整后各选举单位名额合计 {total} 名，与代表名额 {congress.delegates_total} 名不符"
            f"（调整合计 {change:+d} 名）：增加的名额须从其他选举单位相应减少（R-DEL-3）"
        )
    for unit in units.values():
        unit.save(update_fields=["adjustment", "adjustment_reason"])
    record(
        _actor(actor),
        "adjust_allocation",
        congress,
        after={u.name: [u.adjustment, u.adjustment_reason] for u in units.values() if u.adjustment},
        summary=f"{congress}：调整代表名额分配",
    )


@transaction.atomic
def set_opening_decision(actor: Any, congress: Congress, decision: str) -> Congress:
    """The organizers' decision to open with the formal delegates confirmed while some seats have
    none (R-DEL-6: only formal delegates vote). Allowed only when the formal delegates are more than
    four fifths of the quota (R-MEET-1 measured against the quota); an empty text withdraws it."""
    formal = services.formal_delegates(congress).count()
    if decision.strip() and formal * 5 <= congress.delegates_total * 4:
        raise ActionError(
            f"正式代表 {formal} 名，未超过代表名额 {congress.delegates_total} 名的五分之四，"
            f"须先完成重新选举或补选（R-DEL-6、R-MEET-1）",
            "decision",
        )
    before = snapshot(congress, ["opening_decision", "opening_decided_by"])
    congress.opening_decision = decision.strip()
    congress.opening_decided_by = _actor(actor) if decision.strip() else ""
    congress.save(update_fields=["opening_decision", "opening_decided_by"])
    record(
        _actor(actor),
        "set_opening_decision",
        congress,
        before=before,
        after=snapshot(congress, ["opening_decision", "opening_decided_by"]),
        summary=f"{congress}：{services.FORMAL_CONTINUES}（正式代表 {formal} 名）"
        if decision.strip()
        else f"{congress}：撤回开会决定",
    )
    return congress


# --- the units' elections (R-DEL-4/5) ----------------------------------------------------------


def _title(unit: ElectoralUnit, kind: str) -> str:
    suffix = {"regular": "", "reelection": "（重新选举）", "by_election": "（补选）"}[kind]
    return f"{unit.name}选举出席{unit.congress}的代表{suffix}"


def _start(actor: Any, unit: ElectoralUnit, planned_on: date, seats: int, kind: str) -> UnitElection:
    from xuanju.elections import actions as election_actions

    election = election_actions.start_delegates_election(
        actor, services.lead_organization(unit), planned_on, seats, title=_title(unit, kind)
    )
    unit_election = UnitElection.objects.create(unit=unit, election=election, kind=kind, seats=seats)
    record(
        _actor(actor),
        "start_unit_election",
        unit_election,
        after=snapshot(unit_election),
        summary=f"{election}：应选代表 {seats} 名",
    )
    return unit_election


def _open(unit: ElectoralUnit) -> bool:
    return unit.elections.exclude(
        election__status__in=[ElectionStatus.COMPLETED, ElectionStatus.REFUSED, ElectionStatus.VOIDED]
    ).exists()


@transaction.atomic
def start_unit_elections(actor: Any, congress: Congress, planned_on: date) -> list[UnitElection]:
    """Start one delegates election per unit that has none yet, each for the unit's final seats,
    held by the unit's first organization — only once the upper level approved the congress plan
    with its quota and allocation (R-RPT-1, R-RPT-4, R-DEL-2/3)."""
    if not services.plan_approved(congress):
        raise ActionError(f"{congress}的方案（代表名额和分配）尚未经上级同意，不能开始选举代表（R-RPT-4）")
    problem = services.allocation_problem(congress)
    if problem:
        raise ActionError(problem)
    started = []
    for unit in congress.units.prefetch_related("organizations"):
        if unit.elections.exists() or unit.seats == 0:  # R-DEL-3: a unit without members has no seat
            continue
        started.append(_start(actor, unit, planned_on, unit.seats, UnitElection.Kind.REGULAR))
    if not started:
        raise ActionError("各选举单位都已开始选举代表")
    return started


@transaction.atomic
def start_unit_reelection(actor: Any, unit: ElectoralUnit, planned_on: date) -> UnitElection:
    """The unit elects again after the credentials group found its election's procedure defective
    (R-DEL-6): every seat of the unit, and the delegates of the defective election are replaced."""
    if not unit.needs_reelection:
        raise ActionError(f"“{unit.name}”没有须重新选举的记录（R-DEL-6）")
    if _open(unit):
        raise ActionError(f"“{unit.name}”已有一次正在进行的代表选举")
    defective = list(unit.delegates.filter(status=DelegateStatus.PROCEDURE_DEFECT))
    seats = unit.seats - unit.delegates.filter(status=DelegateStatus.FORMAL).count()
    unit_election = _start(actor, unit, planned_on, seats, UnitElection.Kind.REELECTION)
    unit_election.replaces.set(defective)
    unit.needs_reelection = False
    unit.save(update_fields=["needs_reelection"])
    return unit_election


def vacancies(unit: ElectoralUnit) -> list[Delegate]:
    """Delegates found ineligible and not yet replaced or covered by a by-election under way."""
    covered = UnitElection.objects.filter(unit=unit).exclude(
        election__status__in=[ElectionStatus.REFUSED, ElectionStatus.VOIDED]
    )
    return list(unit.delegates.filter(status=DelegateStatus.INELIGIBLE).exclude(replaced_by__in=covered))


@transaction.atomic
def start_unit_by_election(actor: Any, unit: ElectoralUnit, planned_on: date) -> UnitElection:
    """The unit replaces delegates found ineligible (R-DEL-6): a by-election for as many seats as
    are vacant."""
    vacant = vacancies(unit)
    if not vacant:
        raise ActionError(f"“{unit.name}”没有因资格审查未通过而空缺的代表名额（R-DEL-6）")
    if _open(unit):
        raise ActionError(f"“{unit.name}”已有一次正在进行的代表选举")
    unit_election = _start(actor, unit, planned_on, len(vacant), UnitElection.Kind.BY_ELECTION)
    unit_election.replaces.set(vacant)
    return unit_election


@transaction.atomic
def record_delegates(election: Election) -> list[Delegate]:
    """The delegates a unit's election filled its seats with (the hook ``delegates_elected``):
    one Delegate per elected member, awaiting the credentials review; those it replaces are
    marked replaced (R-DEL-6). Repeated calls add nothing twice."""
    unit_election = services.unit_election_of(election)
    if unit_election is None:
        return []
    unit = unit_election.unit
    created = []
    for elected in election.contests.filter(post=services.DELEGATE_POST).get().elected.exclude(member=None):
        assert elected.member is not None
        delegate, new = Delegate.objects.get_or_create(
            election=election,
            member=elected.member,
            defaults={
                "congress": unit.congress,
                "unit": unit,
                "round": elected.round,
                "votes": elected.votes,
            },
        )
        if new:
            created.append(delegate)
    unit_election.replaces.filter(
        status__in=[DelegateStatus.PROCEDURE_DEFECT, DelegateStatus.INELIGIBLE]
    ).update(status=DelegateStatus.REPLACED)
    record(
        "system",
        "record_delegates",
        unit_election,
        after={"delegates": [d.member_id for d in created]},
        summary=f"{election}：当选代表 {len(created)} 名，待代表资格审查（R-DEL-6）",
    )
    return created


# --- credentials (R-DEL-6) ---------------------------------------------------------------------


@transaction.atomic
def name_credentials_group(
    actor: Any, congress: Congress, people: list[tuple[str, str, str]]
) -> list[CredentialsGroupMember]:
    """The outgoing committee names the credentials group: (name, role, position) each (R-DEL-6).
    Replaces the group named before; exactly one leader."""
    people = [(n.strip(), r, p.strip()) for n, r, p in people if n.strip()]
    if not people:
        raise ActionError("请填写代表资格审查小组成员（R-DEL-6）", "people")
    leaders = sum(1 for _, role, _ in people if role == CredentialsGroupMember.Role.LEADER)
    if leaders != 1:
        raise ActionError("代表资格审查小组应有一名组长（R-DEL-6）", "people")
    if any(role not in CredentialsGroupMember.Role.values for _, role, _ in people):
        raise ActionError("职务只能是组长、副组长或成员", "people")
    congress.credentials_group.all().delete()
    members = CredentialsGroupMember.objects.bulk_create(
        CredentialsGroupMember(congress=congress, name=n, role=r, position=p) for n, r, p in people
    )
    record(
        _actor(actor),
        "name_credentials_group",
        congress,
        after={"group": [[n, r] for n, r, _ in people]},
        summary=f"{congress}：上届委员会确定代表资格审查小组",
    )
    return members


REVIEW_CONCLUSIONS = (DelegateStatus.FORMAL, DelegateStatus.PROCEDURE_DEFECT, DelegateStatus.INELIGIBLE)


@transaction.atomic
def review_delegate(actor: Any, delegate: Delegate, conclusion: str, note: str = "") -> Delegate:
    """The credentials group's conclusion on one delegate (R-DEL-6).

    Formal (正式代表) only when the unit election's records show no defect and the delegate has the
    rights on the congress day. A procedural defect concerns the whole unit election: its delegates
    are all marked and the unit must elect again. An ineligible delegate leaves a vacancy the unit
    fills by a by-election. ``note`` is required for anything but formal."""
    congress = delegate.congress
    if not congress.credentials_group.exists():
        raise ActionError("须先由上届委员会确定代表资格审查小组（R-DEL-6）")
    if delegate.status not in (*HOLDING, DelegateStatus.PROCEDURE_DEFECT, DelegateStatus.INELIGIBLE):
        raise ActionError(f"{delegate.member.name}已被替换，不再审查")
    if conclusion not in REVIEW_CONCLUSIONS:
        raise ActionError("请选择审查结论", "conclusion")
    on = services.congress_day(congress)
    procedure = services.procedure_findings(delegate.election)
    eligibility = services.eligibility_findings(delegate, on)
    if conclusion == DelegateStatus.FORMAL and (procedure or eligibility):
        raise ActionError(
            f"{delegate.member.name}（{delegate.unit.name}）不能确认为正式代表："
            + "；".join(procedure + eligibility)
            + "（R-DEL-6）",
            "conclusion",
        )
    if conclusion != DelegateStatus.FORMAL and not note.strip():
        raise ActionError("请写明审查发现的问题（R-DEL-6）", "note")
    today = timezone.localdate()
    procedure_text = "；".join(procedure) or "选举程序符合规定"
    eligibility_text = "；".join(eligibility) or f"{services.day_text(on)}具有选举权和被选举权"
    if note.strip():
        if conclusion == DelegateStatus.PROCEDURE_DEFECT:
            procedure_text = f"{procedure_text}。{note.strip()}"
        else:
            eligibility_text = f"{eligibility_text}。{note.strip()}"
    if conclusion == DelegateStatus.PROCEDURE_DEFECT:
        targets = list(
            Delegate.objects.filter(
                election=delegate.election, status__in=[*HOLDING, DelegateStatus.PROCEDURE_DEFECT]
            )
        )
        unit = delegate.unit
        unit.needs_reelection = True
        unit.save(update_fields=["needs_reelection"])
    else:
        targets = [delegate]
    for each in targets:
        each.status = conclusion
        each.procedure_review = procedure_text
        if each.pk == delegate.pk or conclusion != DelegateStatus.PROCEDURE_DEFECT:
            each.eligibility_review = eligibility_text
        each.reviewed_on, each.reviewed_by = today, _actor(actor)
        each.save()
    record(
        _actor(actor),
        "review_delegate",
        delegate,
        after={"status": conclusion, "delegates": [d.pk for d in targets]},
        summary=f"{congress}：{delegate.unit.name}代表{delegate.member.name}——{DelegateStatus(conclusion).label}",
    )
    return delegate


# --- the preparatory meeting -------------------------------------------------------------------


@transaction.atomic
def record_preparatory_meeting(
    actor: Any, congress: Congress, held_on: date, agenda: str, credentials_report_adopted: bool
) -> PreparatoryMeeting:
    """The preparatory meeting of the formal delegates: its date, the agenda, and whether it adopted
    the credentials group's report (R-DEL-6). Recording it again corrects it."""
    if not services.formal_delegates(congress).exists():
        raise ActionError("还没有经资格审查确认的正式代表，不能召开预备会议（R-DEL-6）")
    if held_on > timezone.localdate():
        raise ActionError("会议日期不能晚于今天：会议召开后再记录", "held_on")
    if not agenda.strip():
        raise ActionError("请填写大会议程", "agenda")
    meeting, _ = PreparatoryMeeting.objects.update_or_create(
        congress=congress,
        defaults={
            "held_on": held_on,
            "agenda": agenda.strip(),
            "credentials_report_adopted": credentials_report_adopted,
        },
    )
    record(
        _actor(actor),
        "record_preparatory_meeting",
        meeting,
        after=snapshot(meeting),
        summary=f"{congress}：预备会议（{cn_date(held_on)}）"
        + ("，通过代表资格审查报告" if credentials_report_adopted else ""),
    )
    return meeting


@transaction.atomic
def elect_presidium(
    actor: Any,
    meeting: PreparatoryMeeting,
    delegates: list[Delegate],
    votes_for: int,
    against: int,
    abstain: int,
) -> PreparatoryMeeting:
    """The preparatory meeting elects the presidium from the formal delegates by show of hands; the
    vote is recorded and must be a majority of the formal delegates."""
    congress = meeting.congress
    if not delegates:
        raise ActionError("请选择主席团成员", "delegates")
    outside = [
        d.member.name for d in delegates if d.congress_id != congress.pk or d.status != DelegateStatus.FORMAL
    ]
    if outside:
        raise ActionError(f"主席团成员须是正式代表：{'、'.join(outside)}（R-DEL-6）", "delegates")
    formal = services.formal_delegates(congress).count()
    if min(votes_for, against, abstain) < 0 or votes_for + against + abstain > formal:
        raise ActionError(f"表决人数合计不能超过正式代表 {formal} 名", "votes_for")
    if votes_for * 2 <= formal:
        raise ActionError(
            f"赞成 {votes_for} 人，未超过正式代表 {formal} 名的半数，主席团名单未通过", "votes_for"
        )
    meeting.presidium.set(delegates)
    meeting.presidium_for, meeting.presidium_against, meeting.presidium_abstain = votes_for, against, abstain
    meeting.save()
    record(
        _actor(actor),
        "elect_presidium",
        meeting,
        after={
            "presidium": [d.pk for d in delegates],
            "for": votes_for,
            "against": against,
            "abstain": abstain,
        },
        summary=f"{congress}：举手表决通过主席团名单（{len(delegates)} 人）",
    )
    return meeting


@transaction.atomic
def form_delegation(
    actor: Any, congress: Congress, name: str, units: list[ElectoralUnit], head: Delegate | None
) -> Delegation:
    """A delegation (代表团/组) of units with a head chosen among their formal delegates. A unit
    belongs to one delegation."""
    if not name.strip():
        raise ActionError("请填写代表团（组）名称", "name")
    if not units:
        raise ActionError("请选择所含选举单位", "units")
    if any(u.congress_id != congress.pk for u in units):
        raise ActionError("所选选举单位不属于这次代表大会", "units")
    taken = [u.name for u in units if u.delegations.exists()]
    if taken:
        raise ActionError(f"{'、'.join(taken)}已编入其他代表团（组）", "units")
    if head is not None and (
        head.status != DelegateStatus.FORMAL or head.unit_id not in {u.pk for u in units}
    ):
        raise ActionError("团（组）长须是所含选举单位的正式代表", "head")
    delegation = Delegation.objects.create(congress=congress, name=name.strip(), head=head)
    delegation.units.set(units)
    record(
        _actor(actor),
        "form_delegation",
        delegation,
        after={"name": delegation.name, "units": [u.pk for u in units], "head": head.pk if head else None},
        summary=f"{congress}：编组“{delegation.name}”",
    )
    return delegation
