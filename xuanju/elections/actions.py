"""Every step of a re-election, each one transaction that checks the rules, changes the records and
appends the audit record. Views authorize and call one action; a refused step raises ActionError
with a Chinese message that says why and cites the rule.

The order of the steps (R-RPT-4: nothing that needs an approval starts before it exists):
plan → request (请示) → reply (批复) → nominations → provisional candidates → review by the upper
level → members' meeting (roll call, procedure, scrutineers, rounds) → first plenary (secretary and
deputies; a branch without a committee elects its secretary at the members' meeting) → report of the
results → approval of the secretary and deputies → the new committee replaces the old.

At a delegates' congress (R-DEL-1, ``Election.form`` congress) the same plan carries the congress's
quota, composition and allocation (R-RPT-1), the congress opens once its delegates are formal
(R-DEL-6) and votes, perhaps after a pre-election (预选), on the committee and the discipline
commission. A unit's election of delegates (``Election.kind`` delegates, R-DEL-5) starts with the
congress plan approved, has its provisional candidates reviewed by the convening organization and
ends when its delegates are elected: they go to the congress's credentials review (R-DEL-6).
The congress app answers for the congress through :mod:`xuanju.elections.hooks`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.display import cn_date
from xuanju.elections import duties, hooks
from xuanju.elections.models import (
    CLOSED_STATUSES,
    RULE_POST,
    Approval,
    Attendance,
    BallotEntry,
    Candidate,
    Contest,
    CountingMethod,
    Elected,
    Election,
    ElectionForm,
    ElectionKind,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Nomination,
    Objection,
    Post,
    PublicNotice,
    Round,
)
from xuanju.elections.revision import REVISION_KEY, revision_record
from xuanju.elections.rounds import (
    contest_minimum,
    election_round,
    held_round,
    in_pre_election,
    result_document,
)
from xuanju.formats.wording import problem_text
from xuanju.organizations import actions as organization_actions
from xuanju.organizations.actions import SeatInput
from xuanju.organizations.models import Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.rules import sequence
from xuanju.rules.ballots import Ballot
from xuanju.rules.candidates import SlateProblem, minimum_candidates, slate_problem
from xuanju.rules.counting import Path
from xuanju.rules.meeting import has_quorum, minimum_present_for_quorum
from xuanju.rules.names import canonical_name
from xuanju.rules.organizations import Body, Finding, committee_size_range, required_body, size_findings
from xuanju.rules.quota import needs_congress
from xuanju.rules.reduction import ConsentReading, least_consenting
from xuanju.rules.tally import (
    ReductionProblem,
    may_reduce_seats,
    revote_has_tie,
    round_problems,
    seat_reduction_problem,
)
from xuanju.rules.terms import term_years
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor

SEAT_POST = {  # the post a person elected to a contest holds on the committee
    Post.COMMITTEE_MEMBER: "member",
    Post.SECRETARY: "secretary",
    Post.DEPUTY_SECRETARY: "deputy_secretary",
}
VOTING_POSTS = (Post.COMMITTEE_MEMBER, Post.DISCIPLINE_MEMBER)  # elected by the members or the congress
LEADING_POSTS = (Post.SECRETARY, Post.DEPUTY_SECRETARY)  # elected by the first plenary (R-CAND-5)
# Elected by the discipline commission's own first plenary, among its members, and approved by the
# upper level like the committee's secretary (R-CAND-5, R-RPT-3).
DISCIPLINE_LEADING_POSTS = (Post.DISCIPLINE_SECRETARY, Post.DISCIPLINE_DEPUTY)
# Each first plenary: the body whose newly elected members vote, and the posts they elect (R-CAND-5).
PLENARIES = {
    Meeting.Kind.PLENARY: (Post.COMMITTEE_MEMBER, LEADING_POSTS),
    Meeting.Kind.DISCIPLINE_PLENARY: (Post.DISCIPLINE_MEMBER, DISCIPLINE_LEADING_POSTS),
}
APPROVED_POSTS = LEADING_POSTS + DISCIPLINE_LEADING_POSTS  # approved (批准); the others filed (R-RPT-3)


def _require_status(election: Election, *allowed: str, why: str) -> None:
    if election.status not in allowed:
        raise ActionError(f"现在是“{election.get_status_display()}”阶段，{why}")


def _members_of(org: Organization) -> Any:
    """Members on the roll of ``org`` and the organizations beneath it."""
    return Member.objects.within(org).on_roll()


def candidate_pool(election: Election) -> Any:
    """The members ``election``'s candidates may come from: the congress's answer for a unit's
    election of delegates (:meth:`~xuanju.elections.hooks.CongressHooks.nominees`), else the members
    of the organization and beneath it."""
    congress = hooks.congress()
    pool = congress.nominees(election) if congress else None
    if pool is None:
        return _members_of(election.organization)
    return pool.filter(left_on__isnull=True)


def may_hold_congress(org: Organization) -> bool:
    """R-DEL-1 by the numbers the system holds: 500+ full members in the subtree. An organization
    with scattered sub-units may also hold a congress; the roll does not record that, so the start
    form offers a congress only by the count, and the upper level's approval of the plan decides."""
    return org.kind != "branch" and needs_congress(org.subtree_full_member_count, scattered_units=False)


# --- plan and request ---------------------------------------------------------------------


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


def _send_up(
    actor: Any, election: Election, kind: str, content: dict[str, Any], status: str, action: str, summary: str
) -> Approval:
    """File a request (请示/报告) with the upper level, dated today, and move the election on (R-RPT-4)."""
    approval = Approval.objects.create(
        election=election,
        kind=kind,
        submitted_on=timezone.localdate(),
        submitted_by=_actor(actor),
        content=content,
    )
    election.status = status
    election.save(update_fields=["status"])
    record(_actor(actor), action, approval, after=snapshot(approval), summary=f"{election}：{summary}")
    return approval


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


# --- nomination and candidates ------------------------------------------------------------


def _check_eligible(member: Member, election: Election, contest: Contest) -> None:
    """Membership of the organization's subtree (for a unit's election of delegates: of the unit,
    :func:`candidate_pool`) and the right to stand on the planned date (R-VOTE, R-CAND-6). The
    upper level's conditions (R-CAND-1) are vetting's
    (:func:`xuanju.vetting.services.require_conditions`), required of the provisional candidates."""
    org = election.organization
    congress = hooks.congress()
    pool = congress.nominees(election) if congress else None
    if pool is not None:
        if member.left_on is not None or not pool.filter(pk=member.pk).exists():
            raise ActionError(f"{member.name}不是本选举单位的在册党员（R-DEL-5）", "member")
    elif not member.organization.path.startswith(org.path) or member.left_on is not None:
        raise ActionError(f"{member.name}不是{org.name}（含下级组织）的在册党员", "member")
    if not rights_of(member, election.planned_on).can_stand:
        raise ActionError(f"{member.name}在选举日没有被选举权（R-VOTE、R-CAND-6）", "member")


def _fresh(election: Election) -> Election:
    """``election`` as stored now: the conditions are read from the database, and the caller's
    instance keeps no cached (perhaps absent) conditions or targets."""
    return Election.objects.select_related("organization").get(pk=election.pk)


def _on_record(member: Member) -> Member:
    """``member`` as stored now, with the records the conditions read (profile, sanctions, rights)."""
    return (
        Member.objects.select_related("organization", "profile")
        .prefetch_related("sanctions", "restrictions")
        .get(pk=member.pk)
    )


