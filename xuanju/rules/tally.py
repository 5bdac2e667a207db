"""Counting a round and deciding its outcome (计票与选举结果, R-CNT, with R-MEET-1 and R-BAL).

:func:`round_problems` says what makes a round's data impossible to count; :func:`tally_round`
counts a round that has none and decides who is elected and what the next round must be.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from itertools import chain
from operator import attrgetter

from xuanju.rules import mark_index
from xuanju.rules.ballots import Ballot, round_defect, write_ins_allowed
from xuanju.rules.candidates import COMPETITIVE_POSTS, Post, may_be_equal_election, minimum_candidates
from xuanju.rules.meeting import has_quorum
from xuanju.rules.names import NameKey, canonical_name, stroke_key
from xuanju.rules.reduction import ReductionProblem, seat_reduction_problem

WRITE_IN_PREFIX = "w:"


class RoundKind(StrEnum):
    REGULAR = "regular"  # 正式选举
    TIE_REVOTE = "tie_revote"  # 再次投票, R-CNT-4
    FURTHER = "further"  # 另行选举, R-CNT-6
    # 预选 at a delegates' congress whose election procedure adopts it: more candidates than the
    # formal list; the top ``seats`` by for-votes become the formal candidates the presidium submits
    # (R-DEL-5, R-CAND-4). By default a nominee needs a majority to qualify (R-CNT-8); ranking and
    # ties follow R-CNT-3/R-CNT-4, too few qualifiers a further round (R-CNT-5/6).
    PRE_ELECTION = "pre_election"


class VotingBody(StrEnum):
    """Who votes in the round: the words of the quorum and result notes depend on it (党员, 代表, 委员)."""

    MEMBERS_MEETING = "members_meeting"  # 党员大会
    CONGRESS = "congress"  # 党员代表大会
    PLENARY = "plenary"  # 委员会全体会议 (R-CAND-5)


class MajorityBase(StrEnum):
    """What "more than half" is reckoned from (R-CNT-1)."""

    PRESENT = "present"  # 实到会有选举权人数 (default)
    ENTITLED = "entitled"  # 应到会有选举权人数


@dataclass(frozen=True)
class Procedure:
    """The parameters the meeting's election procedure (选举办法) fixes for counting."""

    majority_base: MajorityBase = MajorityBase.PRESENT
    tie_revote_needs_majority: bool = False  # R-CNT-4
    # R-CNT-8: a nominee qualifies in a pre-election only with a majority (handbook practice for 预选)
    pre_election_needs_majority: bool = True
    # R-BAL-5: the strict reading, under which ballots issued beyond those present void the round
    issued_over_present_voids: bool = False


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str


@dataclass(frozen=True)
class ElectionRound:
    """One round of voting as counted: who stood, who was there, and the ballots.

    ``ballots_issued`` defaults to ``present``; ``ballots_returned`` to the ballots listed.
    ``post`` is what the round fills and ``body`` who votes (R-CAND-2/3, R-CNT-5/6); ``pre_election``
    marks a round of a pre-election after its first (its tie revotes and further rounds, R-CNT-8).
    ``statutory_minimum`` is the fewest members the post's body may have (R-ORG, for a seat
    reduction, R-CNT-5) and ``elected_before`` how many earlier rounds of the contest elected.
    """

    seats: int
    entitled: int
    present: int
    candidates: tuple[Candidate, ...]
    ballots: tuple[Ballot, ...]
    kind: RoundKind = RoundKind.REGULAR
    procedure: Procedure = field(default_factory=Procedure)
    ballots_issued: int | None = None
    ballots_returned: int | None = None
    title: str = ""
    post: Post = Post.COMMITTEE_MEMBER
    body: VotingBody = VotingBody.MEMBERS_MEETING
    pre_election: bool = False
    statutory_minimum: int | None = None
    elected_before: int = 0

    @cached_property
    def mark_index(self) -> mark_index.MarkIndex:
        """The ballots' marks per candidate (:mod:`xuanju.rules.mark_index`), built on first use."""
        return mark_index.build(self.ballots)

    @property
    def in_pre_election(self) -> bool:
        """Whether the round places formal candidates rather than electing (R-CNT-8)."""
        return self.kind is RoundKind.PRE_ELECTION or self.pre_election

    @property
    def issued(self) -> int:
        return self.present if self.ballots_issued is None else self.ballots_issued

    @property
    def listed(self) -> int:
        return self.mark_index.listed

    @property
    def returned(self) -> int:
        return self.listed if self.ballots_returned is None else self.ballots_returned


