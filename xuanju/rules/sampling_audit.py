"""A sampling audit (抽样复核) that confirms a machine count's outcome at a stated risk limit.

After a scanned round is counted, the scrutineers draw paper sheets at random from a seed rolled in
the room, read each by hand and compare it with the machine's record of the same sheet. The audit
either confirms the reported outcome — who is elected and who is not — with a chance of at most
``risk_limit`` of confirming a wrong one, or asks for more sheets, and past a point for a full hand
count. No article of the Regulations prescribes such a check: the risk limit is the election
procedure's own parameter (docs/sampling-audit.md); the outcome it confirms is R-CNT-1 and R-CNT-3's.

The method is a ballot-comparison risk-limiting audit in the SHANGRLA framework (Stark 2020, "Sets
of Half-Average Nulls Generate Risk-Limiting Audits: SHANGRLA"):

* The outcome is reduced to **assertions**, each true iff the mean of an *assorter* — a bounded
  function of one sheet — over all sheets is above 1/2: every winner has the majority
  (``MAJORITY``), every loser below the threshold lacks it (``NO_MAJORITY``), and every loser that
  reached it has fewer votes than every winner (``BEATS``). Together they imply the outcome of
  R-CNT-1 and R-CNT-3 (elected: the top ``seats`` of those with more than half of the base).
* Each sampled sheet gives an **overstatement assorter** value ``B = (1 - ω/u) / (2 - v/u)``, where
  ``ω`` is how much the machine's record overstates the assorter against the paper, ``u`` the
  assorter's upper bound and ``v`` the reported margin. If the assertion is false, the mean of ``B``
  over the sheets is at most 1/2.
* That null is tested with a betting test supermartingale, sampling with replacement:
  ``T = ∏ (1 + λ (B_i - 1/2))`` with a fixed bet ``λ ∈ [0, 2)`` (Waudby-Smith & Ramdas, "Estimating
  means of bounded random variables by betting"; the same family as ALPHA, Stark 2023). By Ville's
  inequality ``P(T ever ≥ 1/α) ≤ α`` under the null, so stopping when every assertion's ``T`` reaches
  ``1/risk_limit`` confirms a wrong outcome with probability at most ``risk_limit``.
* The bet is the one that grows fastest (Kelly) when the machine misreads at small assumed rates,
  so a clean sample confirms quickly and one misread does not ruin the test.

Sheets are drawn by SHA-256 of the seed and the draw's number (the pseudo-random sampling used
by Rivest's ``sampler`` and public audit tools), so anyone can redraw the same sample.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from xuanju.rules.ballots import Ballot, BallotState, ballot_state
from xuanju.rules.names import canonical_name
from xuanju.rules.tally import WRITE_IN_PREFIX, RoundResult

Votes = frozenset[str] | None  # the names a sheet votes for (○); None: a void sheet (废票)

DEFAULT_RISK_LIMIT = Fraction(5, 100)
# Misread rates a bet is sized for: small, so that a clean sample confirms fast, not zero, so that
# one misread costs some sheets rather than the whole audit.
ASSUMED_SMALL_MISREAD_RATE = 0.002  # overstatements of half the assorter's range
ASSUMED_LARGE_MISREAD_RATE = 0.0005  # overstatements of its whole range
MAX_BET = 1.98  # λ < 2 keeps every factor positive even for a sheet that overstates fully


class AssertionKind(StrEnum):
    MAJORITY = "majority"  # the subject's for-votes reach the threshold (R-CNT-1)
    NO_MAJORITY = "no_majority"  # the subject's for-votes stay below it (R-CNT-1)
    BEATS = "beats"  # the subject has more for-votes than the rival (R-CNT-3)


@dataclass(frozen=True)
class Assertion:
    """One claim about the whole round that the reported outcome rests on.

    ``threshold`` is the fewest for-votes that elect (R-CNT-1, :func:`~xuanju.rules.tally.majority_threshold`)
    and ``sheets`` the number of sheets counted: the majority assorters scale by them so that the
    claim is "mean above 1/2"."""

    kind: AssertionKind
    subject: str
    rival: str | None = None
    threshold: int = 0
    sheets: int = 0

    @property
    def _scale(self) -> Fraction:
        # votes ≥ T  ⟺  votes > T - 1/2  ⟺  mean(v) · N/(2T - 1) > 1/2
        return Fraction(self.sheets, 2 * self.threshold - 1)

    @property
    def upper(self) -> Fraction:
        """The assorter's largest value, ``u``."""
        return self._scale if self.kind is AssertionKind.MAJORITY else Fraction(1)

    def assort(self, votes: Votes) -> Fraction:
        """The assorter's value on one sheet, in [0, u]."""
        chosen = votes or frozenset()
        if self.kind is AssertionKind.MAJORITY:
            return self._scale if self.subject in chosen else Fraction(0)
        if self.kind is AssertionKind.NO_MAJORITY:
            return 1 - self._scale if self.subject in chosen else Fraction(1)
        return Fraction(1 + (self.subject in chosen) - (self.rival in chosen), 2)

    def describe(self, names: Mapping[str, str]) -> str:
        """The claim in Chinese, for the audit page and report; ``names`` maps ids to names."""
        subject = names.get(self.subject, self.subject)
        if self.kind is AssertionKind.MAJORITY:
            return f"{subject}的赞成票达到当选所需的{self.threshold}票"
        if self.kind is AssertionKind.NO_MAJORITY:
            return f"{subject}的赞成票不足当选所需的{self.threshold}票"
        rival = names.get(self.rival or "", self.rival)
        return f"{subject}的赞成票多于{rival}"


