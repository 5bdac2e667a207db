"""A stored round as the rules see it, its result, and its export as ``xuanju.election/1``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xuanju.elections.models import RULE_POST, VOTING_BODY_OF_MEETING, Post
from xuanju.formats.election import ELECTION_FORMAT, result_to_data, rules_to_data
from xuanju.rules import sequence
from xuanju.rules.ballots import Ballot
from xuanju.rules.names import stroke_key
from xuanju.rules.organizations import committee_size_range
from xuanju.rules.tally import Candidate as RuleCandidate
from xuanju.rules.tally import ElectionRound, MajorityBase, Procedure, RoundKind, Status, tally_round

if TYPE_CHECKING:
    from xuanju.elections.models import Candidate, Contest, Round


def ballot_order(candidates: list[Candidate]) -> list[Candidate]:
    """The order on the ballot: the upper level's approved order where it gave one (secretaries),
    otherwise surname strokes (R-BAL-1, R-NAME)."""
    if candidates and all(c.order is not None for c in candidates):
        return sorted(candidates, key=lambda c: (c.order or 0, c.pk))
    return sorted(candidates, key=lambda c: (stroke_key(c.member.name), c.pk))


def held_round(round_: Round) -> sequence.HeldRound:
    """A stored round as :mod:`xuanju.rules.sequence` sees it: its ballot and its stored result."""
    result = round_.result or {}
    status = result.get("status")
    suggestion = result.get("next_round")
    return sequence.HeldRound(
        kind=RoundKind(round_.kind),
        seats=round_.seats,
        candidates=tuple(c.key for c in round_.candidates.all()),
        closed=round_.closed,
        status=Status(status) if status else None,
        elected=tuple(result.get("elected", [])),
        next_round=None
        if suggestion is None
        else sequence.Suggestion(
            RoundKind(suggestion["kind"]), suggestion["seats"], tuple(suggestion["candidates"])
        ),
    )


def in_pre_election(round_: Round) -> bool:
    """Whether ``round_`` belongs to its contest's pre-election (:func:`sequence.in_pre_election`):
    it places formal candidates and elects nobody (R-CAND-2, R-CNT-8)."""
    kind = RoundKind(round_.kind)
    if kind in (RoundKind.PRE_ELECTION, RoundKind.REGULAR):  # decided by the kind alone
        return sequence.in_pre_election([], kind)
    earlier = round_.contest.rounds.filter(number__lt=round_.number).order_by("number")
    return sequence.in_pre_election([RoundKind(k) for k in earlier.values_list("kind", flat=True)], kind)


def contest_minimum(contest: Contest) -> int | None:
    """The fewest members the committee may have, for a seat reduction of committee members
    (R-CNT-5, R-ORG-2/3/4); None for other posts."""
    if contest.post != "committee_member":
        return None
    org = contest.election.organization
    return committee_size_range(org.kind_enum, org.sector_enum, org.has_standing_committee).minimum


def statutory_minimum(round_: Round) -> int | None:
    """:func:`contest_minimum` of the round's contest."""
    return contest_minimum(round_.contest)


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
    pre_election = in_pre_election(round_)
    return ElectionRound(
        title=_title(round_),
        kind=RoundKind(round_.kind),
        # R-CAND-2/3, R-CNT-5/6, R-CNT-8: the engine knows the post, who votes and the stage
        post=RULE_POST[Post(round_.contest.post)],
        body=VOTING_BODY_OF_MEETING[meeting.kind],
        pre_election=pre_election and round_.kind != "pre_election",
        statutory_minimum=statutory_minimum(round_),
        elected_before=0
        if pre_election
        else round_.contest.elected.filter(round__number__lt=round_.number).count(),
        seats=round_.seats,
        entitled=meeting.entitled,
        present=meeting.present,
        ballots_issued=round_.issued,
        ballots_returned=None if only_extra else round_.returned,
        procedure=Procedure(
            majority_base=MajorityBase(meeting.majority_base),
            tie_revote_needs_majority=meeting.tie_revote_needs_majority,  # R-CNT-4, R-CNT-8
            pre_election_needs_majority=meeting.pre_election_needs_majority,  # R-CNT-8
            issued_over_present_voids=meeting.issued_over_present_voids,  # R-BAL-5
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
        "post": counted.post.value,
        "body": counted.body.value,
        "rules": rules_to_data(counted.procedure),
        "candidates": [{"id": c.id, "name": c.name} for c in counted.candidates],
        "ballots": [],
    }
    if counted.pre_election:
        document["stage"] = "pre_election"
    if counted.statutory_minimum is not None:
        document["statutory_minimum"] = counted.statutory_minimum
    if counted.elected_before:
        document["elected_before"] = counted.elected_before
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
