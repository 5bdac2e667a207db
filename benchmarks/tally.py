"""Benchmark of counting a round: ``tally_round`` against a plain NumPy count of the same marks.

Run from the repository root::

    .venv/bin/python benchmarks/tally.py            # full run (about a minute)
    .venv/bin/python benchmarks/tally.py --quick    # smaller run, a few seconds

It prints measured figures only, never pass/fail on time. See benchmarks/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from xuanju.formats.election import ELECTION_FORMAT, parse_election
from xuanju.formats.schemas import check, loads_json
from xuanju.rules import mark_index
from xuanju.rules.ballots import Ballot
from xuanju.rules.tally import (
    WRITE_IN_PREFIX,
    Candidate,
    ElectionRound,
    RoundResult,
    round_problems,
    tally_round,
)

SEED = 20260601

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力鹏宇浩凯斌志峰亮林海波晓东云飞"


# --- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    ballots: int
    candidates: int
    seats: int
    entitled: int
    for_choices: tuple[int, ...]  # how many candidates a valid ballot votes for ...
    for_weights: tuple[float, ...]  # ... and how often
    against_share: float  # share of ballots with at least one against-mark
    max_against: int
    write_in_share: float  # share of the ballots with against-marks that also write someone in
    max_write_in: int
    write_in_pool: int  # distinct write-in names in the room
    over_voted: int  # invalid ballots: more for-marks (+ write-ins) than seats (R-BAL-3)
    void: int  # ballots the counters declared void (R-BAL-4)


def scenarios(quick: bool) -> list[Scenario]:
    big = 10_000 if quick else 100_000
    return [
        Scenario(
            key="congress",
            title="congress: 2,300 ballots x 200 candidates x 180 seats",
            ballots=2_300,
            candidates=200,
            seats=180,
            entitled=2_380,
            for_choices=(170, 172, 174, 176, 177, 178, 179, 180),
            for_weights=(0.04, 0.04, 0.06, 0.08, 0.08, 0.12, 0.18, 0.40),
            against_share=0.30,
            max_against=8,
            write_in_share=0.15,
            max_write_in=3,
            write_in_pool=12,
            over_voted=6,
            void=2,
        ),
        Scenario(
            key="large",
            title=f"large: {big:,} ballots x 15 candidates x 11 seats",
            ballots=big,
            candidates=15,
            seats=11,
            entitled=big + big // 25,
            for_choices=(8, 9, 10, 11),
            for_weights=(0.05, 0.08, 0.17, 0.70),
            against_share=0.20,
            max_against=3,
            write_in_share=0.10,
            max_write_in=2,
            write_in_pool=30,
            over_voted=max(10, big // 2_000),
            void=max(5, big // 10_000),
        ),
    ]


def names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct two- or three-character Chinese names not in ``taken``."""
    out: list[str] = []
    while len(out) < count:
        given = "".join(rng.choice(list(GIVEN), size=int(rng.integers(1, 3))))
        name = str(rng.choice(list(SURNAMES))) + given
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out


def build_round(s: Scenario, seed: int) -> ElectionRound:
    """A realistic round: ballots drawn from candidate popularity, with fixed ``seed``."""
    rng = np.random.default_rng(seed)
    n, p = s.ballots, s.candidates
    taken: set[str] = set()
    cand_names = names(rng, p, taken)
    write_in_names = names(rng, s.write_in_pool, taken)
    ids = [f"c{i:03d}" for i in range(1, p + 1)]
    candidates = tuple(Candidate(id=i, name=nm) for i, nm in zip(ids, cand_names, strict=True))

    # Popularity: most candidates are broadly accepted, the surplus ones less so. Weighted sampling
    # without replacement per ballot via the Gumbel-top-k trick: sort log-weight + Gumbel noise.
    popularity = rng.uniform(0.6, 1.0, p)
    popularity[rng.choice(p, size=max(1, p - s.seats), replace=False)] *= 0.35
    order = np.argsort(-(np.log(popularity) + rng.gumbel(size=(n, p))), axis=1).tolist()
    k_for = rng.choice(s.for_choices, size=n, p=np.array(s.for_weights) / sum(s.for_weights))
    has_against = rng.random(n) < s.against_share
    k_against = np.where(has_against, rng.integers(1, s.max_against + 1, n), 0)
    k_against = np.minimum(k_against, p - k_for)
    wants_write_in = (k_against > 0) & (rng.random(n) < s.write_in_share)
    k_write = np.where(wants_write_in, rng.integers(1, s.max_write_in + 1, n), 0)
    k_write = np.minimum(np.minimum(k_write, k_against), s.seats - k_for)  # R-BAL-2, R-BAL-3
    write_in_popularity = rng.pareto(1.5, s.write_in_pool) + 0.1
    write_in_popularity /= write_in_popularity.sum()

    special = rng.choice(n, size=s.over_voted + s.void, replace=False)
    over, void = set(special[: s.over_voted].tolist()), set(special[s.over_voted :].tolist())
    ballots: list[Ballot] = []
    for b in range(n):
        if b in void:
            ballots.append(Ballot(void_reason="字迹无法辨认" if b % 2 else "另作记号"))
            continue
        kf, ka, kw = int(k_for[b]), int(k_against[b]), int(k_write[b])
        if b in over:
            if len(over) > 1 and b == min(over):  # over-voted through a write-in: seats + 1
                kf, ka, kw = s.seats, max(1, min(ka, p - s.seats)), 1
            else:  # ticks more boxes than there are seats
                kf = int(rng.integers(s.seats + 1, p + 1))
                ka, kw = min(ka, p - kf), 0
        row = order[b]
        # Marks are listed in ballot (candidate) order, as counters or a scanner read a sheet.
        for_ = tuple(ids[j] for j in sorted(row[:kf]))
        against = tuple(ids[j] for j in sorted(row[p - ka :])) if ka else ()
        write_in: tuple[str, ...] = ()
        if kw:
            picks = rng.choice(s.write_in_pool, size=kw, replace=False, p=write_in_popularity)
            write_in = tuple(write_in_names[j] for j in picks)
        ballots.append(Ballot(for_=for_, against=against, write_in=write_in))
    return ElectionRound(
        title=s.title,
        seats=s.seats,
        entitled=s.entitled,
        present=n,
        candidates=candidates,
        ballots=tuple(ballots),
    )


