"""``xuanju.election/1`` in, ``xuanju.result/1`` out (see docs/formats.md)."""

from __future__ import annotations

from typing import Any

from xuanju.formats.errors import InputError, Located, json_path
from xuanju.formats.schemas import check, loads_json
from xuanju.formats.wording import note_text, problem_text
from xuanju.rules.ballots import Ballot
from xuanju.rules.tally import (
    Candidate,
    ElectionRound,
    MajorityBase,
    Procedure,
    RoundKind,
    RoundResult,
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
    round_ = ElectionRound(
        title=data.get("title", ""),
        kind=RoundKind(data.get("kind", "regular")),
        seats=int(data["seats"]),  # JSON Schema takes 5.0 for an integer; the rules want 5
        entitled=int(data["entitled"]),
        present=int(data["present"]),
        ballots_issued=_optional_int(data.get("ballots_issued")),
        ballots_returned=_optional_int(data.get("ballots_returned")),
        procedure=Procedure(
            majority_base=MajorityBase(rules.get("majority_base", "present")),
            tie_revote_needs_majority=rules.get("tie_revote_needs_majority", False),
        ),
        candidates=tuple(Candidate(id=c["id"], name=c["name"].strip()) for c in data["candidates"]),
        ballots=tuple(_ballot(b) for b in data["ballots"]),
    )
    problems = round_problems(round_)
    if problems:
        raise InputError([Located(json_path(p.path), problem_text(p)) for p in problems])
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


def result_to_data(round_: ElectionRound, result: RoundResult) -> dict[str, Any]:
    """The ``xuanju.result/1`` document of a tallied round."""
    counts = result.ballots
    next_round = result.next_round
    return {
        "format": RESULT_FORMAT,
        "title": round_.title,
        "kind": result.kind.value,
        "status": result.status.value,
        "seats": result.seats,
        "majority_base": result.procedure.majority_base.value,
        "base": result.base,
        "threshold": result.threshold,
        "rules": {
            "majority_base": result.procedure.majority_base.value,
            "tie_revote_needs_majority": result.procedure.tie_revote_needs_majority,
        },
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
        },
        "notes": [note_text(n) for n in result.notes],
    }