# --- input problems -------------------------------------------------------------------------

Path = tuple[str | int, ...]


class Problem(StrEnum):
    SEATS_BELOW_ONE = "seats_below_one"
    PRESENT_EXCEEDS_ENTITLED = "present_exceeds_entitled"
    DUPLICATE_CANDIDATE_ID = "duplicate_candidate_id"
    UNKNOWN_CANDIDATE = "unknown_candidate"
    CANDIDATE_TWICE = "candidate_twice"
    CANDIDATE_FOR_AND_AGAINST = "candidate_for_and_against"  # R-BAL-2: ○ and × on one name
    WRITE_IN_TWICE = "write_in_twice"
    WRITE_IN_BLANK = "write_in_blank"  # R-NAME-5: nothing visible is left of the name
    WRITE_IN_IS_CANDIDATE = "write_in_is_candidate"
    WRITE_IN_WITHOUT_AGAINST = "write_in_without_against"  # R-BAL-2
    WRITE_IN_IN_TIE_REVOTE = "write_in_in_tie_revote"  # R-CNT-4
    WRITE_IN_IN_PRE_ELECTION = "write_in_in_pre_election"  # R-CAND-4
    PRE_ELECTION_TOO_FEW_CANDIDATES = "pre_election_too_few_candidates"  # R-CAND-4
    REVOTE_WITHOUT_TIE = "revote_without_tie"  # R-CNT-4: no more candidates than seats
    VOID_BALLOT_HAS_MARKS = "void_ballot_has_marks"  # R-BAL-4
    COUNT_BELOW_ONE = "count_below_one"
    RETURNED_DIFFERS_FROM_LISTED = "returned_differs_from_listed"


@dataclass(frozen=True)
class InputProblem:
    code: Problem
    path: Path
    value: str = ""


def round_problems(round_: ElectionRound) -> list[InputProblem]:
    """Every reason the round's data cannot be counted, each with where it is."""
    problems: list[InputProblem] = []
    if round_.seats < 1:
        problems.append(InputProblem(Problem.SEATS_BELOW_ONE, ("seats",), str(round_.seats)))
    if round_.present > round_.entitled:
        problems.append(InputProblem(Problem.PRESENT_EXCEEDS_ENTITLED, ("present",), str(round_.present)))
    ids: set[str] = set()
    names: set[str] = set()
    for i, candidate in enumerate(round_.candidates):
        if candidate.id in ids:
            problems.append(
                InputProblem(Problem.DUPLICATE_CANDIDATE_ID, ("candidates", i, "id"), candidate.id)
            )
        ids.add(candidate.id)
        names.add(canonical_name(candidate.name))  # R-NAME-5
    if round_.kind is RoundKind.TIE_REVOTE and not revote_has_tie(len(round_.candidates), round_.seats):
        # R-CNT-4: a revote exists only among more tied people than seats; with one tied person
        # (or none) it would elect on no votes at all
        problems.append(
            InputProblem(Problem.REVOTE_WITHOUT_TIE, ("candidates",), str(len(round_.candidates)))
        )
    if round_.kind is RoundKind.PRE_ELECTION and len(round_.candidates) <= round_.seats:
        # a pre-election narrows a list longer than the formal one (R-CAND-4)
        problems.append(
            InputProblem(
                Problem.PRE_ELECTION_TOO_FEW_CANDIDATES, ("candidates",), str(len(round_.candidates))
            )
        )
    # a further round of a pre-election narrows the presidium's list like the pre-election (R-CNT-8)
    ballot_kind = RoundKind.PRE_ELECTION if round_.in_pre_election else round_.kind
    if round_.kind is RoundKind.TIE_REVOTE:
        ballot_kind = RoundKind.TIE_REVOTE
    for i, ballot in enumerate(round_.ballots):
        if not _plainly_valid(ballot, ids):
            problems.extend(_ballot_problems(ballot, ("ballots", i), ids, names, ballot_kind))
    if round_.ballots_returned is not None and round_.ballots_returned != round_.listed:
        problems.append(
            InputProblem(Problem.RETURNED_DIFFERS_FROM_LISTED, ("ballots_returned",), str(round_.listed))
        )
    return problems