@transaction.atomic
def record_nomination(actor: Any, contest: Contest, nominee: Member, source: str, count: int) -> Nomination:
    """Record who nominated whom and how many (R-CAND-4); only after the plan is approved (R-RPT-4).

    A nominee who fails the upper level's conditions (R-CAND-1) is still recorded, so that the
    organizers see the nomination and the reasons; such a person cannot be made provisional."""
    election = contest.election
    _require_status(
        election, ElectionStatus.PLAN_APPROVED, why="须在上级同意换届后、报送候选人之前推荐提名（R-RPT-4）"
    )
    if count < 1:
        raise ActionError("推荐人数至少为 1", "count")
    _check_eligible(nominee, election, contest)
    nomination = Nomination.objects.create(
        contest=contest, nominee=nominee, source=source.strip(), count=count
    )
    Candidate.objects.get_or_create(contest=contest, member=nominee)
    record(
        _actor(actor),
        "record_nomination",
        nomination,
        after=snapshot(nomination),
        summary=f"{election}：推荐{nominee.name}（{source}，{count}人）",
    )
    return nomination


def nomination_tally(contest: Contest) -> list[tuple[Member, int]]:
    """Nominees by the number who nominated them, most first (the organizers' view)."""
    totals = (
        Nomination.objects.filter(contest=contest)
        .values("nominee")
        .annotate(total=Sum("count"))
        .order_by("-total")
    )
    members = Member.objects.in_bulk([row["nominee"] for row in totals])
    return [(members[row["nominee"]], row["total"]) for row in totals]


@transaction.atomic
def set_candidate(
    actor: Any,
    contest: Contest,
    member: Member,
    stage: str,
    vetting: str = "",
    profile: str = "",
    order: int | None = None,
) -> Candidate:
    """Put a person on the preliminary list or the provisional candidates, or drop them. A
    provisional candidate must meet the upper level's conditions (R-CAND-1, R-CAND-6): a refusal
    gives every reason."""
    election = contest.election
    _require_status(election, ElectionStatus.PLAN_APPROVED, why="候选人名单已报上级，不能再修改")
    if stage != Candidate.Stage.DROPPED:
        _check_eligible(member, election, contest)
    if stage == Candidate.Stage.CANDIDATE:
        raise ActionError("候选人须经上级审查同意后确定（R-CAND-4、R-RPT-2）", "stage")
    if stage == Candidate.Stage.PROVISIONAL:
        hooks.candidacy().require_conditions(_on_record(member), _fresh(election))
    candidate, _ = Candidate.objects.get_or_create(contest=contest, member=member)
    before = snapshot(candidate)
    candidate.stage, candidate.vetting, candidate.profile, candidate.order = (
        stage,
        vetting.strip(),
        profile.strip(),
        order,
    )
    candidate.save()
    record(
        _actor(actor),
        "set_candidate",
        candidate,
        before=before,
        after=snapshot(candidate),
        summary=f"{election}：{member.name}列为{candidate.get_stage_display()}",
    )
    return candidate


def slate_check(contest: Contest) -> SlateProblem | None:
    """R-CAND-2/3 for the provisional candidates of ``contest``."""
    if contest.election.kind == ElectionKind.BY_ELECTION:  # its own slate rule, source named
        return by_election.slate_problem(contest)
    count = contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL).count()
    return slate_problem(RULE_POST[Post(contest.post)], contest.seats, count)


# --- public notices (公示) ------------------------------------------------------------------
# A notice of the candidates goes out before the provisional candidates are sent up (R-RPT-2); a
# notice of the results goes out once every post is filled and before the results are reported
# (R-RPT-3). Problems raised during a notice must be answered before that next step, so the upper
# level reviews the candidates or the results together with the objections and their answers.

NOTICE_STEP = {  # the step a notice must be settled before, and the statuses it may be answered in
    PublicNotice.Kind.CANDIDATES: ("报送预备人选", (ElectionStatus.PLAN_APPROVED,)),
    PublicNotice.Kind.RESULTS: ("报送选举结果", (ElectionStatus.MEETING, ElectionStatus.PLENARY)),
}


def all_posts_filled(election: Election) -> bool:
    """Every contest filled (or its seats reduced with consent): the results can be published."""
    return all(contest_done(c) for c in election.contests.all())


@transaction.atomic
def publish_notice(
    actor: Any,
    election: Election,
    body: str,
    starts_on: date,
    ends_on: date,
    kind: str = PublicNotice.Kind.CANDIDATES,
) -> PublicNotice:
    """Publish a notice for members to read and object to (公示).

    Candidates: after the plan is approved, before the provisional candidates are sent up (R-RPT-2).
    Results: once every post is filled, before the results are reported (R-RPT-3).
    """
    if kind == PublicNotice.Kind.RESULTS:
        _require_status(
            election,
            ElectionStatus.MEETING,
            ElectionStatus.PLENARY,
            why="选举结果公示须在报送选举结果之前进行",
        )
        if not all_posts_filled(election):
            raise ActionError("各职务选满（另选他人当选者已确认）后才能公示选举结果")
    elif kind == PublicNotice.Kind.CANDIDATES:
        _require_status(election, ElectionStatus.PLAN_APPROVED, why="公示须在确定预备人选、报送上级之前进行")
    else:
        raise ActionError("请选择公示类型", "kind")
    if not body.strip():
        raise ActionError("请填写公示内容", "body")
    if ends_on < starts_on:
        raise ActionError("公示结束日期不能早于开始日期", "ends_on")
    notice = PublicNotice.objects.create(
        election=election,
        kind=kind,
        body=body.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=_actor(actor),
    )
    record(
        _actor(actor),
        "publish_notice",
        notice,
        after=snapshot(notice),
        summary=f"{election}：{notice.get_kind_display()}{cn_date(starts_on)}至{cn_date(ends_on)}",
    )
    return notice


@transaction.atomic
def lodge_objection(actor: Any, notice: PublicNotice, content: str, anonymous: bool) -> Objection:
    """A member raises a problem during the notice period, named or anonymously.

    An anonymous objection keeps only its content and the date: no account, no address, and no
    audit record yet — an audit record's time of day could be matched to the member's visit
    (R-SUP-1). It enters the chain, content and date, when it is answered, which every objection
    must be before the step that follows (R-SUP-4); the misconduct reports do the same.
    """
    today = timezone.localdate()
    if not notice.starts_on <= today <= notice.ends_on:
        raise ActionError(f"只能在公示期内（{cn_date(notice.starts_on)}至{cn_date(notice.ends_on)}）反映问题")
    if not content.strip():
        raise ActionError("请写明反映的问题", "content")
    objection = Objection.objects.create(
        notice=notice, content=content.strip(), lodged_on=today, lodged_by="" if anonymous else _actor(actor)
    )
    if not anonymous:
        record(
            _actor(actor),
            "lodge_objection",
            objection,
            after={"notice": notice.pk},
            summary=f"{notice.election}：{notice.get_kind_display()}期间反映问题",
        )
    return objection