def sheet_votes(ballot: Ballot, seats: int) -> Votes:
    """What one sheet votes for, as the tally counts it: the for-marks and the people written in on
    a valid ballot (R-BAL-3, R-CNT-2, R-NAME-5); None for an invalid or void one (R-BAL-4)."""
    if ballot_state(ballot, seats) is not BallotState.VALID:
        return None
    return frozenset(ballot.for_) | {WRITE_IN_PREFIX + canonical_name(name) for name in ballot.write_in}


def round_assertions(sheets: Sequence[Votes], result: RoundResult) -> tuple[Assertion, ...]:
    """:func:`assertions_for` the outcome the tally reported (R-CNT-1, R-CNT-3); a tie straddling the
    last seat leaves an assertion without margin, and so asks for a full count."""
    people = [person.id for person in result.tally]
    return assertions_for(sheets, people, result.elected, result.threshold)


def for_votes(sheets: Sequence[Votes], name: str) -> int:
    return sum(1 for votes in sheets if votes is not None and name in votes)


def assertions_for(
    sheets: Sequence[Votes], people: Collection[str], elected: Collection[str], threshold: int | None
) -> tuple[Assertion, ...]:
    """The assertions that together imply the reported outcome: ``elected`` of ``people`` on the
    machine's ``sheets``, with ``threshold`` votes needed (None: no majority applies, the top ones
    are elected, as in a pre-election without it, R-CNT-8).

    Each loser is covered the cheaper sufficient way: below the threshold, or behind every winner."""
    count = len(sheets)
    if threshold is not None and 2 * threshold - 1 < count:
        raise ValueError("more sheets than the majority base allows")
    winners = sorted(set(elected))
    found: list[Assertion] = []
    if threshold is not None:
        found += [Assertion(AssertionKind.MAJORITY, w, threshold=threshold, sheets=count) for w in winners]
    for loser in sorted(set(people) - set(elected)):
        if threshold is not None and for_votes(sheets, loser) < threshold:
            found.append(Assertion(AssertionKind.NO_MAJORITY, loser, threshold=threshold, sheets=count))
        else:
            found += [Assertion(AssertionKind.BEATS, w, rival=loser) for w in winners]
    return tuple(found)


def reported_margin(assertion: Assertion, sheets: Sequence[Votes]) -> Fraction:
    """``v = 2·mean(assorter) - 1`` over the machine's records: positive iff the assertion holds there."""
    if not sheets:
        return Fraction(-1)
    return 2 * sum((assertion.assort(v) for v in sheets), Fraction(0)) / len(sheets) - 1


def overstatement(assertion: Assertion, margin: Fraction, machine: Votes, paper: Votes) -> Fraction:
    """``B`` for one sampled sheet: 1/(2 - v/u) when the machine read it right, less when it
    overstated the assertion, more when it understated it. Its mean is at most 1/2 if the assertion
    is false (SHANGRLA, section 3.2)."""
    u = assertion.upper
    omega = assertion.assort(machine) - assertion.assort(paper)
    return (1 - omega / u) / (2 - margin / u)


def _growth(bet: float, values: Sequence[tuple[float, float]]) -> float:
    return sum(p * math.log1p(bet * (b - 0.5)) for b, p in values)


def _outcomes(assertion: Assertion, margin: Fraction) -> list[tuple[float, float]]:
    """The values B may take with the assumed misread rates, and their chances."""
    u = assertion.upper
    clean = float(1 / (2 - margin / u))
    small = float((1 - Fraction(1, 2)) / (2 - margin / u))
    rates = ASSUMED_SMALL_MISREAD_RATE, ASSUMED_LARGE_MISREAD_RATE
    return [(clean, 1 - sum(rates)), (small, rates[0]), (0.0, rates[1])]


def bet_for(assertion: Assertion, margin: Fraction) -> float:
    """The fixed bet λ: the one with the fastest expected growth at the assumed misread rates."""
    if margin <= 0:
        return 0.0
    outcomes = _outcomes(assertion, margin)
    grid = [MAX_BET * k / 200 for k in range(201)]
    return max(grid, key=lambda bet: _growth(bet, outcomes))


