"""The plan and the request (请示) to the upper level, and the upper level's reply (批复) to any
request: plan, provisional candidates or results (R-RPT-1, R-RPT-4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.elections import by_election, hooks
from xuanju.elections.actions.base import PLENARIES, _require_status, _send_up
from xuanju.elections.actions.results import _install_committee
from xuanju.elections.models import (
    CLOSED_STATUSES,
    Approval,
    Candidate,
    Contest,
    Election,
    ElectionForm,
    ElectionKind,
    ElectionStatus,
    Meeting,
    Post,
)
from xuanju.elections.revision import REVISION_KEY, revision_record
from xuanju.organizations import actions as organization_actions
from xuanju.organizations.models import Organization
from xuanju.rules.organizations import Body, Finding, committee_size_range, required_body, size_findings
from xuanju.rules.quota import needs_congress
from xuanju.rules.terms import term_years
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor


def may_hold_congress(org: Organization) -> bool:
    """R-DEL-1 by the numbers the system holds: 500+ full members in the subtree. An organization
    with scattered sub-units may also hold a congress; the roll does not record that, so the start
    form offers a congress only by the count, and the upper level's approval of the plan decides."""
    return org.kind != "branch" and needs_congress(org.subtree_full_member_count, scattered_units=False)


@transaction.atomic
def start_election(
    actor: Any,
    org: Organization,
    planned_on: date,
    committee_seats: int,
    deputy_seats: int,
    readiness: str = "",
    composition: str = "",
    minimum_party_age: int = 0,
    form: str = ElectionForm.MEMBERS_MEETING,
    discipline_seats: int = 0,
    discipline_deputy_seats: int = 0,
) -> Election:
    """Plan a re-election: the body and its size per R-ORG, the term per R-TERM-1.

    ``form`` congress: the committee is elected by a delegates' congress instead of a members'
    meeting (R-DEL-1); the upper level approves the form with the plan, which then also carries the
    congress's quota, composition and allocation (R-RPT-1, :func:`plan_content`). Only a congress
    may also elect ``discipline_seats`` members of the discipline commission, a contest beside the
    committee's; the commission's first plenary then elects its secretary (and
    ``discipline_deputy_seats`` deputies) among them, for the upper level's approval (R-CAND-5,
    R-RPT-3): :func:`add_discipline_contests`.
    """
    if not org.is_active:
        raise ActionError(f"“{org.name}”已撤销")
    open_elections = Election.objects.filter(organization=org, kind=ElectionKind.COMMITTEE)
    if open_elections.exclude(status__in=CLOSED_STATUSES).exists():
        raise ActionError("这个党组织已有一次正在进行的换届选举")
    if form not in ElectionForm.values:
        raise ActionError("请选择党员大会或党员代表大会", "form")
    at_congress = form == ElectionForm.CONGRESS
    if discipline_seats < 0 or (discipline_seats and not at_congress):
        raise ActionError("纪律检查委员会委员只在党员代表大会上与委员会一并选举", "discipline_seats")
    has_committee = check_plan_sizes(org, committee_seats, deputy_seats)  # R-ORG-2/3/4
    if at_congress and not has_committee:
        raise ActionError("召开党员代表大会的党组织选举委员会（R-DEL-1）", "form")
    check_discipline_seats(discipline_seats, discipline_deputy_seats)
    election = Election.objects.create(
        organization=org,
        form=form,
        has_committee=has_committee,
        committee_seats=committee_seats,
        deputy_seats=deputy_seats,
        term_years=term_years(org.kind_enum, org.sector_enum),  # R-TERM-1
        planned_on=planned_on,
        readiness=readiness.strip(),
        composition=composition.strip(),
        # Superseded by vetting's ElectionConditions, which falls back to it when the upper level has
        # set none (xuanju.vetting.services.conditions_of); a later migration can drop the field.
        minimum_party_age=minimum_party_age,
    )
    if has_committee:
        Contest.objects.create(
            election=election, post=Post.COMMITTEE_MEMBER, seats=committee_seats, position=0
        )
    Contest.objects.create(election=election, post=Post.SECRETARY, seats=1, position=1)
    if deputy_seats:
        Contest.objects.create(election=election, post=Post.DEPUTY_SECRETARY, seats=deputy_seats, position=2)
    add_discipline_contests(election, discipline_seats, discipline_deputy_seats)
    record(
        _actor(actor),
        "start_election",
        election,
        after=snapshot(election),
        summary=f"{election}：拟订换届方案",
    )
    return election


