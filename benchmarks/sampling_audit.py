"""Sheets a sampling audit (抽样复核) pulls, by margin, and how often it confirms a wrong outcome.

Run from the repository root::

    .venv/bin/python benchmarks/sampling_audit.py           # about half a minute
    .venv/bin/python benchmarks/sampling_audit.py --quick   # fewer simulated audits

For a two-person contest for one seat, whose winner has the majority, at a 5 % risk limit, it prints
for each margin (winner's share minus loser's) and round size:

- **announced**: the sheets the page announces before anyone starts (``initial_draws``: enough at
  the assumed misread rates);
- **clean**: the sheets that confirm when no sheet differs from the machine's record;
- **simulated**: the mean sheets pulled, over seeded audits, when the machine misread sheets at the
  assumed rates (escalating stage by stage as the scrutineers would), and the share of those
  audits that ended in a full hand count.

Then it measures the audit's risk: the paper elects 乙 by two votes, the machine's records were
altered (60 sheets for 乙 recorded for 甲) to elect 甲 by a wide margin, and the round is audited
with many seeds; the share of audits that confirm 甲 must stay at or below the risk limit.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from fractions import Fraction

from xuanju.rules.sampling_audit import (
    ASSUMED_LARGE_MISREAD_RATE,
    ASSUMED_SMALL_MISREAD_RATE,
    Assertion,
    Verdict,
    Votes,
    assertions_for,
    draw,
    evaluate,
    initial_draws,
    reported_margin,
    sheets_needed,
)

RISK = Fraction(5, 100)
A, B = frozenset({"甲"}), frozenset({"乙"})


def contest(sheets: int, margin: float) -> list[Votes]:
    winners = round(sheets * (1 + margin) / 2)
    return [A] * winners + [B] * (sheets - winners)


def misread(paper: Sequence[Votes], rng: random.Random) -> list[Votes]:
    """The machine's record of ``paper`` with misreads at the assumed rates: a sheet for 乙 read as a
    void sheet (half the pairwise assorter's range) or as a vote for 甲 (all of it)."""
    machine = list(paper)
    for i, sheet in enumerate(paper):
        if sheet != B:
            continue
        roll = rng.random()
        if roll < ASSUMED_LARGE_MISREAD_RATE * 2:
            machine[i] = A
        elif roll < (ASSUMED_LARGE_MISREAD_RATE + ASSUMED_SMALL_MISREAD_RATE) * 2:
            machine[i] = None
    return machine


def audit(
    machine: Sequence[Votes], paper: Sequence[Votes], assertions: Sequence[Assertion], seed: str
) -> tuple[Verdict, int]:
    drawn: list[int] = []
    more = initial_draws(assertions, machine, RISK)
    if more is None:
        return Verdict.FULL_COUNT, len(machine)
    while True:
        drawn += draw(seed, len(machine), more, start=len(drawn))
        result = evaluate(assertions, machine, [(p, paper[p - 1]) for p in drawn], RISK)
        if result.verdict is not Verdict.ESCALATE:
            return result.verdict, len(drawn) if result.verdict is Verdict.CONFIRMED else len(machine)
        more = result.next_draws


def sizes(trials: int) -> None:
    print(
        f"risk limit {float(RISK):.0%}; assumed misread rates {ASSUMED_SMALL_MISREAD_RATE:.2%} (half) and "
        f"{ASSUMED_LARGE_MISREAD_RATE:.2%} (whole)"
    )
    print(f"{'margin':>7} {'sheets':>7} {'announced':>10} {'clean':>7} {'simulated':>10} {'full count':>11}")
    rng = random.Random(20261204)
    for margin in (0.01, 0.02, 0.03, 0.05, 0.10, 0.20, 0.30, 0.50):
        for n in (100, 1000, 10000):
            paper = contest(n, margin)
            reported = {"甲"}
            assertions = assertions_for(paper, ("甲", "乙"), reported, n // 2 + 1)
            announced = initial_draws(assertions, paper, RISK)
            clean = max(
                (sheets_needed(a, reported_margin(a, paper), RISK, misreads=False) or n for a in assertions),
                default=0,
            )
            pulled, full = [], 0
            for k in range(trials):
                machine = misread(paper, rng)
                machine_assertions = assertions_for(machine, ("甲", "乙"), reported, n // 2 + 1)
                verdict, count = audit(machine, paper, machine_assertions, f"{margin}-{n}-{k}")
                pulled.append(min(count, n))
                full += verdict is Verdict.FULL_COUNT
            shown = "全部手工计票" if announced is None or announced >= n else str(announced)
            print(
                f"{margin:>7.0%} {n:>7} {shown:>10} {min(clean, n):>7} {sum(pulled) / trials:>10.0f} "
                f"{full / trials:>11.0%}"
            )


def risk(trials: int) -> None:
    paper = [A] * 499 + [B] * 501  # 乙 wins on paper by 2 votes
    random.Random(7).shuffle(paper)
    machine = list(paper)
    for i in [i for i, s in enumerate(paper) if s == B][:60]:
        machine[i] = A  # the machine's records were altered: 甲 appears to win
    assertions = assertions_for(machine, ("甲", "乙"), {"甲"}, None)
    confirmed = sum(
        audit(machine, paper, assertions, f"risk{k}")[0] is Verdict.CONFIRMED for k in range(trials)
    )
    print(
        f"\nwrong outcome (paper 乙 {paper.count(B)}, 甲 {paper.count(A)}; machine shows 甲 ahead by "
        f"{machine.count(A) - machine.count(B)}): confirmed in {confirmed} of {trials} audits "
        f"({confirmed / trials:.1%}; the limit is {float(RISK):.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer simulated audits")
    args = parser.parse_args()
    sizes(5 if args.quick else 20)
    risk(100 if args.quick else 400)


if __name__ == "__main__":
    main()
