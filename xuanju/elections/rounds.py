"""A stored round as the rules see it, its result, and its export as ``xuanju.election/1``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xuanju.formats.election import ELECTION_FORMAT, result_to_data
from xuanju.rules.ballots import Ballot
from xuanju.rules.names import stroke_key
from xuanju.rules.tally import Candidate as RuleCandidate
from xuanju.rules.tally import ElectionRound, MajorityBase, Procedure, RoundKind, tally_round

if TYPE_CHECKING:
    from xuanju.elections.models import Candidate, Round


def ballot_order(candidates: list[Candidate]) -> list[Candidate]:
    """The order on the ballot: the upper level's approved order where it gave one (secretaries),
    otherwise surname strokes (R-BAL-1, R-NAME)."""
    if candidates and all(c.order is not None for c in candidates):
        return sorted(candidates, key=lambda c: (c.order or 0, c.pk))
    return sorted(candidates, key=lambda c: (stroke_key(c.member.name), c.pk))


def in_pre_election(round_: Round) -> bool:
    """Whether ``round_`` is a pre-election (预选) or one of its tie revotes: the rounds before the
    first formal one of a contest that began with a pre-election. They place formal candidates,
    elect nobody and need no majority (R-CAND-2, R-CNT-3/4)."""
    if round_.kind == "pre_election":
        return True
    if round_.kind != "tie_revote":
        return False
    earlier = list(
        round_.contest.rounds.filter(number__lt=round_.number)
        .order_by("number")
        .values_list("kind", flat=True)
    )
    return bool(earlier) and earlier[0] == "pre_election" and set(earlier) <= {"pre_election", "tie_revote"}


def _title(round_: Round) -> str:
    contest = round_.contest
    return f"{contest.election.organization.name}{contest.get_post_display()}选举 第{round_.number}轮（{round_.get_kind_display()}）"


def election_round(
    round_: Round, extra: list[Ballot] | None = None, only_extra: bool = False
) -> ElectionRound:
    """The round as the rules engine counts it; ``extra`` ballots are added (to check one before saving)."""
    meeting = round_.meeting
    candidates = ballot_order(list(round_.candidates.select_related("member")))
    ballots: list[Ballot] = []
    if not only_extra:
        ballots = [
            Ballot(
                for_=tuple(entry.marks_for),
                against=tuple(entry.marks_against),
                write_in=tuple(entry.write_ins),
                count=entry.count,
                void_reason=entry.void_reason or None,
            )
            for entry in round_.ballots.order_by("pk")
        ]
    ballots.extend(extra or [])
    return ElectionRound(
        title=_title(round_),
        kind=RoundKind(round_.kind),
        seats=round_.seats,
        entitled=meeting.entitled,
        present=meeting.present,
        ballots_issued=round_.issued,
        ballots_returned=None if only_extra else round_.returned,
        procedure=Procedure(
            majority_base=MajorityBase(meeting.majority_base),
            # a tie in a pre-election is settled by the most votes, as the pre-election itself
            tie_revote_needs_majority=meeting.tie_revote_needs_majority and not in_pre_election(round_),
        ),
        candidates=tuple(RuleCandidate(id=c.key, name=c.member.name) for c in candidates),
        ballots=tuple(ballots),
    )


def result_document(round_: Round, counted: ElectionRound | None = None) -> dict[str, Any]:
    """The ``xuanju.result/1`` document of the round, from the rules engine."""
    counted = counted or election_round(round_)
    return result_to_data(counted, tally_round(counted))


def export_round(round_: Round) -> dict[str, Any]:
    """The round as a ``xuanju.election/1`` document that ``xuanju tally`` counts to the same result."""
    counted = election_round(round_)
    document: dict[str, Any] = {
        "format": ELECTION_FORMAT,
        "title": counted.title,
        "kind": counted.kind.value,
        "seats": counted.seats,
        "entitled": counted.entitled,
        "present": counted.present,
        "rules": {
            "majority_base": counted.procedure.majority_base.value,
            "tie_revote_needs_majority": counted.procedure.tie_revote_needs_majority,
        },
        "candidates": [{"id": c.id, "name": c.name} for c in counted.candidates],
        "ballots": [],
    }
    if counted.ballots_issued is not None:
        document["ballots_issued"] = counted.ballots_issued
    if counted.ballots_returned is not None:
        document["ballots_returned"] = counted.ballots_returned
    for ballot in counted.ballots:
        entry: dict[str, Any] = {}
        if ballot.count != 1:
            entry["count"] = ballot.count
        if ballot.void_reason:
            entry["void"] = ballot.void_reason
        else:
            for key, marks in (
                ("for", ballot.for_),
                ("against", ballot.against),
                ("write_in", ballot.write_in),
            ):
                if marks:
                    entry[key] = list(marks)
        document["ballots"].append(entry)
    return document