@transaction.atomic
def answer_objection(actor: Any, objection: Objection, answer: str) -> Objection:
    """The organizers answer a problem raised during a notice, before the step the notice precedes."""
    if not answer.strip():
        raise ActionError("请填写答复", "answer")
    if objection.answered_on is not None:
        raise ActionError("这个问题已经答复过了")
    notice = objection.notice
    step, statuses = NOTICE_STEP[PublicNotice.Kind(notice.kind)]
    if notice.election.status not in statuses:
        raise ActionError(f"已经{step}，答复须在{step}之前作出")
    objection.answer, objection.answered_on, objection.answered_by = (
        answer.strip(),
        timezone.localdate(),
        _actor(actor),
    )
    objection.save()
    record(
        _actor(actor),
        "answer_objection",
        objection,
        after=snapshot(objection),
        summary=f"{notice.election}：答复{notice.get_kind_display()}期间反映的问题",
    )
    return objection


def notice_problem(election: Election, kind: str = PublicNotice.Kind.CANDIDATES) -> str | None:
    """Why the step after a notice of ``kind`` cannot be taken yet: a period still running, or a
    problem raised and not answered (R-RPT-2 for the candidates, R-RPT-3 for the results)."""
    today = timezone.localdate()
    step, _ = NOTICE_STEP[PublicNotice.Kind(kind)]
    for notice in election.notices.filter(kind=kind):
        if notice.ends_on >= today:
            return f"{notice.get_kind_display()}到 {cn_date(notice.ends_on)} 结束，公示期满后才能{step}"
        if notice.objections.filter(answered_on__isnull=True).exists():
            return f"{notice.get_kind_display()}期间反映的问题还没有全部答复，答复后才能{step}"
    return None


def notice_report(election: Election, kind: str) -> list[dict[str, Any]]:
    """The notices of ``kind`` with their objections and answers, for the report to the upper level.
    Named objections keep their author; anonymous ones say so."""
    return [
        {
            "period": f"{cn_date(n.starts_on)}至{cn_date(n.ends_on)}",
            "objections": [
                {
                    "lodged_on": str(o.lodged_on),
                    "lodged_by": o.lodged_by or "匿名",
                    "content": o.content,
                    "answered_on": str(o.answered_on),
                    "answer": o.answer,
                }
                for o in n.objections.all()
            ],
        }
        for n in election.notices.filter(kind=kind).prefetch_related("objections")
    ]


def _submitted(candidate: Candidate) -> dict[str, Any]:
    """One provisional candidate as the request states it: the vetting record's conclusion (or the
    text typed on the candidates page), the education and the current post on record at the time of
    submission (vetting's answer: xuanju.vetting.hooks)."""
    return hooks.candidacy().submitted_candidate(candidate)


def slate_summary(election: Election) -> dict[str, Any]:
    """The slate's structure (:func:`xuanju.vetting.services.slate_document`) in plain JSON values,
    kept with the submitted candidates so that the request document reads the same later, whatever
    happens to the profiles or the day ages are counted on."""
    document = hooks.candidacy().slate_document(election)
    s = document["structure"]
    return {
        "on": document["on"].isoformat(),
        "size": s["size"],
        "seats": s["seats"],
        "women": s["women"],
        "minorities": s["minorities"],
        "average_age": s["average_age"],
        "college_or_above": s["college_or_above"],
        "education_unknown": s["education"].get("未登记", 0),
        "front_line": s["front_line"],
    }


@transaction.atomic
def submit_candidates(actor: Any, election: Election) -> Approval:
    """Send the provisional candidates to the upper level for review (R-RPT-2, R-CAND-4) — for a
    unit's election of delegates, to the convening organization (R-DEL-5; who may decide:
    :func:`approving_organization`).

    The upper level's conditions can change until now, so every provisional candidate is checked
    against them again (R-CAND-1, R-CAND-6); a refusal names everyone who fails, with every reason."""
    _require_status(election, ElectionStatus.PLAN_APPROVED, why="现在不能报送候选人预备人选")
    waiting = notice_problem(election, PublicNotice.Kind.CANDIDATES)
    if waiting:
        raise ActionError(waiting)
    checked = _fresh(election)  # the conditions as they stand now (they may have changed)
    content: dict[str, Any] = {"contests": []}
    committee_candidates = set(
        Candidate.objects.filter(
            contest__election=election, contest__post=Post.COMMITTEE_MEMBER, stage=Candidate.Stage.PROVISIONAL
        ).values_list("member_id", flat=True)
    )
    if election.kind == ElectionKind.BY_ELECTION:  # a vacant secretary: from the sitting members too
        by_election.check_candidates(election)
        committee_candidates |= {m.pk for m in by_election.sitting_members(election)}
    commission_candidates = set(
        Candidate.objects.filter(
            contest__election=election,
            contest__post=Post.DISCIPLINE_MEMBER,
            stage=Candidate.Stage.PROVISIONAL,
        ).values_list("member_id", flat=True)
    )
    failing: dict[int, str] = {}
    for contest in election.contests.order_by("position"):
        problem = slate_check(contest)
        if problem is SlateProblem.TOO_FEW_CANDIDATES:
            raise ActionError(
                f"{contest.get_post_display()}应选{contest.seats}人，差额选举的预备人选至少{minimum_candidates(contest.seats)}人（R-CAND-2）"
            )
        if problem is SlateProblem.FEWER_CANDIDATES_THAN_SEATS:
            raise ActionError(f"{contest.get_post_display()}的预备人选少于应选人数（R-CAND-3）")
        provisional = list(
            contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL)
            .select_related("member__organization", "member__profile", "vetting_record")
            .prefetch_related("member__sanctions", "member__restrictions")
        )
        for candidate in provisional:
            _check_eligible(candidate.member, election, contest)
            if candidate.member_id not in failing:
                reasons = hooks.candidacy().condition_failures(candidate.member, checked)
                failing[candidate.member_id] = (
                    f"{candidate.member.name}不符合条件：" + "；".join(reasons) if reasons else ""
                )
            # R-CAND-5: the secretary and deputies are chosen among the committee
            outside_committee = candidate.member_id not in committee_candidates
            if election.has_committee and contest.post in LEADING_POSTS and outside_committee:
                raise ActionError(
                    f"书记、副书记的预备人选{candidate.member.name}须同时是委员的预备人选（R-CAND-5）"
                )
            # R-CAND-5: likewise the commission's secretary and deputies among its members
            if contest.post in DISCIPLINE_LEADING_POSTS and candidate.member_id not in commission_candidates:
                raise ActionError(
                    f"纪委书记、副书记的预备人选{candidate.member.name}须同时是纪委委员的预备人选（R-CAND-5）"
                )
        content["contests"].append(
            {
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "candidates": [_submitted(c) for c in provisional],
            }
        )
    refused = [text for text in failing.values() if text]
    if refused:
        raise ActionError("预备人选须符合上级提出的条件，请调整后再报送。" + "。".join(refused))
    content["structure"] = slate_summary(checked)
    return _send_up(
        actor,
        election,
        Approval.Kind.CANDIDATES,
        content,
        ElectionStatus.CANDIDATES_SUBMITTED,
        "submit_candidates",
        "报送候选人预备人选",
    )


# --- meetings -----------------------------------------------------------------------------


