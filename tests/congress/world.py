"""A small county that holds a congress: 县委 → 东乡镇党委 (东村支部, 12 full members) and
第一中学党委 (语文组支部, 6 full members). Delegates' elections are built row by row where the
meeting itself is not what a test is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tests import factories as f
from xuanju.congress import actions
from xuanju.congress.hooks import CongressFlow
from xuanju.congress.models import Congress, ElectoralUnit, UnitElection
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Approval, Candidate, Contest, Elected, Election, Meeting, Round
from xuanju.organizations.models import Member

TODAY = timezone.localdate()


@dataclass
class World:
    tree: f.County
    election: Election
    congress: Congress
    village_people: list[Member]
    school_people: list[Member]

    def unit(self, name_part: str) -> ElectoralUnit:
        return self.congress.units.get(name__contains=name_part)


def county_congress(total: int = 10, reason: str = "测试用的小规模代表大会", **targets: int | None) -> World:
    tree = f.county_tree()
    village_people = [f.member(tree.village) for _ in range(12)]
    school_people = [f.member(tree.school_branch) for _ in range(6)]
    tree.county.refresh_from_db()
    election = election_actions.start_election(
        "county", tree.county, TODAY, 7, 1, readiness="已完成述职", form="congress"
    )
    congress = actions.propose_congress(
        "county",
        election,
        total,
        "scattered",
        grounds_note="乡镇和学校驻地分散",
        quota_reason=reason,
        **targets,
    )
    return World(tree, election, congress, village_people, school_people)


def approve_plan(world: World) -> None:
    approval = election_actions.submit_plan("county", world.election)
    election_actions.decide("city", approval, Approval.Decision.APPROVED, "市委组〔2026〕1号", "")
    world.election.refresh_from_db()


def elect_delegates(
    unit_election: UnitElection,
    people: list[Member],
    elected: int,
    present: int | None = None,
    entitled: int | None = None,
    approved: bool = True,
) -> None:
    """Record a finished delegates election as its rows would stand, then tell the congress."""
    election = unit_election.election
    contest = Contest.objects.get(election=election, post="delegate")
    for person in people:
        Candidate.objects.create(contest=contest, member=person, stage=Candidate.Stage.CANDIDATE)
    if approved:
        Approval.objects.create(
            election=election,
            kind=Approval.Kind.CANDIDATES,
            submitted_on=TODAY,
            submitted_by="unit",
            content={},
            decision=Approval.Decision.APPROVED,
        )
    entitled = entitled if entitled is not None else len(people) + 2
    meeting = Meeting.objects.create(
        election=election,
        kind=Meeting.Kind.MEMBERS,
        held_on=TODAY,
        roll_closed=True,
        entitled=entitled,
        present=present if present is not None else entitled,
    )
    round_ = Round.objects.create(
        contest=contest, meeting=meeting, number=1, kind=Round.Kind.REGULAR, seats=contest.seats, closed=True
    )
    for votes, person in zip(range(20, 0, -1), people[:elected], strict=False):
        Elected.objects.create(contest=contest, round=round_, member=person, votes=votes)
    election.status = "completed"
    election.save(update_fields=["status"])
    CongressFlow().delegates_elected(election)


def on(day: date | None = None) -> date:
    return day or TODAY