def check_plan_sizes(org: Organization, committee_seats: int, deputy_seats: int) -> bool:
    """The body ``org`` must have and the sizes a plan gives it (R-ORG-2/3/4): whether it has a
    committee; ActionError on the field at fault."""
    full = org.full_member_count if org.kind == "branch" else org.subtree_full_member_count
    has_committee = required_body(org.kind_enum, full) is Body.COMMITTEE  # R-ORG-2
    if has_committee:
        sizes = committee_size_range(org.kind_enum, org.sector_enum, org.has_standing_committee)
        # R-ORG-4: a size the upper level approved is lawful as it is; any other size is a new
        # request (the plan asks for it) and must lie within the ranges (R-ORG-2/3/4).
        approved = org.approved_committee_size if org.approved_committee_size == committee_seats else None
        size_problems = size_findings(
            org.kind_enum, org.sector_enum, committee_seats, approved, org.has_standing_committee
        )
        if Finding.COMMITTEE_TOO_SMALL in size_problems or Finding.COMMITTEE_TOO_LARGE in size_problems:
            raise ActionError(
                f"{org.get_kind_display()}委员会一般为 {sizes.minimum} 至 {sizes.normal_max} 人"
                f"（最多 {sizes.hard_max} 人，R-ORG-2、R-ORG-3、R-ORG-4）；"
                "另有上级批准职数的，请先在党组织资料中登记",
                "committee_seats",
            )
        if deputy_seats > 2 or deputy_seats >= committee_seats - 1:
            raise ActionError("副书记一般设 1 至 2 名，且须少于委员人数", "deputy_seats")
    else:
        if committee_seats:
            raise ActionError(
                "正式党员不足 7 人的支部不设委员会，只选书记（必要时选一名副书记）（R-ORG-2）",
                "committee_seats",
            )
        if deputy_seats > 1:
            raise ActionError("不设委员会的支部最多选一名副书记（R-ORG-2）", "deputy_seats")
    return has_committee


def check_discipline_seats(members: int, deputies: int) -> None:
    """The discipline commission's size and deputies: the deputies, like the committee's, are fewer
    than the members less the secretary, and at most two (R-CAND-5)."""
    if deputies < 0 or (deputies and not members):
        raise ActionError(
            "选举纪律检查委员会委员的，才由其第一次全体会议选举副书记", "discipline_deputy_seats"
        )
    if deputies > 2 or (members and deputies >= members - 1):
        raise ActionError("纪委副书记一般设 1 至 2 名，且须少于纪委委员人数减一", "discipline_deputy_seats")


def add_discipline_contests(election: Election, members: int, deputies: int) -> None:
    """The discipline commission's contests: its members, elected by the congress beside the
    committee, and its secretary (and deputies), elected by its first plenary (R-CAND-5)."""
    if not members:
        return
    Contest.objects.create(election=election, post=Post.DISCIPLINE_MEMBER, seats=members, position=3)
    Contest.objects.create(election=election, post=Post.DISCIPLINE_SECRETARY, seats=1, position=4)
    if deputies:
        Contest.objects.create(election=election, post=Post.DISCIPLINE_DEPUTY, seats=deputies, position=5)