def meeting_contests(meeting: Meeting) -> list[Contest]:
    """The contests this meeting votes on: the committee (and at a congress the discipline
    commission) at the members' meeting or the congress, the secretary and deputies at the plenary
    (R-CAND-5); all of them where a branch has no committee, and a unit's delegates at its members'
    meeting (R-DEL-5)."""
    election = meeting.election
    contests = list(election.contests.all())
    if not election.has_committee:
        return contests  # the members' meeting elects the secretary (or the delegates) directly
    if meeting.kind in PLENARIES:  # each first plenary its own posts (R-CAND-5)
        _, posts = PLENARIES[Meeting.Kind(meeting.kind)]
        return [c for c in contests if c.post in posts]
    return [c for c in contests if c.post in VOTING_POSTS]


@transaction.atomic
def open_meeting(actor: Any, election: Election, kind: str, held_on: date) -> Meeting:
    """Open the members' meeting, the delegates' congress, or the new committee's first plenary
    (R-CAND-5), with its roll.

    A committee elected at a congress (R-DEL-1) is elected by the congress, never a members'
    meeting, and the other way round. The congress opens only once the congress app says it may
    (its delegates formal after the credentials review, R-DEL-6); its roll is the delegates, so the
    quorum is over them (R-MEET-1). A unit's election of delegates calls the unit's full members
    (R-DEL-5). Everyone on a roll must hold the right to vote that day (R-VOTE-1..4)."""
    if Meeting.objects.filter(election=election, kind=kind).exists():
        raise ActionError("这次会议已经召开过了")
    if held_on > timezone.localdate():
        raise ActionError("会议日期不能晚于今天：会议召开时再在系统中开始", "held_on")
    if kind in (Meeting.Kind.MEMBERS, Meeting.Kind.CONGRESS):
        if kind != election.voting_meeting_kind:
            raise ActionError(
                "本次换届由党员代表大会选举，不召开党员大会选举（R-DEL-1）"
                if election.at_congress
                else "本次选举由党员大会进行，不是党员代表大会（R-DEL-1）"
            )
        _require_status(
            election, ElectionStatus.CANDIDATES_APPROVED, why="须在上级同意候选人后召开选举大会（R-RPT-4）"
        )
        congress = hooks.congress()
        if kind == Meeting.Kind.CONGRESS:
            if congress is None:
                raise ActionError("党员代表大会的代表尚未产生，不能召开（R-DEL-6）")
            reason = congress.congress_ready(election)
            if reason:
                raise ActionError(reason)
        listed = congress.voters(election, held_on) if congress else None
        if listed is None:
            if kind == Meeting.Kind.CONGRESS:
                raise ActionError("没有正式代表的名单，不能召开党员代表大会（R-DEL-6）")
            listed = list(_members_of(election.organization).prefetch_related("restrictions"))
        voters = [m for m in listed if rights_of(m, held_on).can_vote]  # R-VOTE-1..4
        election.status = ElectionStatus.MEETING
    elif kind in PLENARIES:
        _require_status(
            election, ElectionStatus.PLENARY, why="须在选出委员会后召开第一次全体会议（R-CAND-5）"
        )
        # the committee's plenary, or the discipline commission's, of their newly elected members
        body, _ = PLENARIES[Meeting.Kind(kind)]
        committee = Contest.objects.filter(election=election, post=body).first()
        if committee is None:
            raise ActionError("本次换届没有选举纪律检查委员会，不召开其全体会议")
        voters = [e.member for e in committee.elected.select_related("member") if e.member is not None]
        if election.kind == ElectionKind.BY_ELECTION:  # the sitting members with the by-elected
            voters = by_election.plenary_voters(election)
        elif len(voters) < committee.seats - committee.seats_reduced:
            raise ActionError("还有当选的另选他人未确认身份，请先确认（R-CNT-2）")
    else:
        raise ActionError("请选择要召开的会议")
    meeting = Meeting.objects.create(election=election, kind=kind, held_on=held_on)
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in voters)
    election.save(update_fields=["status"])
    record(
        _actor(actor),
        "open_meeting",
        meeting,
        after=snapshot(meeting) | {"voters": len(voters)},
        summary=f"{election}：召开{meeting.get_kind_display()}",
    )
    return meeting


def _require_not_voided(election_id: int) -> None:
    """A voided election keeps its records as they were (R-SUP-3)."""
    if Election.objects.filter(pk=election_id, status=ElectionStatus.VOIDED).exists():
        raise ActionError("这次选举已被上级宣布无效，记录不能再改（R-SUP-3）")


def _require_open_roll(meeting: Meeting) -> None:
    _require_not_voided(meeting.election_id)
    if meeting.roll_closed:
        raise ActionError("点名已经结束，不能再修改")


@transaction.atomic
def mark_present(actor: Any, meeting: Meeting, member_ids: list[int]) -> int:
    """Record who answered the roll call (no proxy: only those present count, R-VOTE-5)."""
    _require_open_roll(meeting)
    rows = Attendance.objects.filter(meeting=meeting)
    unknown = set(member_ids) - set(rows.values_list("member_id", flat=True))
    if unknown:
        raise ActionError("有人不在本次会议有选举权的名单上")
    rows.update(present=False)
    count = rows.filter(member_id__in=member_ids).update(present=True)
    record(_actor(actor), "mark_present", meeting, after={"present": count})
    return count


@transaction.atomic
def exclude_from_entitled(
    actor: Any, meeting: Meeting, member: Member, reason: str, consent: str
) -> Attendance:
    """Leave a member out of those entitled to attend, with the approvals (R-MEET-2)."""
    _require_open_roll(meeting)
    if not consent.strip():
        raise ActionError("须写明上级党组织同意和会议通过的情况（R-MEET-2）", "consent")
    entry = Attendance.objects.filter(meeting=meeting, member=member).first()
    if entry is None:
        raise ActionError(f"{member.name}不在本次会议有选举权的名单上")
    entry.excluded_reason, entry.exclusion_consent, entry.present = reason, consent.strip(), False
    entry.save()
    record(
        _actor(actor),
        "exclude_from_entitled",
        entry,
        after=snapshot(entry),
        summary=f"{member.name}不计入应到会人数",
    )
    return entry


@transaction.atomic
def close_roll(actor: Any, meeting: Meeting) -> Meeting:
    """Count those entitled and present and check the quorum (R-MEET-1/2)."""
    _require_open_roll(meeting)
    rows = Attendance.objects.filter(meeting=meeting)
    meeting.entitled = rows.filter(excluded_reason="").count()
    meeting.present = rows.filter(excluded_reason="", present=True).count()
    if not has_quorum(meeting.present, meeting.entitled):  # R-MEET-1
        raise ActionError(
            f"应到会{meeting.entitled}人，实到{meeting.present}人，未超过五分之四"
            f"（至少须到{minimum_present_for_quorum(meeting.entitled)}人），不能进行选举（R-MEET-1）"
        )
    meeting.roll_closed = True
    meeting.save(update_fields=["entitled", "present", "roll_closed"])
    record(
        _actor(actor), "close_roll", meeting, after={"entitled": meeting.entitled, "present": meeting.present}
    )
    return meeting


