"""``xuanju.election/1`` in, ``xuanju.result/1`` out (see docs/formats.md)."""

from __future__ import annotations

from typing import Any

from xuanju.formats.errors import InputError, Located, json_path
from xuanju.formats.schemas import check, loads_json
from xuanju.formats.wording import note_text, problem_text
from xuanju.rules.ballots import Ballot
from xuanju.rules.candidates import Post
from xuanju.rules.tally import (
    Candidate,
    ElectionRound,
    MajorityBase,
    Procedure,
    RoundKind,
    RoundResult,
    VotingBody,
    round_problems,
)

ELECTION_FORMAT = "xuanju.election/1"
RESULT_FORMAT = "xuanju.result/1"


def parse_election(text: str) -> ElectionRound:
    """Read an election round from JSON text; raise :class:`InputError` on anything malformed."""
    return election_from_data(loads_json(text))


def election_from_data(data: Any) -> ElectionRound:
    check(data, "election-1")
    rules = data.get("rules", {})
    kind = RoundKind(data.get("kind", "regular"))
    pre_election = data.get("stage", "formal") == "pre_election"
    default_body = VotingBody.CONGRESS if pre_election or kind is RoundKind.PRE_ELECTION else None
    round_ = ElectionRound(
        title=data.get("title", ""),
        kind=kind,
        seats=int(data["seats"]),  # JSON Schema takes 5.0 for an integer; the rules want 5
        entitled=int(data["entitled"]),
        present=int(data["present"]),
        ballots_issued=_optional_int(data.get("ballots_issued")),
        ballots_returned=_optional_int(data.get("ballots_returned")),
        procedure=Procedure(
            majority_base=MajorityBase(rules.get("majority_base", "present")),
            tie_revote_needs_majority=rules.get("tie_revote_needs_majority", False),
            pre_election_needs_majority=rules.get("pre_election_needs_majority", True),
            issued_over_present_voids=rules.get("issued_over_present_voids", False),
        ),
        post=Post(data.get("post", Post.COMMITTEE_MEMBER.value)),
        body=VotingBody(data.get("body", default_body or VotingBody.MEMBERS_MEETING)),
        pre_election=pre_election,
        statutory_minimum=_optional_int(data.get("statutory_minimum")),
        elected_before=int(data.get("elected_before", 0)),
        candidates=tuple(Candidate(id=c["id"], name=c["name"].strip()) for c in data["candidates"]),
        ballots=tuple(_ballot(b) for b in data["ballots"]),
    )
    problems = round_problems(round_)
    if problems:
        raise InputError([Located(json_path(p.path), problem_text(p)) for p in problems])
    round_.mark_index  # noqa: B018 -- built while reading, once: every count of the round uses it
    return round_


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _ballot(entry: dict[str, Any]) -> Ballot:
    return Ballot(
        for_=tuple(entry.get("for", ())),
        against=tuple(entry.get("against", ())),
        write_in=tuple(name.strip() for name in entry.get("write_in", ())),
        count=int(entry.get("count", 1)),
        void_reason=entry.get("void"),
    )


def shown_threshold(document: dict[str, Any]) -> int | None:
    """The majority threshold a report may print for a ``xuanju.result/1`` document, or None where
    no majority applies (R-CNT-4, R-CNT-8): null in the document, and in documents stored before
    the field could be null, a tie revote without the majority parameter, a pre-election counted
    without one, a round with no quorum or void."""
    threshold = document.get("threshold")
    rules = document.get("rules", {})
    if threshold is None or document.get("status") in ("meeting_invalid", "round_void"):
        return None
    if document.get("kind") == "tie_revote" and not rules.get("tie_revote_needs_majority", False):
        return None
    if document.get("kind") == "pre_election" and not rules.get("pre_election_needs_majority", False):
        return None
    return int(threshold)


def rules_to_data(procedure: Procedure) -> dict[str, Any]:
    """The election procedure's counting parameters as the ``rules`` object of both formats."""
    return {
        "majority_base": procedure.majority_base.value,
        "tie_revote_needs_majority": procedure.tie_revote_needs_majority,
        "pre_election_needs_majority": procedure.pre_election_needs_majority,  # R-CNT-8
        "issued_over_present_voids": procedure.issued_over_present_voids,  # R-BAL-5
    }


def result_to_data(round_: ElectionRound, result: RoundResult) -> dict[str, Any]:
    """The ``xuanju.result/1`` document of a tallied round. ``threshold`` is null where no majority
    applies (R-CNT-4, R-CNT-8, R-MEET-1, R-BAL-5)."""
    counts = result.ballots
    next_round = result.next_round
    return {
        "format": RESULT_FORMAT,
        "title": round_.title,
        "kind": result.kind.value,
        "stage": "pre_election" if round_.in_pre_election else "formal",
        "post": round_.post.value,
        "body": round_.body.value,
        "status": result.status.value,
        "seats": result.seats,
        "majority_base": result.procedure.majority_base.value,
        "base": result.base,
        "threshold": result.threshold,
        "rules": rules_to_data(result.procedure),
        "ballots": {
            "issued": counts.issued,
            "returned": counts.returned,
            "valid": counts.valid,
            "invalid": counts.invalid,
            "void": counts.void,
        },
        "tally": [
            {
                "id": p.id,
                "name": p.name,
                "for": p.for_votes,
                "against": p.against,
                "abstain": p.abstain,
                "write_in": p.write_in,
                "elected": p.elected,
            }
            for p in result.tally
        ],
        "elected": list(result.elected),
        "elected_in_stroke_order": list(result.elected_in_stroke_order),
        "tied": list(result.tied),
        "seats_left": result.seats_left,
        "next_round": None
        if next_round is None
        else {
            "kind": next_round.kind.value,
            "seats": next_round.seats,
            "candidates": list(next_round.candidates),
            "minimum_candidates": next_round.minimum_candidates,
            "stage": "pre_election" if next_round.pre_election else "formal",
        },
        "notes": [note_text(n) for n in result.notes],
    }