@transaction.atomic
def start_delegates_election(
    actor: Any, org: Organization, planned_on: date, seats: int, title: str = ""
) -> Election:
    """An electoral unit's election of its delegates to a congress (R-DEL-5), ``seats`` being the
    unit's share of the quota (R-DEL-2/3). The congress plan the upper level approved covers it
    (R-RPT-1), so it starts with the plan approved: nomination → provisional candidates, reviewed
    by the convening organization → the unit's members' meeting elects, with a surplus of at least
    20% (R-DEL-4). The delegates then go to the credentials review (R-DEL-6). It may run beside the
    organization's own re-election."""
    if not org.is_active:
        raise ActionError(f"“{org.name}”已撤销")
    if seats < 1:
        raise ActionError("代表名额至少为 1（R-DEL-3）", "seats")
    election = Election.objects.create(
        organization=org,
        kind=ElectionKind.DELEGATES,
        title=title.strip(),
        status=ElectionStatus.PLAN_APPROVED,
        has_committee=False,
        committee_seats=0,
        deputy_seats=0,
        term_years=0,  # a delegate serves for the congress's term, not one of the unit's
        planned_on=planned_on,
    )
    Contest.objects.create(election=election, post=Post.DELEGATE, seats=seats, position=0)
    record(
        _actor(actor),
        "start_delegates_election",
        election,
        after=snapshot(election),
        summary=f"{election}：应选代表{seats}名",
    )
    return election


def plan_content(election: Election) -> dict[str, Any]:
    """What the request to hold the election states (R-RPT-1); at a congress also what the congress
    app adds (the delegate quota, composition and allocation) under ``congress``."""
    if election.kind == ElectionKind.BY_ELECTION:  # 关于补选…的请示
        return by_election.plan_content(election)
    org = election.organization
    committee = org.committees.filter(is_current=True).first()
    discipline = election.contests.filter(post=Post.DISCIPLINE_MEMBER).first()
    agenda = [
        "听取和审查上届委员会的工作报告",
        "选举新一届委员会"
        if election.has_committee
        else "选举书记" + ("、副书记" if election.deputy_seats else ""),
    ]
    if discipline is not None:
        agenda.append("选举新一届纪律检查委员会")
    content: dict[str, Any] = {
        "organization": org.name,
        "term": (
            f"本届委员会于{committee.elected_on:%Y年%m月%d日}选举产生，任期{committee.term_years}年，"
            f"{committee.term_end:%Y年%m月%d日}届满"
            if committee
            else "尚无本届委员会的记录"
        ),
        "readiness": election.readiness,
        "form": f"召开{ElectionForm(election.form).label}进行选举",
        "planned_on": election.planned_on.isoformat(),
        "agenda": agenda,
        "committee_seats": election.committee_seats,
        "deputy_seats": election.deputy_seats,
        "term_years": election.term_years,
        "composition": election.composition,
        "nomination": "由上届委员会根据多数党员的意见提出候选人预备人选，报上级党组织审查同意后，"
        "经党员酝酿讨论确定候选人（R-CAND-4）",
        "method": "差额选举，候选人多于应选人数不少于 20%（R-CAND-2）；书记、副书记可等额选举（R-CAND-3）",
    }
    if discipline is not None:
        content["discipline_seats"] = discipline.seats
        # R-CAND-5, R-RPT-3: the commission's first plenary elects its secretary and deputies
        deputies = election.contests.filter(post=Post.DISCIPLINE_DEPUTY).first()
        content["discipline_deputy_seats"] = deputies.seats if deputies else 0
    if election.at_congress:
        content["full_members"] = org.subtree_full_member_count  # R-DEL-1
        congress = hooks.congress()
        extra = congress.plan_content(election) if congress else None
        if extra:
            content["congress"] = extra  # R-RPT-1: quota, composition, allocation
    return content


