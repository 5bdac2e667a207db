"""The live count of a round for the projector and the report: counts by the rules engine over
the ballot entries stored so far. Never who is elected while the round is open (R-CNT-7: the
result is announced once the count is closed)."""

from __future__ import annotations

from typing import Any

from xuanju.counting.desk import conflict_keys
from xuanju.counting.models import DeskEntry
from xuanju.elections.models import Round
from xuanju.elections.rounds import election_round
from xuanju.rules.names import stroke_key
from xuanju.rules.tally import count_marks, write_in_people


def board_data(round_: Round) -> dict[str, Any]:
    """Per candidate (in ballot order, not ranked) for / against / abstain, where for + against +
    abstain = valid ballots; the ballots issued, entered (and returned, once closed), valid,
    invalid (R-BAL-3) and void (R-BAL-4); and how far the double entry has come."""
    counted = election_round(round_)
    counts, marks = count_marks(counted)
    people = [
        {
            "id": c.id,
            "name": c.name,
            "for": marks.for_votes[c.id],
            "against": marks.against[c.id],
            "abstain": counts.valid - marks.for_votes[c.id] - marks.against[c.id],
        }
        for c in counted.candidates
    ]
    # R-CNT-2: write-ins are counted like candidates, by person not spelling (R-NAME-5); nobody
    # votes against a write-in.
    write_ins = [
        {"id": w.id, "name": w.name, "for": w.votes, "against": 0, "abstain": counts.valid - w.votes}
        for w in sorted(write_in_people(marks.write_ins), key=lambda w: stroke_key(w.name))
    ]
    keys = DeskEntry.objects.filter(round=round_, ballot__isnull=True).values_list("key", flat=True)
    per_key: dict[str, int] = {}
    for key in keys:
        per_key[key] = per_key.get(key, 0) + 1
    entered = counted.listed
    issued = counts.issued
    return {
        "round": round_.pk,
        "title": counted.title,
        "seats": counted.seats,
        "closed": round_.closed,
        "issued": issued,
        "entered": entered,
        "returned": round_.returned if round_.closed else None,
        "valid": counts.valid,
        "invalid": counts.invalid,
        "void": counts.void,
        "progress": min(100, round(100 * entered / issued)) if issued else 0,
        "candidates": people,
        "write_ins": write_ins,
        "waiting": sum(1 for n in per_key.values() if n == 1),
        "conflicts": len(conflict_keys(round_)),
    }