def revote_has_tie(candidates: int, seats: int) -> bool:
    """R-CNT-4: a tie revote exists only among more tied people than the seats left to fill."""
    return candidates > seats


# Rounds on which nobody may write in another person, and the problem a write-in there is: a tie
# revote is only among the tied (R-CNT-4); a pre-election only narrows the list the presidium
# proposed (R-CAND-4).
_WRITE_IN_REFUSED = {
    RoundKind.TIE_REVOTE: Problem.WRITE_IN_IN_TIE_REVOTE,
    RoundKind.PRE_ELECTION: Problem.WRITE_IN_IN_PRE_ELECTION,
}
NO_WRITE_IN_KINDS = frozenset(_WRITE_IN_REFUSED)


def _plainly_valid(ballot: Ballot, ids: set[str]) -> bool:
    """A ballot that :func:`_ballot_problems` would find nothing wrong with, told by set operations
    in C: no write-ins, every mark a known candidate, none twice, none both for and against."""
    if ballot.write_in or ballot.void_reason is not None or ballot.count < 1:
        return False
    marked_for, marked_against = set(ballot.for_), set(ballot.against)
    return (
        len(marked_for) == len(ballot.for_)
        and len(marked_against) == len(ballot.against)
        and marked_for.isdisjoint(marked_against)
        and marked_for <= ids
        and marked_against <= ids
    )


def _ballot_problems(
    ballot: Ballot, at: Path, ids: set[str], names: set[str], kind: RoundKind
) -> Iterable[InputProblem]:
    if ballot.count < 1:
        yield InputProblem(Problem.COUNT_BELOW_ONE, (*at, "count"), str(ballot.count))
    if ballot.void_reason is not None:
        if ballot.for_ or ballot.against or ballot.write_in:
            yield InputProblem(Problem.VOID_BALLOT_HAS_MARKS, (*at, "void"), ballot.void_reason)
        return
    marked: dict[str, str] = {}  # candidate id -> the first list that marks it
    for key, marks in (("for", ballot.for_), ("against", ballot.against)):
        for j, candidate_id in enumerate(marks):
            if candidate_id not in ids:
                yield InputProblem(Problem.UNKNOWN_CANDIDATE, (*at, key, j), candidate_id)
            elif marked.get(candidate_id, key) != key:  # R-BAL-2: for and against on one name
                yield InputProblem(Problem.CANDIDATE_FOR_AND_AGAINST, (*at, key, j), candidate_id)
            elif candidate_id in marked:
                yield InputProblem(Problem.CANDIDATE_TWICE, (*at, key, j), candidate_id)
            marked.setdefault(candidate_id, key)
    # R-CNT-2, R-NAME-5: names are compared as people, not spellings ("王 芳" is the candidate 王芳)
    written: set[str] = set()
    for j, name in enumerate(ballot.write_in):
        where = (*at, "write_in", j)
        person = canonical_name(name)
        if kind in _WRITE_IN_REFUSED:
            yield InputProblem(_WRITE_IN_REFUSED[kind], where, name)
        elif not person:
            yield InputProblem(Problem.WRITE_IN_BLANK, where, name)
        elif person in names:
            yield InputProblem(Problem.WRITE_IN_IS_CANDIDATE, where, name)
        elif person in written:
            yield InputProblem(Problem.WRITE_IN_TWICE, where, name)
        written.add(person)
    if not write_ins_allowed(ballot) and kind not in NO_WRITE_IN_KINDS:
        yield InputProblem(Problem.WRITE_IN_WITHOUT_AGAINST, (*at, "write_in"), str(len(ballot.write_in)))


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotCounts:
    issued: int
    returned: int
    valid: int
    invalid: int
    void: int
    void_reasons: tuple[str, ...]


@dataclass(frozen=True)
class Marks:
    """For-, against- and write-in marks per person over the valid ballots."""

    for_votes: Counter[str]
    against: Counter[str]
    write_ins: Counter[str]  # by written spelling; :func:`write_in_people` counts them by person