@transaction.atomic
def submit_plan(actor: Any, election: Election) -> Approval:
    """Request the upper level's approval to hold the re-election (请示, R-RPT-1). After a return for
    changes (退回修改) the plan must have been edited (:func:`edit_plan`), and the request records
    the return and what changed since the returned version under ``revision`` (R-RPT-4)."""
    _require_status(election, ElectionStatus.PLANNING, why="不能再报送请示")
    if not election.readiness:
        raise ActionError("请示须写明换届准备情况（R-RPT-1）", "readiness")
    content = plan_content(election)
    if election.at_congress:
        # R-RPT-1: a congress's request carries its delegate quota, composition and allocation.
        congress = content.get("congress")
        if not congress:
            raise ActionError(
                "召开党员代表大会的，请示前须先拟订代表名额、构成和分配方案（R-RPT-1、R-DEL-2）"
            )
        if congress.get("problem"):
            raise ActionError(f"请示前须先理顺代表名额分配方案：{congress['problem']}")
    returned = (
        election.approvals.filter(kind=Approval.Kind.PLAN, decision=Approval.Decision.RETURNED)
        .order_by("-decided_on", "-id")
        .first()
    )
    if returned is not None:  # R-RPT-4: the new request says what changed since the returned one
        revision = revision_record(returned, content)
        if revision is None:
            raise ActionError(
                "上级已将请示退回修改：请按批复意见修改换届方案后再报送（与退回的请示相比还没有修改，R-RPT-4）"
            )
        content[REVISION_KEY] = revision
    return _send_up(
        actor,
        election,
        Approval.Kind.PLAN,
        content,
        ElectionStatus.PLAN_SUBMITTED,
        "submit_plan",
        "报送换届请示",
    )


def _set_contest(election: Election, post: str, seats: int, position: int) -> None:
    """The contest of ``post`` with ``seats`` seats, created, resized or (0 seats) removed. Only
    while planning: nothing is nominated before the plan is approved (R-RPT-4)."""
    if seats:
        Contest.objects.update_or_create(
            election=election, post=post, defaults={"seats": seats, "position": position}
        )
    else:
        Contest.objects.filter(election=election, post=post).delete()


def _plan_snapshot(election: Election) -> dict[str, Any]:
    return snapshot(election) | {"contests": {c.post: c.seats for c in election.contests.all()}}


@transaction.atomic
def edit_plan(
    actor: Any,
    election: Election,
    planned_on: date,
    committee_seats: int,
    deputy_seats: int,
    readiness: str = "",
    composition: str = "",
    discipline_seats: int = 0,
    discipline_deputy_seats: int = 0,
) -> Election:
    """Change the plan before it is sent up — above all after the upper level returned the request
    for changes (退回修改): the organizer edits it and submits it again, and the new request states
    what changed since the returned version (:func:`submit_plan`, R-RPT-1, R-RPT-4). The sizes are
    checked as when the plan was made (R-ORG-2/3/4, R-CAND-5). The electing body (members' meeting
    or congress, R-DEL-1) is the plan's own and stays: another form is another plan."""
    _require_status(election, ElectionStatus.PLANNING, why="换届方案已报上级，不能再修改（R-RPT-4）")
    if discipline_seats < 0 or (discipline_seats and not election.at_congress):
        raise ActionError("纪律检查委员会委员只在党员代表大会上与委员会一并选举", "discipline_seats")
    has_committee = check_plan_sizes(election.organization, committee_seats, deputy_seats)
    if has_committee != election.has_committee:
        raise ActionError(
            "正式党员人数变化后应设的组织已不同，请重新发起换届选举（R-ORG-2）", "committee_seats"
        )
    check_discipline_seats(discipline_seats, discipline_deputy_seats)
    before = _plan_snapshot(election)
    election.planned_on = planned_on
    election.committee_seats = committee_seats
    election.deputy_seats = deputy_seats
    election.readiness = readiness.strip()
    election.composition = composition.strip()
    election.save(update_fields=["planned_on", "committee_seats", "deputy_seats", "readiness", "composition"])
    if has_committee:
        _set_contest(election, Post.COMMITTEE_MEMBER, committee_seats, 0)
    _set_contest(election, Post.DEPUTY_SECRETARY, deputy_seats, 2)
    _set_contest(election, Post.DISCIPLINE_MEMBER, discipline_seats, 3)
    _set_contest(election, Post.DISCIPLINE_SECRETARY, 1 if discipline_seats else 0, 4)
    _set_contest(election, Post.DISCIPLINE_DEPUTY, discipline_deputy_seats, 5)
    record(
        _actor(actor),
        "edit_plan",
        election,
        before=before,
        after=_plan_snapshot(election),
        summary=f"{election}：修改换届方案",
    )
    return election


