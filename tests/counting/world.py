"""A members' meeting with its first round open, and the accounts that count it.

Used by the counting tests and, in a subprocess, by the crash test (tests/counting/test_crash.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests import factories as f
from xuanju.accounts.models import User
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, CountingMethod, Election, Meeting, Post, Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.models import Member


@dataclass
class World:
    election: Election
    meeting: Meeting
    round: Round
    people: list[Member]
    accounts: dict[str, User]

    def keys(self) -> list[str]:
        """The round's candidate keys in ballot order (the order of the keyboard reading)."""
        return [c.key for c in ballot_order(list(self.round.candidates.select_related("member")))]

    def names(self) -> list[str]:
        return [c.member.name for c in ballot_order(list(self.round.candidates.select_related("member")))]


def _approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


def open_round_world(
    today: date, issued: int = 20, method: str = CountingMethod.DOUBLE_ENTRY, numbered: bool = True
) -> World:
    """The village branch electing 5 of 6 candidates; 20 present; round 1 open with ``issued``
    ballots, counted by ``method`` (the procedure's, default double entry), on sheets numbered or
    not (``numbered``: these tests keep the serial option; tests of unnumbered sheets pass False).
    Accounts: village (secretary), counter1, counter2, scrutineer, member, outsider."""
    tree, people = f.village_due_for_reelection(today)
    accounts = {
        "secretary": f.account("village", tree.village, "secretary"),
        "counter1": f.account("counter1", tree.village, "counter"),
        "counter2": f.account("counter2", tree.village, "counter"),
        "scrutineer": f.account("scrutineer", tree.village, "scrutineer"),
        "member": f.account("member", tree.village, "member"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    election = actions.start_election("village", tree.village, today, 5, 1, readiness="已完成述职和民主评议")
    _approve(actions.submit_plan("village", election))
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    actions.set_candidate("village", election.contests.get(post=Post.SECRETARY), people[0], "provisional")
    actions.set_candidate(
        "village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional"
    )
    _approve(actions.submit_candidates("village", election))
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, today)
    actions.mark_present("village", meeting, [p.pk for p in people])
    actions.close_roll("village", meeting)
    actions.adopt_procedure(
        "village", meeting, "present", False, votes_for=20, counting_method=method, numbered_sheets=numbered
    )
    actions.appoint("village", meeting, people[10], "chief_scrutineer")
    actions.appoint("village", meeting, people[12], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    actions.appoint("village", meeting, people[13], "counter")
    round_ = actions.open_round("village", committee, meeting, issued=issued)
    return World(election, meeting, round_, people, accounts)