@dataclass(frozen=True)
class WriteIn:
    """One person written in, over all the spellings of their name (R-CNT-2, R-NAME-5)."""

    id: str  # WRITE_IN_PREFIX + canonical name: the same whatever spelling came first
    name: str  # the spelling shown
    votes: int


def write_in_people(write_ins: Counter[str]) -> list[WriteIn]:
    """Write-in votes per person: spellings equal after :func:`canonical_name` are one person
    (R-NAME-5), so "张三", "张 三" and "张　三" add up (R-CNT-2).

    The spelling shown is the one written most often; on equal counts the spelling that already
    is the canonical form, then the first in code-point order — never the order of the ballots.
    Sorted by id, so the result does not depend on the order of the ballots either.
    """
    spellings: dict[str, list[tuple[str, int]]] = {}
    for spelling, votes in write_ins.items():
        spellings.setdefault(canonical_name(spelling), []).append((spelling, votes))
    people = []
    for person, written in sorted(spellings.items()):
        shown = min(written, key=lambda item: (-item[1], item[0] != person, item[0]))[0]
        people.append(WriteIn(WRITE_IN_PREFIX + person, shown, sum(votes for _, votes in written)))
    return people


def count_marks(round_: ElectionRound) -> tuple[BallotCounts, Marks]:
    """Sort ballots into valid, invalid and void (R-BAL-3/4) and count the valid ones' marks.

    Decides exactly what :func:`ballot_state` decides: for the ballots that stand for one ballot
    each, through the round's mark index (sets of ballots per candidate and per number of votes, so
    the cost follows the candidates, not the marks); for the others, ballot by ballot.
    """
    seats = round_.seats
    ballots = round_.ballots
    index = round_.mark_index  # the count-1 ballots, sorted once per round
    valid_singles = index.within(seats)  # R-BAL-3
    void_singles = index.void.bit_count()  # R-BAL-4
    others = [ballots[i] for i in index.grouped]
    void_ballots = [b for b in others if b.void_reason is not None]  # R-BAL-4
    marked = [b for b in others if b.void_reason is None]
    grouped = [b for b in marked if len(b.for_) + len(b.write_in) <= seats]  # R-BAL-3
    valid = valid_singles.bit_count() + sum(b.count for b in grouped)
    reasons = index.void_reasons | {b.void_reason for b in void_ballots if b.void_reason}
    counts = BallotCounts(
        issued=round_.issued,
        returned=round_.returned,
        valid=valid,
        invalid=len(index.singles) - void_singles + sum(b.count for b in marked) - valid,
        void=void_singles + sum(b.count for b in void_ballots),
        void_reasons=tuple(sorted(reasons)),
    )
    singles = [b for i in index.written if len((b := ballots[i]).for_) + len(b.write_in) <= seats]
    marks = Marks(
        for_votes=_indexed_counts(index, index.for_sets, valid_singles, grouped, "for_"),
        against=_indexed_counts(index, index.against_sets, valid_singles, grouped, "against"),
        write_ins=_mark_counts(singles, grouped, "write_in"),
    )
    return counts, marks


def _indexed_counts(
    index: mark_index.MarkIndex, sets: dict[str, int], valid: int, grouped: list[Ballot], field: str
) -> Counter[str]:
    """How many valid ballots carry each mark in ``field``: the count-1 ballots from the round's
    mark index, the grouped ones added on."""
    counts = Counter(index.count(sets, valid))
    get = attrgetter(field)
    for ballot in grouped:
        for mark in get(ballot):
            counts[mark] += ballot.count
    return counts


def _mark_counts(singles: list[Ballot], grouped: list[Ballot], field: str) -> Counter[str]:
    """How many valid ballots carry each mark in ``field``.

    Identical mark lists are first counted as wholes, then each distinct list is counted once in
    Counter's C loop and its repeats added on: ballots read off paper in candidate order repeat a lot.
    """
    get = attrgetter(field)
    lists: Counter[tuple[str, ...]] = Counter(map(get, singles))
    for ballot in grouped:
        lists[get(ballot)] += ballot.count
    counts = Counter(chain.from_iterable(lists))
    for marks, times in lists.items():
        if times > 1:
            for mark in marks:
                counts[mark] += times - 1
    return counts


# --- outcome --------------------------------------------------------------------------------