def to_document(round_: ElectionRound) -> str:
    """The round as ``xuanju.election/1`` text."""
    entries: list[dict[str, Any]] = []
    for b in round_.ballots:
        if b.void_reason is not None:
            entry: dict[str, Any] = {"void": b.void_reason}
        else:
            entry = {"for": list(b.for_)}
            if b.against:
                entry["against"] = list(b.against)
            if b.write_in:
                entry["write_in"] = list(b.write_in)
        if b.count != 1:
            entry["count"] = b.count
        entries.append(entry)
    doc = {
        "format": ELECTION_FORMAT,
        "title": round_.title,
        "seats": round_.seats,
        "entitled": round_.entitled,
        "present": round_.present,
        "candidates": [{"id": c.id, "name": c.name} for c in round_.candidates],
        "ballots": entries,
    }
    return json.dumps(doc, ensure_ascii=False)


# --- the NumPy reference --------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    marks: np.ndarray  # int8, ballots x persons: +1 for (or written in), -1 against, 0 abstain
    void: np.ndarray  # bool, per ballot
    persons: list[str]  # column ids: candidate ids, then "w:" + written name


def to_matrix(round_: ElectionRound) -> Matrix:
    """The round's marks as one row per ballot (a ``count`` entry becomes ``count`` rows)."""
    persons = [c.id for c in round_.candidates]
    column = {pid: j for j, pid in enumerate(persons)}
    for b in round_.ballots:
        for name in b.write_in:
            if WRITE_IN_PREFIX + name not in column:
                column[WRITE_IN_PREFIX + name] = len(persons)
                persons.append(WRITE_IN_PREFIX + name)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    void: list[bool] = []
    r = 0
    for b in round_.ballots:
        for _ in range(b.count):
            void.append(b.void_reason is not None)
            marked = [
                *((column[pid], 1) for pid in b.for_),
                *((column[pid], -1) for pid in b.against),
                *((column[WRITE_IN_PREFIX + name], 1) for name in b.write_in),
            ]
            rows.extend([r] * len(marked))
            cols.extend(c for c, _ in marked)
            vals.extend(v for _, v in marked)
            r += 1
    marks = np.zeros((r, len(persons)), dtype=np.int8)
    marks[np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)] = np.array(vals, dtype=np.int8)
    return Matrix(marks=marks, void=np.array(void, dtype=bool), persons=persons)


def numpy_count(m: Matrix, seats: int) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """R-BAL-3/4 validity per row, then for- and against-sums per person over the valid rows."""
    ticked = m.marks == 1  # for-marks and write-ins
    valid = ~m.void & (np.count_nonzero(ticked, axis=1) <= seats)
    for_votes = np.count_nonzero(ticked[valid], axis=0)
    against = np.count_nonzero(m.marks[valid] == -1, axis=0)
    n_valid, n_void = int(np.count_nonzero(valid)), int(np.count_nonzero(m.void))
    return for_votes, against, n_valid, len(valid) - n_valid - n_void, n_void


def check_same_count(result: RoundResult, m: Matrix, seats: int) -> None:
    """The benchmark compares like with like: NumPy and tally_round must agree on every figure."""
    for_votes, against, n_valid, n_invalid, n_void = numpy_count(m, seats)
    got = (result.ballots.valid, result.ballots.invalid, result.ballots.void)
    assert got == (n_valid, n_invalid, n_void), f"ballot counts differ: {got} != numpy"
    by_id = {p.id: p for p in result.tally}
    ours = {pid: (int(f), int(a)) for pid, f, a in zip(m.persons, for_votes, against, strict=True)}
    # A write-in named only on invalid ballots gets a column but is not a person of the result.
    ours = {pid: fa for pid, fa in ours.items() if pid in by_id or fa != (0, 0)}
    theirs = {pid: (p.for_votes, p.against) for pid, p in by_id.items()}
    assert ours == theirs, "per-person for/against differ between NumPy and tally_round"