@transaction.atomic
def adopt_procedure(
    actor: Any,
    meeting: Meeting,
    majority_base: str,
    tie_revote_needs_majority: bool,
    votes_for: int,
    pre_election_candidates: int | None = None,
    pre_election_needs_majority: bool = True,
    issued_over_present_voids: bool = False,
    counting_method: str = CountingMethod.DOUBLE_ENTRY,
) -> Meeting:
    """The meeting adopts the election procedure (选举办法) by vote before voting (R-MEET-3), with
    its counting parameters: the majority base (R-CNT-1), whether a tie revote needs a majority
    (R-CNT-4), whether a pre-election does (R-CNT-8, default yes) and whether ballots issued beyond
    those present void a round (R-BAL-5, default no).

    The procedure fixes how the paper ballots are counted (``counting_method``, default 双人录入):
    every round opens with it unless the round chooses another (R-MEET-4).

    A congress may adopt a pre-election (预选) of the committee: the first round keeps the
    ``pre_election_candidates`` with the most for-votes as the formal candidates, fewer than the
    candidates and still at least the seats plus the 20% surplus (R-CAND-2); the formal election
    follows over them (:func:`next_round_plan`)."""
    if not meeting.roll_closed:
        raise ActionError("请先完成点名（R-MEET-1）")
    if meeting.rounds.exists():
        raise ActionError("已经开始投票，选举办法不能再改")
    if pre_election_candidates is not None:
        if meeting.kind != Meeting.Kind.CONGRESS:
            raise ActionError("只有党员代表大会的选举办法可以规定预选", "pre_election_candidates")
        committee = Contest.objects.get(election=meeting.election_id, post=Post.COMMITTEE_MEMBER)
        listed = committee.candidates.filter(stage=Candidate.Stage.CANDIDATE).count()
        least = minimum_candidates(committee.seats)
        if not least <= pre_election_candidates < listed:
            raise ActionError(
                f"委员应选{committee.seats}人、候选人{listed}人：预选产生的正式候选人须少于{listed}人，"
                f"且不少于{least}人（差额不少于 20%，R-CAND-2）",
                "pre_election_candidates",
            )
    if votes_for * 2 <= meeting.present:
        raise ActionError(
            f"选举办法须经到会有选举权的{meeting.voter_word}过半数通过（{meeting.present}人中至少{meeting.present // 2 + 1}人）",
            "votes_for",
        )
    meeting.majority_base = majority_base
    meeting.tie_revote_needs_majority = tie_revote_needs_majority
    meeting.pre_election_candidates = pre_election_candidates
    meeting.pre_election_needs_majority = pre_election_needs_majority
    meeting.issued_over_present_voids = issued_over_present_voids
    if counting_method not in CountingMethod.values:
        raise ActionError("请选择双人录入、扫描计票或单人录入（监票人逐张确认）", "counting_method")
    meeting.counting_method = counting_method
    meeting.procedure_adopted = True
    meeting.procedure_votes = f"到会{meeting.present}人，{votes_for}人赞成"
    meeting.save()
    record(_actor(actor), "adopt_procedure", meeting, after=snapshot(meeting), summary="通过选举办法")
    return meeting


@transaction.atomic
def appoint(actor: Any, meeting: Meeting, member: Member, role: str) -> MeetingRole:
    """Name a scrutineer or counter; scrutineers are voters who are not candidates (R-MEET-4)."""
    if not meeting.procedure_adopted:
        raise ActionError("监票人、计票人在通过选举办法后由会议表决通过（R-MEET-3、R-MEET-4）")
    contests = meeting_contests(meeting)
    standing = Candidate.objects.filter(
        contest__in=contests, member=member, stage=Candidate.Stage.CANDIDATE
    ).exists()
    if standing:
        raise ActionError(f"{member.name}是本次选举的候选人，不能担任监票人或计票人（R-MEET-4）", "member")
    # R-MEET-4: scrutineers are proposed from the voters present — ticked at this meeting's roll
    # call (members, the new committee at its plenary, formal delegates at a congress).
    roll = Attendance.objects.filter(meeting=meeting, member=member, excluded_reason="").first()
    if role != MeetingRole.Role.COUNTER and (roll is None or not roll.present):
        why = "点名时未到会" if roll is not None else "不是本次会议有选举权的人员"
        raise ActionError(
            f"{member.name}{why}，不能担任监票人：监票人从到会的{meeting.voter_word}中提出（R-MEET-4）",
            "member",
        )
    entry = MeetingRole.objects.create(meeting=meeting, member=member, role=role)
    record(
        _actor(actor),
        "appoint",
        entry,
        after=snapshot(entry),
        summary=f"{member.name}任{entry.get_role_display()}",
    )
    return entry


@transaction.atomic
def dismiss(actor: Any, role: MeetingRole) -> None:
    """Take back a scrutineer or counter named by mistake, before any ballot is issued."""
    if role.meeting.rounds.exists():
        raise ActionError("已经开始投票，监票人、计票人不能再更换")
    record_deletion(_actor(actor), "dismiss", role)


# --- rounds -------------------------------------------------------------------------------


def _ready_to_vote(meeting: Meeting) -> None:
    if meeting.closed:
        raise ActionError("会议已经结束")
    if not meeting.roll_closed:
        raise ActionError("请先完成点名并确认到会人数超过五分之四（R-MEET-1）")
    if not meeting.procedure_adopted:
        raise ActionError("请先通过选举办法（R-MEET-3）")
    roles = set(meeting.roles.values_list("role", flat=True))
    if MeetingRole.Role.SCRUTINEER not in roles and MeetingRole.Role.CHIEF_SCRUTINEER not in roles:
        raise ActionError("请先经会议通过监票人（R-MEET-4）")
    if MeetingRole.Role.COUNTER not in roles:
        raise ActionError("请先确定计票人（R-MEET-4）")


def _pre_election_setting(contest: Contest) -> int | None:
    """How many formal candidates a pre-election of ``contest`` keeps: the congress's adopted
    procedure, for the committee only; None: no pre-election."""
    if contest.post != Post.COMMITTEE_MEMBER:
        return None
    meeting = Meeting.objects.filter(election=contest.election_id, kind=Meeting.Kind.CONGRESS).first()
    return meeting.pre_election_candidates if meeting else None


def pre_election_rounds(contest: Contest) -> list[Round]:
    """The rounds of the pre-election of ``contest`` (:func:`sequence.pre_election_stage`)."""
    rounds = list(contest.rounds.order_by("number"))
    return rounds[: len(sequence.pre_election_stage([held_round(r) for r in rounds]))]


def next_round_plan(contest: Contest) -> tuple[str, int, list[Candidate]] | None:
    """The kind, seats and candidates of the round ``contest`` needs next; None when it is done or
    its last round is still being counted. The rules decide (:func:`sequence.next_round`: pre-election,
    repeat of a void round, tie revote, further election, R-CNT-4/6/8, R-BAL-5); this loads the
    rounds and maps the candidates' keys back to the stored candidates."""
    rounds = list(contest.rounds.order_by("number").prefetch_related("candidates"))
    by_key = {c.key: c for c in contest.candidates.all()}
    finals = [c.key for c in by_key.values() if c.stage == Candidate.Stage.CANDIDATE]
    plan = sequence.next_round(
        [held_round(r) for r in rounds],
        seats=contest.seats,
        filled=contest.elected.count() + contest.seats_reduced if rounds else 0,
        formal_candidates=finals,
        pre_election_keeps=_pre_election_setting(contest) if not rounds else None,
    )
    if plan is None:
        return None
    return plan.kind.value, plan.seats, [by_key[k] for k in plan.candidates if k in by_key]