class Status(StrEnum):
    COMPLETE = "complete"
    MEETING_INVALID = "meeting_invalid"  # R-MEET-1
    ROUND_VOID = "round_void"  # R-BAL-5
    TIE_REVOTE_NEEDED = "tie_revote_needed"  # R-CNT-4
    SEATS_UNFILLED = "seats_unfilled"  # R-CNT-5


class NoteCode(StrEnum):
    QUORUM_MET = "quorum_met"
    QUORUM_NOT_MET = "quorum_not_met"
    RETURNED_EXCEEDS_ISSUED = "returned_exceeds_issued"
    ISSUED_EXCEEDS_PRESENT = "issued_exceeds_present"  # void: the procedure's strict reading
    RETURNED_EXCEEDS_PRESENT = "returned_exceeds_present"  # void: more in the box than voters
    EXCESS_BALLOTS_ISSUED = "excess_ballots_issued"  # a staff error, corrected: not void (R-BAL-5)
    INVALID_BALLOTS = "invalid_ballots"
    VOID_BALLOTS = "void_ballots"
    THRESHOLD = "threshold"
    REVOTE_WITHOUT_MAJORITY = "revote_without_majority"
    ELECTED = "elected"
    TIE = "tie"
    SEATS_UNFILLED = "seats_unfilled"
    SEAT_REDUCTION_POSSIBLE = "seat_reduction_possible"
    SEAT_REDUCTION_BELOW_MINIMUM = "seat_reduction_below_minimum"  # R-CNT-5: would go below it
    FURTHER_POOL = "further_pool"
    FURTHER_POOL_EQUAL = "further_pool_equal"  # R-CAND-3: a secretary's further election, 等额
    FURTHER_POOL_SHORT = "further_pool_short"
    FURTHER_NOT_COMPETITIVE = "further_not_competitive"  # R-CAND-2: no more candidates than seats
    WRITE_IN_ELECTED = "write_in_elected"
    REPORT_VOTES = "report_votes"
    PRE_ELECTION = "pre_election"  # no majority: the top ``seats`` advance
    PRE_ELECTION_THRESHOLD = "pre_election_threshold"  # R-CNT-8: a majority to qualify
    PRE_ELECTION_ADVANCED = "pre_election_advanced"
    PRE_ELECTION_TIE = "pre_election_tie"
    PRE_ELECTION_UNFILLED = "pre_election_unfilled"  # R-CNT-8: too few qualified
    PRE_ELECTION_LIST = "pre_election_list"  # the presidium submits the formal list


@dataclass(frozen=True)
class Note:
    """A fact about the outcome with the rule that produced it; the shell words it."""

    rule: str
    code: NoteCode
    params: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonTally:
    id: str
    name: str
    for_votes: int
    against: int
    abstain: int
    write_in: bool
    elected: bool


@dataclass(frozen=True)
class NextRound:
    kind: RoundKind
    seats: int
    candidates: tuple[str, ...]  # ids, in ballot order for a revote, vote order for a further election
    minimum_candidates: int
    pre_election: bool = False  # the round still places formal candidates (R-CNT-8)


@dataclass(frozen=True)
class RoundResult:
    kind: RoundKind
    status: Status
    seats: int
    procedure: Procedure
    base: int
    threshold: int | None  # None where no majority applies (R-CNT-4, R-CNT-8, R-MEET-1, R-BAL-5)
    ballots: BallotCounts
    tally: tuple[PersonTally, ...]  # by for-votes, then stroke order
    elected: tuple[str, ...]  # rank order
    elected_in_stroke_order: tuple[str, ...]  # R-CNT-7: the order of the announcement
    tied: tuple[str, ...]
    seats_left: int
    next_round: NextRound | None
    notes: tuple[Note, ...]


def majority_threshold(base: int) -> int:
    """R-CNT-1: the fewest for-votes that are more than half of ``base`` (exactly half is not enough)."""
    return base // 2 + 1


def is_majority(for_votes: int, base: int) -> bool:
    """R-CNT-1: elected only with for-votes more than half of the base."""
    return for_votes * 2 > base


