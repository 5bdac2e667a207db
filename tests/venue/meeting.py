"""One members' meeting and first plenary, driven through the actions, the same on the central
database (the online flow) and on a venue laptop (in its own process: ``python -m
tests.venue.meeting PHASE ELECTION_ID``, which prints a JSON line).

The ballots come from a fixed pattern written here, not from the code under test: 19 of the 20
members present, 19 ballots issued; candidates (in primary-key order) 0–3 are marked on every valid
ballot, candidate 4 on the first 12, candidate 5 on the last 6; ballot 19 is void. So 0–3 have 18
votes, 4 has 12, 5 has 6: candidates 0–4 are elected (more than half of 19 present, R-CNT-1).
The committee is counted at the double-entry desk (the procedure's default): two counters read each
sheet by its serial. In phase "start" the count stops after ``FIRST_PART`` sheets and the first
counter's reading of the next one (the laptop dies there); phase "finish" goes on from there. The
plenary's rounds are entered once and confirmed by the scrutineer.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.utils import timezone

from tests.counts import SINGLE_ENTRY, close_counted
from xuanju.counting import actions as desk
from xuanju.elections import actions
from xuanju.elections.models import CountingMethod, Elected, Election, Meeting, Post, Round
from xuanju.organizations.models import Member

PRESENT = 19
FIRST_PART = 10
COUNTER, SCRUTINEER = "counter", "scrutineer"


def committee_ballots(keys: list[str]) -> list[dict[str, Any]]:
    ballots: list[dict[str, Any]] = []
    for index in range(PRESENT):
        if index == PRESENT - 1:
            ballots.append({"void": "撕损无法辨认"})
            continue
        marked = keys[:4] + ([keys[4]] if index < 12 else [keys[5]])
        ballots.append({"for": marked})
    return ballots


def _read(round_: Round, ballots: list[dict[str, Any]], first: int, slots: tuple[int, ...] = (1, 2)) -> None:
    """The desk's readings of sheets ``first``, ``first + 1``, … (serials from 1) by the given slots."""
    for serial, ballot in enumerate(ballots, start=first):
        for slot in slots:
            desk.enter_at_desk(
                f"counter{slot}",
                round_,
                str(serial),
                slot,
                ballot.get("for", []),
                [],
                [],
                void_reason=ballot.get("void", ""),
            )


def _meeting(
    election: Election, kind: str, present: list[int], scrutineer: int, counter: int, method: str
) -> Meeting:
    meeting = actions.open_meeting("village", election, kind, timezone.localdate())
    actions.mark_present("village", meeting, present)
    actions.close_roll("village", meeting)
    # This meeting's procedure numbers its sheets: the desk reads them by serial (_read).
    actions.adopt_procedure(
        "village", meeting, "present", False, len(present), counting_method=method, numbered_sheets=True
    )
    actions.appoint("village", meeting, Member.objects.get(pk=scrutineer), "chief_scrutineer")
    actions.appoint("village", meeting, Member.objects.get(pk=counter), "counter")
    return meeting


def start(election_id: int) -> None:
    """Roll call, procedure, scrutineers; the committee's round opened and partly counted."""
    election = Election.objects.get(pk=election_id)
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    standing = {c.member_id for c in committee.candidates.all()}
    roll = sorted(election.organization.members.values_list("pk", flat=True))
    others = [pk for pk in roll if pk not in standing]
    meeting = _meeting(
        election, Meeting.Kind.MEMBERS, roll[:PRESENT], others[0], others[1], CountingMethod.DOUBLE_ENTRY
    )
    round_ = actions.open_round("village", committee, meeting, issued=PRESENT)
    keys = sorted((c.key for c in committee.candidates.all()), key=lambda k: int(k[1:]))
    ballots = committee_ballots(keys)
    _read(round_, ballots[:FIRST_PART], 1)
    _read(round_, ballots[FIRST_PART : FIRST_PART + 1], FIRST_PART + 1, slots=(1,))


def finish(election_id: int) -> None:
    """The rest of the committee's count, then the first plenary: secretary and deputy (R-CAND-5)."""
    election = Election.objects.get(pk=election_id)
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    round_ = committee.rounds.get(number=1)
    keys = sorted((c.key for c in committee.candidates.all()), key=lambda k: int(k[1:]))
    ballots = committee_ballots(keys)
    _read(round_, ballots[FIRST_PART : FIRST_PART + 1], FIRST_PART + 1, slots=(2,))
    _read(round_, ballots[FIRST_PART + 1 :], FIRST_PART + 2)
    close_counted(round_, PRESENT, SCRUTINEER)
    election.refresh_from_db()
    elected = sorted(committee.elected.values_list("member_id", flat=True))
    leaders: set[int] = set()
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        leaders |= set(election.contests.get(post=post).candidates.values_list("member_id", flat=True))
    others = [pk for pk in elected if pk not in leaders]
    plenary = _meeting(election, Meeting.Kind.PLENARY, elected, others[0], others[1], SINGLE_ENTRY)
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        contest = election.contests.get(post=post)
        vote = actions.open_round("village", contest, plenary, issued=len(elected))
        key = contest.candidates.get().key
        for _ in elected:
            actions.record_ballot(COUNTER, vote, [key], [], [])
        close_counted(vote, len(elected), SCRUTINEER)


def outcome(election_id: int) -> dict[str, Any]:
    """What the test compares between the online flow and the venue: every round's result and the
    people elected to each post, with their votes."""
    election = Election.objects.get(pk=election_id)
    rounds = Round.objects.filter(contest__election=election).order_by("contest__position", "number")
    return {
        "status": election.status,
        "rounds": [[r.contest.post, r.number, r.result] for r in rounds],
        "elected": sorted(
            [e.contest.post, e.member_id, e.votes] for e in Elected.objects.filter(contest__election=election)
        ),
        "meetings": sorted([m.kind, m.entitled, m.present] for m in election.meetings.all()),
    }


if __name__ == "__main__":
    import django

    django.setup()
    phase, election_id = sys.argv[1], int(sys.argv[2])
    {"start": start, "finish": finish}[phase](election_id)
    print(json.dumps(outcome(election_id), ensure_ascii=False))