def sheets_needed(
    assertion: Assertion, margin: Fraction, risk_limit: Fraction, misreads: bool = True
) -> int | None:
    """How many sampled sheets confirm ``assertion``: with no misread found (``misreads`` False), or on
    average at the assumed misread rates. None: no sample can (no margin), count by hand."""
    bet = bet_for(assertion, margin)
    if bet == 0.0:
        return None
    outcomes = _outcomes(assertion, margin)
    growth = _growth(bet, outcomes) if misreads else math.log1p(bet * (outcomes[0][0] - 0.5))
    if growth <= 0:
        return None
    return math.ceil(math.log(1 / float(risk_limit)) / growth)


def draw(seed: str, sheets: int, count: int, start: int = 0) -> list[int]:
    """Positions (1-based) of the sheets to pull: draws number ``start + 1`` to ``start + count``,
    with replacement, from SHA-256 of the seed and the draw's number. The same seed redraws them."""
    if sheets <= 0:
        return []
    key = normalize_seed(seed)
    positions = []
    for number in range(start + 1, start + count + 1):
        digest = hashlib.sha256(f"{key},{number}".encode()).digest()
        positions.append(int.from_bytes(digest, "big") % sheets + 1)
    return positions


def normalize_seed(seed: str) -> str:
    """The seed as rolled: digits (and letters) only, so spaces and separators do not change the draw."""
    return "".join(ch for ch in seed if ch.isalnum())


@dataclass(frozen=True)
class Measure:
    assertion: Assertion
    margin: Fraction
    bet: float
    evidence: float  # T: the test supermartingale after the sample so far

    @property
    def risk(self) -> float:
        """The measured risk: the chance a wrong assertion would have shown this much evidence."""
        return min(1.0, 1 / self.evidence) if self.evidence > 0 else 1.0


class Verdict(StrEnum):
    CONFIRMED = "confirmed"  # every assertion's measured risk is within the limit
    ESCALATE = "escalate"  # pull ``next_draws`` more sheets
    FULL_COUNT = "full_count"  # a sample cannot confirm: count every sheet by hand


@dataclass(frozen=True)
class AuditResult:
    verdict: Verdict
    measures: tuple[Measure, ...]
    discrepancies: tuple[int, ...]  # positions whose paper differs from the machine's record
    next_draws: int  # how many more sheets to draw when escalating

    @property
    def risk(self) -> float:
        return max((m.risk for m in self.measures), default=0.0)


def initial_draws(
    assertions: Sequence[Assertion], sheets: Sequence[Votes], risk_limit: Fraction
) -> int | None:
    """Sheets to pull at first: enough to confirm every assertion at the assumed misread rates.
    None when a sample cannot do better than a full hand count: some assertion has no margin (a tie,
    or the machine's own count contradicts it), or the draws would reach the number of sheets."""
    needed = 0
    for assertion in assertions:
        n = sheets_needed(assertion, reported_margin(assertion, sheets), risk_limit)
        if n is None:
            return None
        needed = max(needed, n)
    return needed if needed < len(sheets) else None


def evaluate(
    assertions: Sequence[Assertion],
    sheets: Sequence[Votes],
    sample: Sequence[tuple[int, Votes]],
    risk_limit: Fraction = DEFAULT_RISK_LIMIT,
) -> AuditResult:
    """Weigh the hand readings ``sample`` — (position, what the paper says), in draw order — against
    the machine's ``sheets``, and say whether the outcome is confirmed, needs more sheets, or needs
    a full hand count (when the next stage would pull as many draws as there are sheets)."""
    measures = []
    for assertion in assertions:
        margin = reported_margin(assertion, sheets)
        bet = bet_for(assertion, margin)
        evidence = 1.0
        for position, paper in sample:
            b = overstatement(assertion, margin, sheets[position - 1], paper)
            evidence *= 1 + bet * (float(b) - 0.5)
        measures.append(Measure(assertion, margin, bet, evidence))
    discrepancies = tuple(sorted({p for p, paper in sample if sheets[p - 1] != paper}))
    threshold = 1 / float(risk_limit)
    if all(m.evidence >= threshold for m in measures):
        return AuditResult(Verdict.CONFIRMED, tuple(measures), discrepancies, 0)
    more = _next_stage(measures, len(sample), threshold)
    if more is None or len(sample) + more >= len(sheets):
        return AuditResult(Verdict.FULL_COUNT, tuple(measures), discrepancies, 0)
    return AuditResult(Verdict.ESCALATE, tuple(measures), discrepancies, more)


def _next_stage(measures: Sequence[Measure], drawn: int, threshold: float) -> int | None:
    """More draws to reach the threshold from where each test stands if the rest were clean, and at
    least as many again as drawn so far (each stage at least doubles the sample)."""
    more = drawn
    for m in measures:
        if m.evidence >= threshold:
            continue
        clean = 1 / (2 - m.margin / m.assertion.upper)
        step = math.log1p(m.bet * (float(clean) - 0.5)) if m.bet > 0 else 0.0
        if step <= 0 or m.evidence <= 0:
            return None
        more = max(more, math.ceil(math.log(threshold / m.evidence) / step))
    return more