def needs_majority(kind: RoundKind, procedure: Procedure, pre_election: bool = False) -> bool:
    """Whether a round of ``kind`` elects (or places) only above the R-CNT-1 threshold.

    A tie revote follows ``tie_revote_needs_majority`` (R-CNT-4), after a pre-election too (R-CNT-8);
    a pre-election and its further rounds follow ``pre_election_needs_majority`` (R-CNT-8, default
    on: handbook practice for 预选); every other round does (R-CNT-1)."""
    if kind is RoundKind.TIE_REVOTE:
        return procedure.tie_revote_needs_majority
    if kind is RoundKind.PRE_ELECTION or pre_election:
        return procedure.pre_election_needs_majority
    return True


def _people(
    round_: ElectionRound, counts: BallotCounts, marks: Marks, keys: dict[str, NameKey]
) -> list[PersonTally]:
    """Every candidate and every write-in, with their votes, before anyone is elected."""
    people = [
        PersonTally(
            id=c.id,
            name=c.name,
            for_votes=marks.for_votes[c.id],
            against=marks.against[c.id],
            abstain=counts.valid - marks.for_votes[c.id] - marks.against[c.id],
            write_in=False,
            elected=False,
        )
        for c in round_.candidates
    ]
    # R-CNT-2: a write-in is a person like a candidate. Nobody can vote against a write-in, so a
    # valid ballot that does not name them abstains on them.
    people.extend(
        PersonTally(
            id=w.id,
            name=w.name,
            for_votes=w.votes,
            against=0,
            abstain=counts.valid - w.votes,
            write_in=True,
            elected=False,
        )
        for w in write_in_people(marks.write_ins)  # R-NAME-5: by person, not by spelling
    )
    # Equal votes rank in stroke order; what is still equal keeps the candidates' listed order
    # and puts write-ins after them by name, so the order never depends on the ballots' order.
    listed = {c.id: i for i, c in enumerate(round_.candidates)}
    keys.update((p.id, stroke_key(p.name)) for p in people)
    people.sort(key=lambda p: (-p.for_votes, keys[p.id], p.write_in, listed.get(p.id, 0), p.name))
    return people


