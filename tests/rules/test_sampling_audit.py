"""The sampling audit's arithmetic: assertions, overstatements, the betting test and its risk.

The outcome these tests compare with is computed here, from the counts alone, independently of
``xuanju.rules.sampling_audit`` and of the tally."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xuanju.rules.sampling_audit import (
    Assertion,
    AssertionKind,
    Verdict,
    assertions_for,
    draw,
    evaluate,
    initial_draws,
    overstatement,
    reported_margin,
    sheets_needed,
)

PEOPLE = ("甲", "乙", "丙", "丁", "戊")


def outcome(sheets, people, seats, threshold):
    """Who is elected: those with at least ``threshold`` for-votes (all, when None), the top ``seats``
    of them; None when equal votes straddle the last seat."""
    votes = Counter(name for s in sheets if s is not None for name in s)
    qualified = sorted(
        (p for p in people if threshold is None or votes[p] >= threshold), key=lambda p: -votes[p]
    )
    if len(qualified) > seats and votes[qualified[seats - 1]] == votes[qualified[seats]]:
        return None
    return frozenset(qualified[:seats])


@st.composite
def rounds(draw_, max_sheets=40):
    n_people = draw_(st.integers(2, len(PEOPLE)))
    people = PEOPLE[:n_people]
    seats = draw_(st.integers(1, n_people - 1))
    n = draw_(st.integers(1, max_sheets))
    sheet = st.one_of(
        st.none(),
        st.frozensets(st.sampled_from(people), max_size=seats),
    )
    sheets = draw_(st.lists(sheet, min_size=n, max_size=n))
    base = n + draw_(st.integers(0, 5))  # present voters: at least the sheets returned (R-BAL-5)
    threshold = draw_(st.sampled_from([None, base // 2 + 1]))
    return people, seats, sheets, threshold


def holds(assertion: Assertion, sheets) -> bool:
    votes = Counter(name for s in sheets if s is not None for name in s)
    if assertion.kind is AssertionKind.MAJORITY:
        return votes[assertion.subject] >= assertion.threshold
    if assertion.kind is AssertionKind.NO_MAJORITY:
        return votes[assertion.subject] < assertion.threshold
    return votes[assertion.subject] > votes[assertion.rival]


@given(rounds(), st.sampled_from(list(AssertionKind)), st.data())
def test_an_assertion_holds_exactly_when_its_assorter_mean_is_above_half(case, kind, data):
    people, _seats, sheets, threshold = case
    assume(threshold is not None or kind is AssertionKind.BEATS)
    subject, rival = data.draw(st.permutations(people))[:2]
    assertion = Assertion(kind, subject, rival, threshold=threshold or 0, sheets=len(sheets))
    mean = sum((assertion.assort(s) for s in sheets), Fraction(0)) / len(sheets)
    assert (mean > Fraction(1, 2)) == holds(assertion, sheets)
    assert (reported_margin(assertion, sheets) > 0) == holds(assertion, sheets)
    assert all(0 <= assertion.assort(s) <= assertion.upper for s in sheets)


@pytest.mark.rule("R-CNT-1")
@pytest.mark.rule("R-CNT-3")
@settings(max_examples=300)
@given(rounds(), st.data())
def test_when_every_assertion_holds_on_the_paper_the_outcome_is_the_reported_one(case, data):
    people, seats, machine, threshold = case
    reported = outcome(machine, people, seats, threshold)
    assume(reported is not None)
    assertions = assertions_for(machine, people, reported, threshold)
    # The paper: the machine's record with some sheets read differently.
    paper = [
        data.draw(st.one_of(st.none(), st.frozensets(st.sampled_from(people), max_size=seats)))
        if data.draw(st.booleans())
        else sheet
        for sheet in machine
    ]
    if all(holds(a, paper) for a in assertions):
        assert outcome(paper, people, seats, threshold) == reported
    assert all(holds(a, machine) for a in assertions)


@given(rounds(), st.data())
def test_overstatement_is_bounded_and_a_correct_reading_is_above_half(case, data):
    people, seats, machine, threshold = case
    reported = outcome(machine, people, seats, threshold)
    assume(reported is not None)
    for assertion in assertions_for(machine, people, reported, threshold):
        margin = reported_margin(assertion, machine)
        index = data.draw(st.integers(0, len(machine) - 1))
        paper = data.draw(st.one_of(st.none(), st.frozensets(st.sampled_from(people), max_size=seats)))
        top = 2 / (2 - margin / assertion.upper)
        assert 0 <= overstatement(assertion, margin, machine[index], paper) <= top
        same = overstatement(assertion, margin, machine[index], machine[index])
        assert same == 1 / (2 - margin / assertion.upper) and (same > Fraction(1, 2)) == (margin > 0)


def two_person_round(n: int, winner_share: float, rng: random.Random) -> list[frozenset[str] | None]:
    return [frozenset({"甲"}) if rng.random() < winner_share else frozenset({"乙"}) for _ in range(n)]


def run_audit(machine, paper, assertions, seed, risk_limit=Fraction(1, 10)):
    """Stage after stage as the scrutineers would: draw, read the paper, weigh; the final verdict."""
    drawn: list[int] = []
    more = initial_draws(assertions, machine, risk_limit)
    while True:
        drawn += draw(seed, len(machine), more, start=len(drawn))
        result = evaluate(assertions, machine, [(p, paper[p - 1]) for p in drawn], risk_limit)
        if result.verdict is not Verdict.ESCALATE:
            return result.verdict, len(drawn)
        more = result.next_draws


def test_a_clean_sample_confirms_within_the_sheets_announced_beforehand():
    rng = random.Random(7)
    for share in (0.52, 0.6, 0.75):
        machine = two_person_round(2000, share, rng)
        reported = outcome(machine, ("甲", "乙"), 1, 2000 // 2 + 1)
        assertions = assertions_for(machine, ("甲", "乙"), reported, 2000 // 2 + 1)
        announced = initial_draws(assertions, machine, Fraction(5, 100))
        result = evaluate(
            assertions,
            machine,
            [(p, machine[p - 1]) for p in draw("1234567890", 2000, announced)],
            Fraction(5, 100),
        )
        assert result.verdict is Verdict.CONFIRMED and result.risk <= 0.05 and not result.discrepancies


def test_the_smaller_the_margin_the_more_sheets():
    sizes = []
    for winners in (1010, 1100, 1300, 1600):
        machine = [frozenset({"甲"})] * winners + [frozenset({"乙"})] * (2000 - winners)
        (assertion,) = assertions_for(machine, ("甲", "乙"), {"甲"}, None)
        sizes.append(sheets_needed(assertion, reported_margin(assertion, machine), Fraction(5, 100)))
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 10 * sizes[-1]


def test_a_tie_cannot_be_confirmed_by_a_sample():
    machine = [frozenset({"甲"})] * 50 + [frozenset({"乙"})] * 50
    assertions = assertions_for(machine, ("甲", "乙"), {"甲"}, None)
    assert initial_draws(assertions, machine, Fraction(5, 100)) is None
    assert evaluate(assertions, machine, [(1, machine[0])]).verdict is Verdict.FULL_COUNT


def test_a_planted_misread_makes_the_audit_escalate():
    rng = random.Random(11)
    machine = two_person_round(1000, 0.58, rng)
    assertions = assertions_for(machine, ("甲", "乙"), {"甲"}, 1000 // 2 + 1)
    announced = initial_draws(assertions, machine, Fraction(5, 100))
    positions = draw("31415926535897932384", 1000, announced)
    paper = list(machine)
    misread = next(p for p in positions if machine[p - 1] == frozenset({"甲"}))
    paper[misread - 1] = frozenset({"乙"})  # the machine gave 甲 a vote the paper gives 乙
    result = evaluate(assertions, machine, [(p, paper[p - 1]) for p in positions], Fraction(5, 100))
    assert misread in result.discrepancies
    assert result.verdict is Verdict.ESCALATE and result.next_draws >= announced


def test_a_wrong_outcome_is_confirmed_no_more_often_than_the_risk_limit():
    """Simulation: the paper elects 乙 by two votes; 40 of 乙's sheets were recorded for 甲, so the
    machine elects 甲 by a wide margin. At a 10 % risk limit, audits with 300 seeds must confirm 甲
    at most ~10 % of the time (the bound allows 3 standard deviations of sampling noise)."""
    paper = [frozenset({"甲"})] * 299 + [frozenset({"乙"})] * 301
    random.Random(3).shuffle(paper)
    machine = list(paper)
    for i in [i for i, s in enumerate(paper) if s == frozenset({"乙"})][:40]:
        machine[i] = frozenset({"甲"})
    reported = outcome(machine, ("甲", "乙"), 1, None)
    assert reported == {"甲"} and outcome(paper, ("甲", "乙"), 1, None) == {"乙"}
    assertions = assertions_for(machine, ("甲", "乙"), reported, None)
    verdicts = Counter(run_audit(machine, paper, assertions, f"seed{k}")[0] for k in range(300))
    assert verdicts[Verdict.CONFIRMED] <= 300 * (0.10 + 3 * (0.1 * 0.9 / 300) ** 0.5)


def test_a_correct_outcome_with_rare_misreads_is_mostly_confirmed_by_sample():
    rng = random.Random(5)
    paper = two_person_round(3000, 0.6, rng)
    machine = list(paper)
    for i in rng.sample(range(3000), 6):  # 0.2 % misread, both ways
        machine[i] = frozenset({"乙"}) if paper[i] == frozenset({"甲"}) else frozenset({"甲"})
    assertions = assertions_for(machine, ("甲", "乙"), {"甲"}, 3000 // 2 + 1)
    results = [run_audit(machine, paper, assertions, f"s{k}") for k in range(40)]
    confirmed = [n for verdict, n in results if verdict is Verdict.CONFIRMED]
    assert len(confirmed) >= 36 and max(confirmed) < 3000 / 2


def test_the_draw_is_reproducible_from_the_seed_and_covers_every_sheet():
    assert draw("12 34 56", 100, 10) == draw("123456", 100, 10)
    assert draw("123456", 100, 10) != draw("123457", 100, 10)
    assert draw("123456", 100, 5, start=5) == draw("123456", 100, 10)[5:]
    positions = draw("98765432109876543210", 10, 5000)
    counts = Counter(positions)
    assert set(counts) == set(range(1, 11)) and all(400 < c < 600 for c in counts.values())