@transaction.atomic
def open_round(
    actor: Any, contest: Contest, meeting: Meeting, issued: int, counting_method: str | None = None
) -> Round:
    """Issue the ballots of the next round of ``contest`` (R-BAL-5: never more than are present).

    The round is counted by ``counting_method``, by default the one the procedure adopted; it is
    stored on the round and audited, and no ballot enters the round by any other path (R-MEET-4)."""
    _ready_to_vote(meeting)
    method = counting_method or meeting.counting_method
    if method not in CountingMethod.values:
        raise ActionError("请选择双人录入、扫描计票或单人录入（监票人逐张确认）", "counting_method")
    if contest not in meeting_contests(meeting):
        raise ActionError(f"{contest.get_post_display()}不在这次会议上选举（R-CAND-5）")
    if contest.rounds.filter(closed=False).exists():
        raise ActionError("上一轮还没有计票结束")
    plan = next_round_plan(contest)
    if plan is None:
        raise ActionError(f"{contest.get_post_display()}已经选满，不需要再投票")
    kind, seats, candidates = plan
    if not candidates:
        raise ActionError("没有候选人可以列入选票，请按选举办法补充提名（R-CNT-6）")
    if kind == Round.Kind.TIE_REVOTE and not revote_has_tie(len(candidates), seats):
        # R-CNT-4: e.g. a tie with a write-in person, who is not on the candidates' list
        raise ActionError(
            f"再次投票只在得票相等、多于剩余名额的人之间进行：能列入选票的只有 {len(candidates)} 人，"
            f"不多于剩余的 {seats} 个名额，不能再次投票；得票相等的另选他人须先经审查列为候选人（R-CNT-4）"
        )
    if issued < 1 or issued > meeting.present:
        # R-BAL-5: sheets handed out beyond those present are a staff error corrected on the spot
        # (withdrawn and registered as unused) before the number issued is recorded
        raise ActionError(
            f"发出的选票应在 1 至实到会人数 {meeting.present} 张之间；多发的选票应当场收回并登记为未使用（R-BAL-5）",
            "issued",
        )
    number = contest.rounds.count() + 1
    round_ = Round.objects.create(
        contest=contest,
        meeting=meeting,
        number=number,
        kind=kind,
        seats=seats,
        issued=issued,
        counting_method=method,
    )
    round_.candidates.set(candidates)
    record(
        _actor(actor),
        "open_round",
        round_,
        after=snapshot(round_) | {"candidates": [c.key for c in candidates]},
        summary=f"{contest}：第{number}轮{round_.get_kind_display()}，发出选票{issued}张，"
        f"计票方式：{round_.get_counting_method_display()}",
    )
    return round_


def _require_open(round_: Round) -> None:
    _require_not_voided(round_.meeting.election_id)
    if round_.closed:
        raise ActionError("这一轮已经计票结束，选票记录不能再改")