def tally_round(round_: ElectionRound) -> RoundResult:
    """Count ``round_`` and decide its outcome. The round must have no :func:`round_problems`.

    R-MEET-1 (no quorum: nobody elected), R-BAL-3/4/5 (ballot and round validity), R-CNT-1 (more
    than half of the base), R-CNT-2 (write-ins), R-CNT-3 (rank within the seats), R-CNT-4 (ties
    straddling the last seat), R-CNT-5/6 (unfilled seats and the further election), R-CNT-7.

    A pre-election (预选, :attr:`ElectionRound.in_pre_election`) is counted the same way, but its
    "elected" are placed on the formal list (R-CNT-8): by default only with a majority; a tie
    straddling the cut is voted on again (R-CNT-4), too few qualifiers go to a further round of the
    pre-election (R-CNT-5/6, never a seat reduction); ``next_round`` is None when it is complete,
    since the caller opens the formal election (R-DEL-5, R-CAND-4).

    ``threshold`` is None where no majority applies: no quorum, a void round, a tie revote without
    the majority parameter, a pre-election without it (R-CNT-4, R-CNT-8).
    """
    procedure = round_.procedure
    counts, marks = count_marks(round_)
    base = round_.present if procedure.majority_base is MajorityBase.PRESENT else round_.entitled
    pre_election = round_.in_pre_election
    majority = needs_majority(round_.kind, procedure, pre_election)
    threshold: int | None = majority_threshold(base) if majority else None
    keys: dict[str, NameKey] = {}
    people = _people(round_, counts, marks, keys)
    notes: list[Note] = []

    def finish(
        status: Status,
        elected: list[PersonTally],
        tied: list[PersonTally],
        next_round: NextRound | None,
        seats_left: int,
    ) -> RoundResult:
        elected_ids = {p.id for p in elected}
        tally = tuple(
            PersonTally(p.id, p.name, p.for_votes, p.against, p.abstain, p.write_in, p.id in elected_ids)
            for p in people
        )
        announced = sorted(elected, key=lambda p: keys[p.id])
        counted = status not in (Status.MEETING_INVALID, Status.ROUND_VOID)
        return RoundResult(
            kind=round_.kind,
            status=status,
            seats=round_.seats,
            procedure=procedure,
            base=base,
            threshold=threshold if counted else None,
            ballots=counts,
            tally=tally,
            elected=tuple(p.id for p in elected),
            elected_in_stroke_order=tuple(p.id for p in announced),
            tied=tuple(p.id for p in tied),
            seats_left=seats_left,
            next_round=next_round,
            notes=tuple(notes),
        )

    # R-MEET-1; the shell words the voters by ``body`` (党员, 代表, 委员)
    quorum_params: dict[str, int | str] = {
        "present": round_.present,
        "entitled": round_.entitled,
        "body": round_.body.value,
    }
    if not has_quorum(round_.present, round_.entitled):
        notes.append(Note("R-MEET-1", NoteCode.QUORUM_NOT_MET, quorum_params))
        return finish(Status.MEETING_INVALID, [], [], None, round_.seats)
    notes.append(Note("R-MEET-1", NoteCode.QUORUM_MET, quorum_params))

    # R-BAL-5: void when more come back than were issued; ballots issued beyond those present are
    # a staff error corrected by withdrawing the spare sheets, void only under the strict reading
    defect = round_defect(counts.issued, counts.returned, round_.present, procedure.issued_over_present_voids)
    ballot_params: dict[str, int | str] = {
        "issued": counts.issued,
        "returned": counts.returned,
        "present": round_.present,
        "excess": max(0, counts.issued - round_.present),
        "body": round_.body.value,
    }
    if defect is not None:
        notes.append(Note("R-BAL-5", NoteCode(defect.value), ballot_params))
        return finish(Status.ROUND_VOID, [], [], None, round_.seats)
    if counts.issued > round_.present:
        notes.append(Note("R-BAL-5", NoteCode.EXCESS_BALLOTS_ISSUED, ballot_params))

    if counts.invalid:
        notes.append(
            Note("R-BAL-3", NoteCode.INVALID_BALLOTS, {"count": counts.invalid, "seats": round_.seats})
        )
    if counts.void:
        notes.append(
            Note(
                "R-BAL-4",
                NoteCode.VOID_BALLOTS,
                {"count": counts.void, "reasons": "；".join(counts.void_reasons)},
            )
        )
    competitive = round_.post in COMPETITIVE_POSTS and not pre_election
    if round_.kind is RoundKind.FURTHER and competitive and len(round_.candidates) <= round_.seats:
        # R-CAND-2: committee members and delegates are never elected 等额, a further election too
        notes.append(
            Note(
                "R-CAND-2",
                NoteCode.FURTHER_NOT_COMPETITIVE,
                {"candidates": len(round_.candidates), "seats": round_.seats},
            )
        )

    threshold_params: dict[str, int | str] = {
        "base_kind": procedure.majority_base.value,
        "base": base,
        "threshold": threshold or 0,
    }
    if pre_election and majority:
        notes.append(
            Note("R-CNT-8", NoteCode.PRE_ELECTION_THRESHOLD, threshold_params | {"seats": round_.seats})
        )
    elif pre_election and round_.kind is not RoundKind.TIE_REVOTE:
        # 预选 without a majority, as the procedure adopted: ranked, the top ``seats`` advance
        notes.append(Note("R-CNT-8", NoteCode.PRE_ELECTION, {"seats": round_.seats}))
    elif majority:
        notes.append(Note("R-CNT-1", NoteCode.THRESHOLD, threshold_params))
    else:
        notes.append(Note("R-CNT-4", NoteCode.REVOTE_WITHOUT_MAJORITY, {"pre_election": int(pre_election)}))
    passing = [p for p in people if is_majority(p.for_votes, base)] if majority else list(people)

    elected, tied = _fill_seats(passing, round_.seats)  # R-CNT-3, R-CNT-4
    seats_left = round_.seats - len(elected)
    if elected:
        code = NoteCode.PRE_ELECTION_ADVANCED if pre_election else NoteCode.ELECTED
        notes.append(Note("R-CNT-3", code, {"count": len(elected), "seats": round_.seats}))
    written_in = [p.name for p in elected if p.write_in]
    if written_in:
        notes.append(Note("R-CNT-2", NoteCode.WRITE_IN_ELECTED, {"names": "、".join(written_in)}))

    next_round: NextRound | None
    if tied:
        status = Status.TIE_REVOTE_NEEDED
        notes.append(
            Note(
                "R-CNT-4",
                NoteCode.PRE_ELECTION_TIE if pre_election else NoteCode.TIE,
                {
                    "count": len(tied),
                    "votes": tied[0].for_votes,
                    "seats": seats_left,
                    "majority": int(procedure.tie_revote_needs_majority),
                },
            )
        )
        next_round = NextRound(
            RoundKind.TIE_REVOTE, seats_left, tuple(p.id for p in tied), len(tied), pre_election
        )
    elif seats_left:
        status = Status.SEATS_UNFILLED
        equal = may_be_equal_election(round_.post) and not pre_election  # R-CAND-3
        next_round = further_election(people, elected, seats_left, equal, pre_election)
        if pre_election:
            notes.append(Note("R-CNT-8", NoteCode.PRE_ELECTION_UNFILLED, {"seats": seats_left}))
        else:
            notes.append(Note("R-CNT-5", NoteCode.SEATS_UNFILLED, {"seats": seats_left}))
            elected_total = round_.elected_before + len(elected)
            reduction = seat_reduction_problem(round_.post, elected_total, round_.statutory_minimum)
            if reduction is None:
                notes.append(Note("R-CNT-5", NoteCode.SEAT_REDUCTION_POSSIBLE, {"seats": seats_left}))
            elif reduction is ReductionProblem.BELOW_MINIMUM and round_.statutory_minimum is not None:
                notes.append(
                    Note(
                        "R-CNT-5",
                        NoteCode.SEAT_REDUCTION_BELOW_MINIMUM,
                        {"elected": elected_total, "minimum": round_.statutory_minimum},
                    )
                )
        if len(next_round.candidates) < next_round.minimum_candidates:
            code = NoteCode.FURTHER_POOL_SHORT
        else:
            code = NoteCode.FURTHER_POOL_EQUAL if equal else NoteCode.FURTHER_POOL
        notes.append(
            Note(
                "R-CNT-6",
                code,
                {
                    "seats": seats_left,
                    "candidates": len(next_round.candidates),
                    "minimum": next_round.minimum_candidates,
                },
            )
        )
    else:
        status = Status.COMPLETE
        next_round = None  # after a pre-election the caller opens the formal election
    if pre_election:
        notes.append(Note("R-CAND-4", NoteCode.PRE_ELECTION_LIST))
    else:
        notes.append(Note("R-CNT-7", NoteCode.REPORT_VOTES))
    return finish(status, elected, tied, next_round, seats_left)