# --- timing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    best: float
    median: float
    runs: int


def measure(fn: Callable[[], object], repeats: int) -> Timing:
    """Best and median wall time of ``repeats`` calls (GC on, as in production; collected first)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return Timing(best=min(times), median=statistics.median(times), runs=repeats)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f}"


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """First column left-aligned, the figures right-aligned."""
    table = [list(header), *map(list, rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        cells = [c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)]
        return "  ".join(cells).rstrip()

    print(fmt(table[0]))
    print("-" * len(fmt(table[0])))
    for row in table[1:]:
        print(fmt(row))


def stroke_key_source() -> str:
    module = sys.modules.get("xuanju.rules.names")
    return getattr(module, "__file__", None) or "(stand-in module without a file)"


def run(s: Scenario, seed: int, repeats: int, np_repeats: int, e2e_repeats: int) -> list[list[str]]:
    t0 = time.perf_counter()
    round_ = build_round(s, seed)
    matrix = to_matrix(round_)
    text = to_document(round_)
    built = time.perf_counter() - t0
    assert not round_problems(round_), "generated round has input problems"
    result = tally_round(round_)
    check_same_count(result, matrix, s.seats)
    marks = sum(len(b.for_) + len(b.against) + len(b.write_in) for b in round_.ballots)
    b = result.ballots
    print(f"\n== {s.title}")
    print(
        f"   ballots: {b.returned:,} listed, {b.valid:,} valid, {b.invalid} invalid (over-voted), "
        f"{b.void} void; {marks:,} marks ({marks / len(round_.ballots):.1f}/ballot); "
        f"{sum(p.write_in for p in result.tally)} write-in persons; "
        f"matrix {matrix.marks.shape[0]:,}x{matrix.marks.shape[1]} int8"
    )
    print(
        f"   outcome: {result.status.value}, {len(result.elected)} elected, threshold {result.threshold}; "
        f"JSON document {len(text.encode()) / 1e6:.1f} MB; data built in {built:.1f} s (untimed)"
    )
    print("   check: NumPy and tally_round agree on valid/invalid/void and every person's for/against")

    t_tally = measure(lambda: tally_round(round_), repeats)
    t_numpy = measure(lambda: numpy_count(matrix, s.seats), np_repeats)
    t_e2e = measure(lambda: tally_round(parse_election(text)), e2e_repeats)
    data = loads_json(text)
    t_loads = measure(lambda: loads_json(text), e2e_repeats)
    t_schema = measure(lambda: check(data, "election-1"), e2e_repeats)
    t_problems = measure(lambda: round_problems(round_), e2e_repeats)
    t_index = measure(lambda: mark_index.build(round_.ballots), e2e_repeats)
    # The same round as a new object: its mark index is built inside the timing (as when a round is
    # made by hand rather than read by parse_election).
    t_cold = measure(lambda: tally_round(dataclasses.replace(round_)), repeats)

    n = b.returned

    def row(what: str, t: Timing, ratio: str = "") -> list[str]:
        return [f"{s.key}: {what}", ms(t.best), ms(t.median), str(t.runs), f"{n / t.best:,.0f}", ratio]

    return [
        row("tally_round", t_tally, f"{t_tally.best / t_numpy.best:.1f}x"),
        row("tally_round, index not built", t_cold, f"{t_cold.best / t_numpy.best:.1f}x"),
        row("numpy count (reference)", t_numpy, "1.0x"),
        row("parse_election + tally_round", t_e2e, f"{t_e2e.best / t_numpy.best:.1f}x"),
        row("  of which json.loads", t_loads),
        row("  of which schema check", t_schema),
        row("  of which round_problems", t_problems),
        row("  of which mark index", t_index),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller round and fewer repeats (seconds)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    repeats, np_repeats, e2e_repeats = (3, 10, 1) if args.quick else (9, 50, 3)

    print("xuanju tally benchmark" + (" (--quick)" if args.quick else ""))
    print(f"python {platform.python_version()} ({platform.python_implementation()}), numpy {np.__version__}")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {os.cpu_count()} (usable by this process: {affinity}); {platform.machine()}")
    print(f"stroke_key from: {stroke_key_source()}")
    print(f"seed {args.seed}; repeats: tally {repeats}, numpy {np_repeats}, parse+tally {e2e_repeats}")

    rows: list[list[str]] = []
    for s in scenarios(args.quick):
        rows.extend(run(s, args.seed, repeats, np_repeats, e2e_repeats))
    print()
    print_table(["measurement", "best ms", "median ms", "runs", "ballots/s (best)", "vs numpy"], rows)
    print("\nvs numpy = best time / best NumPy time on the same marks (lower is better).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
