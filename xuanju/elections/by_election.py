"""A by-election (补选) of a sitting committee's vacant seats, reusing the whole flow of an election.

《中国共产党支部工作条例（试行）》: a secretary's, deputy's or member's seat that falls vacant is filled
promptly by a by-election. The by-election is an :class:`Election` of kind ``by_election`` that runs
the ordinary steps — request to the upper level (关于补选…的请示, R-RPT-1), nomination, provisional
candidates reviewed by the upper level (R-RPT-2), the members' meeting with roll call and quorum
(R-MEET-1), ballots, counting, results reported (补选结果的报告) and approved (R-RPT-3) — with these
differences, each a small hook in :mod:`xuanju.elections.actions`:

- contests: the member seats vacant (every vacancy of a committee is a member seat; a vacant
  secretary's or deputy's post adds its own contest, elected by the committee's plenary from its
  members, or by the members' meeting where there is no committee — rules.vacancies.electing_body);
- slate: member seats 差额 by default (R-CAND-2) unless the upper level approved 等额 in the plan;
  secretary and deputy 等额 allowed (R-CAND-3) — rules.vacancies.by_election_slate, its source named
  in the request;
- the plenary's voters are the sitting members and the by-elected (R-CAND-5), and a secretary or
  deputy is elected from them;
- on approval the elected fill the vacant seats of the sitting committee; their term ends with the
  committee's (rules.vacancies.by_elected_term_end).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.elections.models import (
    CLOSED_STATUSES,
    RULE_POST,
    ByElection,
    Candidate,
    Contest,
    Election,
    ElectionForm,
    ElectionKind,
    Meeting,
    Post,
)
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Committee, Member, Organization
from xuanju.organizations.vacancies import Filling, fill_by_election
from xuanju.rules.candidates import SlateProblem
from xuanju.rules.vacancies import by_elected_term_end, by_election_minimum_candidates

LEADING_SEATS = {"secretary": Post.SECRETARY, "deputy_secretary": Post.DEPUTY_SECRETARY}
SEAT_OF = {
    Post.COMMITTEE_MEMBER: "member",
    Post.SECRETARY: "secretary",
    Post.DEPUTY_SECRETARY: "deputy_secretary",
}


def _actor(user: Any) -> str:
    return getattr(user, "username", None) or str(user)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def record_of(election: Election) -> ByElection:
    return ByElection.objects.select_related("committee").get(election=election)


@transaction.atomic
def start_by_election(
    actor: Any,
    org: Organization,
    planned_on: date,
    readiness: str = "",
    equal_members_approved: bool = False,
) -> Election:
    """Plan the by-election of every open vacancy of ``org``'s current committee."""
    if not org.is_active:
        raise ActionError(f"“{org.name}”已撤销")
    committee = Committee.objects.filter(organization=org, is_current=True).first()
    if committee is None:
        raise ActionError("还没有登记本届委员会，没有可以补选的缺额")
    vacancies = list(committee.vacancies.filter(filled_on=None).order_by("opened_on", "id"))
    if not vacancies:
        raise ActionError("本届委员会没有缺额，无需补选")
    try:
        by_elected_term_end(committee.term_end, planned_on)
    except ValueError:
        raise ActionError(
            f"本届委员会已于{committee.term_end:%Y年%m月%d日}届满，应当换届选举而不是补选", "planned_on"
        ) from None
    running = Election.objects.filter(
        organization=org, kind__in=[ElectionKind.COMMITTEE, ElectionKind.BY_ELECTION]
    ).exclude(status__in=CLOSED_STATUSES)
    if running.exists():
        raise ActionError("这个党组织已有一次正在进行的换届选举或补选")
    leading = {post: sum(1 for v in vacancies if v.post == seat) for seat, post in LEADING_SEATS.items()}
    members = len(vacancies) if committee.has_committee else 0
    names = "、".join(
        dict.fromkeys(v.get_post_display() if v.post in LEADING_SEATS else "委员" for v in vacancies)
    )
    election = Election.objects.create(
        organization=org,
        kind=ElectionKind.BY_ELECTION,
        form=ElectionForm.MEMBERS_MEETING,
        title=f"{org.name}补选{names}",
        has_committee=committee.has_committee,
        committee_seats=members,
        deputy_seats=leading[Post.DEPUTY_SECRETARY],
        term_years=committee.term_years,
        planned_on=planned_on,
        readiness=readiness.strip(),
    )
    if members:
        Contest.objects.create(election=election, post=Post.COMMITTEE_MEMBER, seats=members, position=0)
    for position, (post, seats) in enumerate(leading.items(), start=1):
        if seats:
            Contest.objects.create(election=election, post=post, seats=seats, position=position)
    by = ByElection.objects.create(
        election=election, committee=committee, equal_members_approved=equal_members_approved
    )
    by.vacancies.set(vacancies)
    record(
        _actor(actor),
        "start_by_election",
        election,
        after=snapshot(election) | {"vacancies": [v.pk for v in vacancies]},
        summary=f"{election}：拟订补选方案（缺额{len(vacancies)}名）",
    )
    return election