def _fill_seats(ranked: list[PersonTally], seats: int) -> tuple[list[PersonTally], list[PersonTally]]:
    """Fill ``seats`` from people ranked by for-votes (R-CNT-3); return (elected, tied).

    When equal votes straddle the last seat, everyone above the tie is elected and the tied
    people are returned for a revote (R-CNT-4).
    """
    if len(ranked) <= seats:
        return list(ranked), []
    last_in = ranked[seats - 1].for_votes
    if ranked[seats].for_votes != last_in:
        return ranked[:seats], []
    above = [p for p in ranked if p.for_votes > last_in]
    tied = [p for p in ranked if p.for_votes == last_in]
    return above, tied


def further_election(
    people: list[PersonTally],
    elected: list[PersonTally],
    seats: int,
    equal: bool = False,
    pre_election: bool = False,
) -> NextRound:
    """R-CNT-6: the default pool of a further election (另行选举) for ``seats`` unfilled seats.

    Those not elected, in order of their votes in this round, as many as the surplus of R-CAND-2
    asks for — or, for a post that may be elected 等额 (``equal``: secretary, deputy, R-CAND-3), as
    many as the seats; whoever ties with the last of them comes in too, so that no tie is cut
    arbitrarily. ``pre_election``: the further round of a pre-election (R-CNT-8).
    """
    needed = seats if equal else minimum_candidates(seats)
    elected_ids = {p.id for p in elected}
    remaining = [p for p in people if p.id not in elected_ids]
    pool = remaining[:needed]
    if pool:
        cut = pool[-1].for_votes
        pool.extend(p for p in remaining[needed:] if p.for_votes == cut)
    return NextRound(RoundKind.FURTHER, seats, tuple(p.id for p in pool), needed, pre_election)