@transaction.atomic
def decide(actor: Any, approval: Approval, decision: str, document: str, comments: str) -> Approval:
    """The upper level's reply to a request: approve, return for changes, or refuse (R-RPT-4)."""
    if approval.decision != Approval.Decision.PENDING:
        raise ActionError("这份请示已经批复过了")
    if decision not in (Approval.Decision.APPROVED, Approval.Decision.RETURNED, Approval.Decision.REFUSED):
        raise ActionError("请选择同意、退回修改或不同意", "decision")
    if decision != Approval.Decision.APPROVED and not comments.strip():
        raise ActionError("退回或不同意时请写明意见", "comments")
    election = approval.election
    approval.decision = decision
    approval.decided_on = timezone.localdate()
    approval.decided_by = _actor(actor)
    approval.document = document.strip()
    approval.comments = comments.strip()
    approval.save()
    approved = decision == Approval.Decision.APPROVED
    if approval.kind == Approval.Kind.PLAN:
        if approved:
            election.status = ElectionStatus.PLAN_APPROVED
            if election.has_committee:  # R-ORG-4: the approved size is the organization's
                organization_actions.update_organization(
                    actor, election.organization, approved_committee_size=election.committee_seats
                )
        else:
            election.status = (
                ElectionStatus.PLANNING if decision == Approval.Decision.RETURNED else ElectionStatus.REFUSED
            )
    elif approval.kind == Approval.Kind.CANDIDATES:
        election.status = ElectionStatus.CANDIDATES_APPROVED if approved else ElectionStatus.PLAN_APPROVED
        if approved:
            Candidate.objects.filter(contest__election=election, stage=Candidate.Stage.PROVISIONAL).update(
                stage=Candidate.Stage.CANDIDATE
            )
    else:  # results: filing of the committee, approval of the secretary and deputies (R-RPT-3)
        if approved:
            if election.kind == ElectionKind.BY_ELECTION:  # the elected fill the vacant seats
                by_election.install(actor, election, approval.document)
            else:
                _install_committee(actor, election)
            for listener in hooks.results():  # the reserve pool marks the people elected
                listener.results_approved(election, actor)
            election.status = ElectionStatus.COMPLETED
        else:
            election.status = ElectionStatus.PLENARY if election.has_committee else ElectionStatus.MEETING
            # The report comes back to the meetings that elected the posts, which can vote again:
            # the plenaries (the committee's and the discipline commission's, R-CAND-5).
            last = list(PLENARIES) if election.has_committee else [Meeting.Kind.MEMBERS]
            Meeting.objects.filter(election=election, kind__in=last).update(closed=False)
    election.save(update_fields=["status"])
    record(
        _actor(actor),
        "decide",
        approval,
        after=snapshot(approval),
        summary=f"{election}：{approval.get_kind_display()}——{approval.get_decision_display()}",
    )
    return approval


def approving_organization(election: Election) -> Organization | None:
    """Who reviews ``election``'s provisional candidates when it is not the upper level: for a
    unit's election of delegates, the convening organization (R-DEL-5), as the congress answers.
    None: the upper level, as for any re-election (R-RPT-2)."""
    if not election.is_delegates:
        return None
    congress = hooks.congress()
    return congress.approving_organization(election) if congress else None
