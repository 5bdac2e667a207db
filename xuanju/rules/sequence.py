"""Which round of a contest comes next, from the rounds it has held.

A contest's rounds follow each other by the Regulations: the first puts every formal candidate to
the vote — as a pre-election (预选) when the congress's procedure adopted one (R-CNT-8) —; a void
round is held again as it was (R-BAL-5); a tie that straddles the last seat is voted on again
(再次投票, R-CNT-4); seats left unfilled go to a further election (另行选举, R-CNT-5/6), unless the
meeting reduced them; once the pre-election has placed its formal candidates, the formal election
follows over them (R-CNT-8). The count of one round (:mod:`xuanju.rules.tally`) suggests its
successor; this module decides, over the whole history, what is actually held next.

Pure: candidates are the keys the open election format uses ("c12"); the shell loads the rounds,
converts them to :class:`HeldRound` and stores what :func:`next_round` returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xuanju.rules.tally import RoundKind, Status

#: Statuses of a round that counts for nothing and is held again as it was (R-BAL-5, R-MEET-1).
VOID_STATUSES = frozenset({Status.ROUND_VOID, Status.MEETING_INVALID})


@dataclass(frozen=True)
class Suggestion:
    """The round a count suggests after it (the tally's ``next_round``): a tie revote or a further
    election, with the keys on its ballot."""

    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class HeldRound:
    """A round the contest has opened: what was on its ballot and, once closed, its result."""

    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]
    closed: bool = True
    status: Status | None = None  # None: no result stored (yet)
    elected: tuple[str, ...] = ()  # elected — or, in a pre-election, placed on the formal list
    next_round: Suggestion | None = None


@dataclass(frozen=True)
class PlannedRound:
    """The round to open next."""

    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]


def in_pre_election(earlier: Sequence[RoundKind], kind: RoundKind) -> bool:
    """Whether a round of ``kind`` held after rounds of the ``earlier`` kinds belongs to the
    pre-election: the 预选 itself, or a tie revote or further round before the first formal
    (regular) round of a contest that began with a pre-election. Such rounds place formal candidates
    and elect nobody (R-CAND-2, R-CNT-8)."""
    if kind is RoundKind.PRE_ELECTION:
        return True
    if kind is RoundKind.REGULAR:
        return False
    return bool(earlier) and earlier[0] is RoundKind.PRE_ELECTION and RoundKind.REGULAR not in earlier


def pre_election_stage(rounds: Sequence[HeldRound]) -> list[HeldRound]:
    """The rounds of the pre-election (the 预选, its tie revotes and further rounds, R-CNT-4/8):
    every round before the first formal one, when the first round was a pre-election."""
    if not rounds or rounds[0].kind is not RoundKind.PRE_ELECTION:
        return []
    stage = []
    for round_ in rounds:
        if round_.kind is RoundKind.REGULAR:
            break
        stage.append(round_)
    return stage


def advanced(stage: Sequence[HeldRound]) -> tuple[str, ...]:
    """The formal candidates a finished pre-election placed, round by round since its last valid
    预选 (a void 预选 is held again and its repeat starts afresh, R-BAL-5): those the pre-election
    and its tie revotes or further rounds placed (R-CNT-8)."""
    counted = [r for r in stage if r.status not in VOID_STATUSES]
    start = max((i for i, r in enumerate(counted) if r.kind is RoundKind.PRE_ELECTION), default=0)
    return tuple(key for r in counted[start:] for key in r.elected)


def next_round(
    rounds: Sequence[HeldRound],
    *,
    seats: int,
    filled: int,
    formal_candidates: Sequence[str],
    pre_election_keeps: int | None = None,
) -> PlannedRound | None:
    """The round the contest holds next after ``rounds`` (in the order they were held); None while
    the last round is still being counted, and once nothing is left to vote on.

    ``seats``: the contest's seats; ``filled``: the seats taken — people elected plus seats the
    meeting reduced (R-CNT-5); ``formal_candidates``: the candidates approved for the contest, in
    ballot order; ``pre_election_keeps``: how many formal candidates a pre-election keeps, when the
    procedure adopted one for this contest (R-CNT-8), else None.
    """
    if not rounds:
        if pre_election_keeps is not None:  # R-CNT-8: the congress's pre-election comes first
            return PlannedRound(RoundKind.PRE_ELECTION, pre_election_keeps, tuple(formal_candidates))
        return PlannedRound(RoundKind.REGULAR, seats, tuple(formal_candidates))
    last = rounds[-1]
    if not last.closed:
        return None
    if last.status in VOID_STATUSES:  # R-BAL-5 (and R-MEET-1): held again as it was
        return PlannedRound(last.kind, last.seats, last.candidates)
    stage = pre_election_stage(rounds)
    if len(stage) == len(rounds) and last.next_round is None:
        # R-CNT-8: the pre-election has placed its formal candidates; the formal election follows
        return PlannedRound(RoundKind.REGULAR, seats, advanced(stage))
    if filled >= seats or last.next_round is None:
        return None
    # R-CNT-4 (tie revote) or R-CNT-5/6 (further election), as the count suggested
    suggestion = last.next_round
    return PlannedRound(suggestion.kind, suggestion.seats, suggestion.candidates)