SLATE_SOURCE_TEXT = (
    "《中国共产党基层组织选举工作条例》和《中国共产党支部工作条例（试行）》对补选的差额没有专门规定，"
    "按委员会选举的规定，委员实行差额选举，候选人多于应选人数不少于20%；书记、副书记可以等额选举"
)


def method_text(election: Election) -> str:
    by = record_of(election)
    if by.equal_members_approved:
        return "经上级党组织同意，委员实行等额补选；书记、副书记等额选举"
    return SLATE_SOURCE_TEXT


def plan_content(election: Election) -> dict[str, Any]:
    """What the request for the by-election (关于补选…的请示) states (R-RPT-1): the committee, each
    vacancy with its date and reason, the seats, who elects them and the slate rule with its source."""
    by = record_of(election)
    committee = by.committee
    vacancies = list(by.vacancies.select_related("former_member").order_by("opened_on", "id"))
    plenary = committee.has_committee and any(v.post in LEADING_SEATS for v in vacancies)
    agenda = [
        "补选委员会委员"
        if committee.has_committee
        else "补选书记" + ("、副书记" if election.deputy_seats else "")
    ]
    if plenary:
        agenda.append("委员会全体会议从委员中补选书记、副书记，报上级党组织批准")
    return {
        "organization": election.organization.name,
        "by_election": True,
        "term": (
            f"本届委员会于{committee.elected_on:%Y年%m月%d日}选举产生，任期{committee.term_years}年，"
            f"{committee.term_end:%Y年%m月%d日}届满"
        ),
        "vacancies": [
            {
                "post": v.get_post_display(),
                "name": v.former_member.name if v.former_member else "",
                "opened_on": v.opened_on.isoformat(),
                "opened_cn": _cn(v.opened_on),
                "reason": v.get_reason_display(),
                "document": v.document,
            }
            for v in vacancies
        ],
        "readiness": election.readiness,
        "form": "召开党员大会进行补选",
        "planned_on": election.planned_on.isoformat(),
        "agenda": agenda,
        "committee_seats": election.committee_seats,
        "deputy_seats": election.deputy_seats,
        "term_years": election.term_years,
        "term_end": committee.term_end.isoformat(),
        "term_end_cn": _cn(committee.term_end),
        "composition": election.composition,
        "nomination": "由本届委员会根据多数党员的意见提出补选人选，报上级党组织审查同意后，经党员酝酿讨论确定候选人",
        "method": method_text(election),
    }


def slate_problem(contest: Contest) -> SlateProblem | None:
    """The by-election's slate rule for the provisional candidates of ``contest``."""
    by = record_of(contest.election)
    count = contest.candidates.filter(stage=Candidate.Stage.PROVISIONAL).count()
    if count < contest.seats:
        return SlateProblem.FEWER_CANDIDATES_THAN_SEATS
    least = by_election_minimum_candidates(
        RULE_POST[Post(contest.post)], contest.seats, by.equal_members_approved
    )
    if count < least:  # R-CAND-2, unless 等额 applies (R-CAND-3 or the upper level's approval)
        return SlateProblem.TOO_FEW_CANDIDATES
    return None


def sitting_members(election: Election) -> list[Member]:
    by = record_of(election)
    return [s.member for s in by.committee.seats.select_related("member")]


def check_candidates(election: Election) -> None:
    """A member seat is by-elected from members not on the committee already."""
    sitting = {m.pk: m for m in sitting_members(election)}
    taken = Candidate.objects.filter(
        contest__election=election,
        contest__post=Post.COMMITTEE_MEMBER,
        stage=Candidate.Stage.PROVISIONAL,
        member_id__in=list(sitting),
    ).select_related("member")
    names = "、".join(c.member.name for c in taken)
    if names:
        raise ActionError(f"{names}已是本届委员会委员，不能作为补选委员的预备人选")


def plenary_voters(election: Election) -> list[Member]:
    """The committee's plenary that fills a vacant secretary or deputy: its sitting members and the
    by-elected (R-CAND-5)."""
    voters = {m.pk: m for m in sitting_members(election)}
    contest = election.contests.filter(post=Post.COMMITTEE_MEMBER).first()
    if contest is not None:
        for e in contest.elected.select_related("member"):
            if e.member is not None:
                voters[e.member.pk] = e.member
    return list(voters.values())


def install(actor: Any, election: Election, document: str) -> None:
    """On approval of the results, the elected fill the vacancies (补选产生)."""
    by = record_of(election)
    fillings = []
    for contest in election.contests.all():
        for e in contest.elected.exclude(member=None).select_related("member"):
            assert e.member is not None
            fillings.append(Filling(e.member, SEAT_OF[Post(contest.post)]))
    meeting = election.meetings.filter(kind=Meeting.Kind.MEMBERS).first() or election.meetings.first()
    on = meeting.held_on if meeting else timezone.localdate()
    fill_by_election(actor, by.committee, list(by.vacancies.all()), fillings, on, document)