def check_ballot(
    round_: Round,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> Ballot:
    """The reading of one paper ballot (or ``count`` identical ones) as the rules engine sees it;
    ActionError when the engine could not count it (R-BAL-2..4). Stores nothing."""
    _require_open(round_)
    ballot = Ballot(
        for_=tuple(marks_for),
        against=tuple(marks_against),
        write_in=tuple(w.strip() for w in write_ins),
        count=count,
        void_reason=void_reason.strip() or None,
    )
    probe = election_round(round_, extra=[ballot], only_extra=True)
    problems = round_problems(probe)
    if problems:
        raise ActionError("；".join(problem_text(p) for p in problems))
    return ballot


def store_ballot(
    actor: Any,
    round_: Round,
    ballot: Ballot,
    sheet: int | None = None,
    source: str = BallotEntry.Source.MANUAL,
    entered_by: str = "",
    confirmed_by: str = "",
) -> BallotEntry:
    """Store a reading :func:`check_ballot` accepted, inside the caller's transaction: the one path
    by which a ballot enters the count, whether typed once, agreed by two counters, decided by a
    scrutineer or scanned. A sheet serial is counted once (constraint ``one_entry_per_sheet``)."""
    if sheet is not None and BallotEntry.objects.filter(round=round_, sheet=sheet).exists():
        raise ActionError(f"第{sheet}号选票已经计入本轮，同一张选票不能计两次")
    try:
        with transaction.atomic():
            entry = BallotEntry.objects.create(
                round=round_,
                marks_for=list(ballot.for_),
                marks_against=list(ballot.against),
                write_ins=list(ballot.write_in),
                count=ballot.count,
                void_reason=ballot.void_reason or "",
                sheet=sheet,
                source=source,
                entered_by=entered_by,
                confirmed_by=confirmed_by,
            )
    except IntegrityError as error:  # a concurrent entry of the same sheet won the race
        raise ActionError(f"第{sheet}号选票已经计入本轮，同一张选票不能计两次") from error
    # The audit record says a ballot was entered and by whom; its content is in the entry, and
    # neither holds anything about the voter (R-SUP-1).
    after: dict[str, Any] = {"round": round_.pk, "count": ballot.count}
    if source != BallotEntry.Source.MANUAL:
        after |= {"source": source, "sheet": sheet}
    record(_actor(actor), "record_ballot", entry, after=after)
    return entry


@transaction.atomic
def record_ballot(
    actor: Any,
    round_: Round,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> BallotEntry:
    """A counter enters one paper ballot (or ``count`` identical ones) in a round counted by single
    entry; it counts once a scrutineer has confirmed it (:func:`confirm_ballot`, R-MEET-4).
    Refused in a round counted at the double-entry desk or by scanning, and to an account that
    scrutinized in the round. Committed before it is acknowledged."""
    round_ = _locked_round(round_)
    duties.require_path(round_, Path.SINGLE)
    duties.require_counter(actor, round_)
    ballot = check_ballot(round_, marks_for, marks_against, write_ins, count, void_reason)
    return store_ballot(actor, round_, ballot, entered_by=_actor(actor))


def _locked_round(round_: Round) -> Round:
    """The round's row locked, so that entries, confirmations and the close of one round run one
    after another (on PostgreSQL; SQLite serializes writers anyway)."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    # Keep the caller's contest (and its election): what the action moves on, the caller sees.
    locked.contest = round_.contest
    _require_open(locked)
    return locked


@transaction.atomic
def confirm_ballot(actor: Any, entry: BallotEntry) -> BallotEntry:
    """A scrutineer confirms a single entry (one ballot or a group) against the paper ballots: only
    then does it count. Never by the counter who entered it, nor by anyone who entered ballots in
    the round (R-MEET-4). A void ballot, however entered, is confirmed the same way: the counters
    record the reason, a scrutineer confirms it (R-BAL-4)."""
    round_ = _locked_round(entry.round)
    entry = BallotEntry.objects.get(pk=entry.pk)
    if not entry.void_reason:
        duties.require_path(round_, Path.SINGLE)
    duties.require_scrutineer(actor, round_, "确认录入的选票")
    if entry.confirmed_by:
        raise ActionError(f"这条录入已由 {entry.confirmed_by} 确认")
    entry.confirmed_by = _actor(actor)
    entry.save(update_fields=["confirmed_by"])
    record(
        _actor(actor),
        "confirm_ballot",
        entry,
        after={"round": round_.pk, "count": entry.count, "entered_by": entry.entered_by},
        summary=f"监票人确认第{round_.number}轮的一条录入（{entry.count} 张）",
    )
    return entry


@transaction.atomic
def delete_ballot(actor: Any, entry: BallotEntry, reason: str = "") -> None:
    """A scrutineer deletes a ballot already entered, with the reason, while the round is open
    (R-MEET-4, R-SUP-4: the deleted entry stays in the audit trail). A counter never may: a
    double-entry ballot deleted turns back into a difference for a scrutineer to decide, a scanned
    sheet may be scanned again, a single entry must be entered and confirmed again."""
    round_ = _locked_round(entry.round)
    entry = BallotEntry.objects.get(pk=entry.pk)
    duties.require_scrutineer(actor, round_, "删除已录入的选票")
    if not reason.strip():
        raise ActionError("请写明删除这张选票的原因", "reason")
    counting = hooks.counting()
    if counting is not None:
        counting.ballot_deleted(entry)
    label = f"第{entry.sheet}号选票" if entry.sheet else f"一条录入（{entry.count} 张）"
    record_deletion(
        _actor(actor),
        "delete_ballot",
        entry,
        summary=f"监票人删除第{round_.number}轮{label}：{reason.strip()}",
    )


def close_blockers(round_: Round, returned: int) -> list[str]:
    """Everything that still stops ``round_`` from closing with ``returned`` ballots, in Chinese
    (R-BAL-4/5, R-MEET-4); empty when it may close. The close page lists them."""
    counting = hooks.counting()
    if counting is not None:
        return counting.close_blockers(round_, returned)
    entered = sum(round_.ballots.values_list("count", flat=True))  # pragma: no cover - app always installed
    return [] if entered == returned else [f"已录入选票{entered}张，与收回的{returned}张不符"]


@transaction.atomic
def close_round(actor: Any, round_: Round, returned: int) -> Round:
    """A scrutineer ends the count: the rules engine counts the round and records who is elected;
    the round is then fixed. A pre-election's result names the formal candidates, not anyone elected.

    Refused to a counter and to anyone who entered ballots in the round (R-MEET-4), and while
    anything in :func:`close_blockers` remains: sheets unaccounted for, desk readings waiting or
    differing, scanned doubts open, single entries unconfirmed, entered ≠ returned (R-BAL-4/5)."""
    given, round_ = round_, _locked_round(round_)
    if returned < 0:
        raise ActionError("收回选票数不能为负", "returned")
    duties.require_scrutineer(actor, round_, "结束计票")
    blockers = close_blockers(round_, returned)
    if blockers:
        raise ActionError("还不能结束计票：" + "；".join(blockers), "returned")
    round_.returned = returned
    probe = election_round(round_)
    document = result_document(round_, probe)
    round_.result = document
    round_.closed = True
    round_.save(update_fields=["returned", "result", "closed"])
    given.returned, given.result, given.closed = round_.returned, round_.result, round_.closed
    by_key = {c.key: c for c in round_.candidates.all()}
    votes = {p["id"]: p["for"] for p in document["tally"]}
    names = {p["id"]: p["name"] for p in document["tally"]}  # a write-in's spelling as shown (R-NAME-5)
    # A pre-election and its tie revotes place formal candidates and elect nobody (next_round_plan).
    placed = [] if in_pre_election(round_) else document["elected"]
    for key in placed:
        candidate = by_key.get(key)
        Elected.objects.create(
            contest=round_.contest,
            round=round_,
            member=candidate.member if candidate else None,
            write_in_name="" if candidate else names[key],
            votes=votes[key],
        )
    record(
        _actor(actor),
        "close_round",
        round_,
        after={"returned": returned, "status": document["status"], "elected": document["elected"]},
        summary=f"{round_.contest}：第{round_.number}轮计票结束（{document['status']}）",
    )
    _advance(actor, round_.contest.election)
    return round_


REDUCTION_READINGS = {  # how the procedure reads "半数以上选举人同意" (R-CNT-5, xuanju.rules.reduction)
    ConsentReading.AT_LEAST_HALF: "半数以上（含半数）",
    ConsentReading.MORE_THAN_HALF: "过半数",
}


@transaction.atomic
def set_reduction_reading(actor: Any, meeting: Meeting, reading: str) -> Meeting:
    """Fix in the election procedure how "半数以上选举人同意" to reduce the seats is read (R-CNT-5):
    half of the voters present included (the default, the Regulations' usage of 以上) or more than
    half. Part of the procedure the meeting votes on (R-MEET-3), so it can change only until the
    first ballot is issued."""
    _require_not_voided(meeting.election_id)
    if reading not in {r.value for r in ConsentReading}:
        raise ActionError("请选择“半数以上（含半数）”或“过半数”", "reduction_reading")
    if meeting.closed:
        raise ActionError("会议已经结束")
    if meeting.rounds.exists():
        raise ActionError("已经开始投票，选举办法不能再改", "reduction_reading")
    before = snapshot(meeting)
    meeting.reduction_reading = reading
    meeting.save(update_fields=["reduction_reading"])
    record(
        _actor(actor),
        "set_reduction_reading",
        meeting,
        before=before,
        after=snapshot(meeting),
        summary=f"选举办法：减少名额须经{REDUCTION_READINGS[ConsentReading(reading)]}选举人同意",
    )
    return meeting


@transaction.atomic
def reduce_seats(
    actor: Any, contest: Contest, meeting: Meeting, consenting: int | None, by_presidium: bool = False
) -> Contest:
    """Instead of a further election, reduce the seats with the consent of "半数以上" of the voters
    present, read as the procedure adopted it (``Meeting.reduction_reading``, default half included,
    :mod:`xuanju.rules.reduction`) — or, at a delegates' congress, by the presidium's decision
    (``by_presidium``, recorded as such), never below the statutory minimum (R-CNT-5)."""
    if meeting.closed:
        raise ActionError("会议已经结束")
    if contest not in meeting_contests(meeting):
        raise ActionError(f"{contest.get_post_display()}不在这次会议上选举")
    if contest.rounds.filter(closed=False).exists():
        raise ActionError("还有一轮没有计票结束")
    filled = contest.elected.count()
    left = contest.seats - filled - contest.seats_reduced
    if left <= 0:
        raise ActionError("没有空缺名额")
    if by_presidium and meeting.kind != Meeting.Kind.CONGRESS:
        raise ActionError("只有党员代表大会可以由大会主席团决定减少名额（R-CNT-5）", "by_presidium")
    if not by_presidium and (consenting is None or not 0 <= consenting <= meeting.present):
        raise ActionError(f"同意的人数应在 0 至实到会人数 {meeting.present} 之间", "consenting")
    reading = ConsentReading(meeting.reduction_reading)
    # R-CNT-5: the same minimum the engine is given for the round (elections.rounds)
    minimum = contest_minimum(contest) or 1
    field = "by_presidium" if by_presidium else "consenting"
    reduction = seat_reduction_problem(RULE_POST[Post(contest.post)], filled, minimum)  # R-CNT-5
    if reduction is ReductionProblem.EQUAL_ELECTION_POST:
        raise ActionError(
            f"{contest.get_post_display()}的职数由上级批准、可以等额选举，不能减少名额，须另行选举（R-CNT-5、R-CAND-3）",
            field,
        )
    if reduction is ReductionProblem.BELOW_MINIMUM:
        raise ActionError(
            f"已当选 {filled} 人，少于规定的最少人数 {minimum} 人，不能减少名额，须另行选举（R-CNT-5）", field
        )
    if not may_reduce_seats(filled, minimum, consenting or 0, meeting.present, reading, by_presidium):
        raise ActionError(
            f"减少名额须经到会选举人{REDUCTION_READINGS[reading]}同意：实到会{meeting.present}人，"
            f"至少须{least_consenting(meeting.present, reading)}人同意（R-CNT-5）",
            "consenting",
        )
    contest.seats_reduced += left
    contest.reduced_by_presidium = by_presidium
    contest.reduction_consent = (
        f"经大会主席团决定减少{left}个名额"
        if by_presidium
        else f"到会{meeting.present}人，{consenting}人同意减少{left}个名额"
        f"（选举办法规定须经{REDUCTION_READINGS[reading]}选举人同意）"
    )
    contest.save(update_fields=["seats_reduced", "reduced_by_presidium", "reduction_consent"])
    record(_actor(actor), "reduce_seats", contest, after=snapshot(contest), summary=contest.reduction_consent)
    _advance(actor, contest.election)
    return contest


@transaction.atomic
def confirm_write_in(actor: Any, elected: Elected, member: Member) -> Elected:
    """Name the member a write-in vote elected, after checking their right to stand (R-CNT-2, R-CAND-6)."""
    if elected.member_id is not None:
        raise ActionError("这位当选人已经确认")
    election = elected.contest.election
    if canonical_name(member.name) != canonical_name(elected.write_in_name):  # R-NAME-5
        raise ActionError(f"所选党员的姓名与选票上写的“{elected.write_in_name}”不一致", "member")
    _check_eligible(member, election, elected.contest)
    elected.member = member
    elected.save(update_fields=["member"])
    record(
        _actor(actor),
        "confirm_write_in",
        elected,
        after=snapshot(elected),
        summary=f"另选他人{member.name}当选，资格已核实",
    )
    _advance(actor, election)
    return elected


def contest_done(contest: Contest) -> bool:
    filled = contest.elected.exclude(member=None).count()
    return filled + contest.seats_reduced >= contest.seats


def _advance(actor: Any, election: Election) -> None:
    """Move the election on once every contest of the current meeting is filled: to the plenary
    once the committee (and the discipline commission) is elected; a unit's election of delegates
    is complete once its delegates are, and they go to the congress's credentials review (R-DEL-6:
    no plenary, no report of results, no committee installed)."""
    contests = list(election.contests.all())
    if election.status != ElectionStatus.MEETING:
        return
    if election.is_delegates:
        if all(contest_done(c) for c in contests):
            election.status = ElectionStatus.COMPLETED
            election.save(update_fields=["status"])
            Meeting.objects.filter(election=election).update(closed=True)
            record(
                _actor(actor),
                "delegates_elected",
                election,
                after={"status": election.status},
                summary=f"{election}：代表已选出，交代表资格审查（R-DEL-6）",
            )
            congress = hooks.congress()
            if congress is not None:
                congress.delegates_elected(election)
    elif election.has_committee and all(contest_done(c) for c in contests if c.post in VOTING_POSTS):
        election.status = ElectionStatus.PLENARY
        election.save(update_fields=["status"])
        Meeting.objects.filter(election=election, kind=election.voting_meeting_kind).update(closed=True)


@transaction.atomic
def submit_results(actor: Any, election: Election) -> Approval:
    """Report the results: committee members for filing, secretary and deputies for approval (R-RPT-3).
    A unit's election of delegates reports none: its delegates go to the credentials review (R-DEL-6)."""
    if election.is_delegates:
        raise ActionError("代表选出后交党员代表大会的代表资格审查小组审查，不另报送选举结果（R-DEL-6）")
    _require_status(election, ElectionStatus.PLENARY, ElectionStatus.MEETING, why="现在不能报送选举结果")
    contests = list(election.contests.all())
    for contest in contests:
        if not contest_done(contest):
            raise ActionError(f"{contest.get_post_display()}还没有选满（或另选他人当选者尚未确认）")
    waiting = notice_problem(election, PublicNotice.Kind.RESULTS)  # R-RPT-3
    if waiting:
        raise ActionError(waiting)
    committee = next((c for c in contests if c.post == Post.COMMITTEE_MEMBER), None)
    by_plenary = election.kind == ElectionKind.BY_ELECTION and election.has_committee
    if committee is not None or by_plenary:
        members = set(committee.elected.values_list("member_id", flat=True)) if committee else set()
        if election.kind == ElectionKind.BY_ELECTION:  # from the sitting members and the by-elected
            members |= {m.pk for m in by_election.sitting_members(election)}
        for contest in contests:
            if contest.post in LEADING_POSTS:
                outside = contest.elected.exclude(member_id__in=members)
                if outside.exists():
                    raise ActionError("书记、副书记须从新当选的委员中选出（R-CAND-5）")
    commission = next((c for c in contests if c.post == Post.DISCIPLINE_MEMBER), None)
    if commission is not None:  # R-CAND-5: the commission's secretary among its new members
        commissioners = set(commission.elected.values_list("member_id", flat=True))
        for contest in contests:
            outside = contest.elected.exclude(member_id__in=commissioners)
            if contest.post in DISCIPLINE_LEADING_POSTS and outside.exists():
                raise ActionError("纪委书记、副书记须从新当选的纪委委员中选出（R-CAND-5）")
    content: dict[str, Any] = {
        "contests": [
            {
                "post": c.get_post_display(),
                "seats": c.seats,
                "seats_reduced": c.seats_reduced,
                "reduction": c.reduction_consent,  # R-CNT-5: whose consent, or the presidium's decision
                "approval": c.post in APPROVED_POSTS,  # R-RPT-3: approved (批准), else filed (备案)
                "elected": [
                    {"name": e.member.name if e.member else e.write_in_name, "votes": e.votes}
                    for e in c.elected.select_related("member")
                ],
                "rounds": [r.result for r in c.rounds.order_by("number")],  # every person's votes (R-CNT-7)
            }
            for c in sorted(contests, key=lambda c: c.position)
        ]
    }
    notices = notice_report(election, PublicNotice.Kind.RESULTS)
    if notices:  # the upper level decides with the objections and their answers before it
        content["notices"] = notices
    Meeting.objects.filter(election=election).update(closed=True)
    approval = _send_up(
        actor,
        election,
        Approval.Kind.RESULTS,
        content,
        ElectionStatus.RESULTS_SUBMITTED,
        "submit_results",
        "报送选举结果",
    )
    return approval


def _install_committee(actor: Any, election: Election) -> None:
    """On approval, the new committee and its posts replace the old one (R-RPT-3, R-TERM-1). The
    discipline commission's members are reported with the results but are not committee seats."""
    posts: dict[int, str] = {}
    # Committee members first, so that the secretary's and deputies' posts replace plain membership.
    committee_contests = [c for c in election.contests.all() if c.post in SEAT_POST]
    for contest in sorted(committee_contests, key=lambda c: c.post != Post.COMMITTEE_MEMBER):
        for member_id in contest.elected.exclude(member=None).values_list("member_id", flat=True):
            posts[member_id] = SEAT_POST[Post(contest.post)]
    members = Member.objects.in_bulk(list(posts))
    meeting = election.meetings.filter(kind=election.voting_meeting_kind).first()
    elected_on = meeting.held_on if meeting else timezone.localdate()
    organization_actions.record_committee(
        actor,
        election.organization,
        elected_on,
        [SeatInput(members[pk], post) for pk, post in posts.items()],
        has_committee=election.has_committee,
    )


# The by-election's hooks above; imported last, as it imports this module's neighbours.
from xuanju.elections import by_election  # noqa: E402
