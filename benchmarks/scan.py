"""Benchmark of reading scanned ballot sheets: speed, silent misreads and the share sent to a human.

Run from the repository root::

    .venv/bin/python benchmarks/scan.py            # 200 sheets (about two minutes, most of it generating)
    .venv/bin/python benchmarks/scan.py --quick    # 30 sheets, well under a minute

It generates filled-in, scanned-looking sheets with ``xuanju.paper.synthetic`` in a temporary folder,
reads every one with ``xuanju.paper.read.read_sheet`` and compares with the truth. It prints measured
figures only, never pass/fail on time. See benchmarks/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from xuanju.paper import synthetic
from xuanju.paper.layout import BoxKind, Paper, SheetLayout, layout_sheet
from xuanju.paper.read import SheetReading, read_sheet
from xuanju.paper.sheet_id import SheetId

SEED = 20260605


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` calls: on a shared machine noise only ever adds time."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="30 sheets instead of 200")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--repeats", type=int, default=3, help="timed reads per sheet (best is kept)")
    parser.add_argument("--keep", type=Path, help="write the generated set here instead of a temp folder")
    parser.add_argument(
        "--hand",
        metavar="FIRST:END",
        help="read the independent hand-drawn set (tests/paper/handdrawn.py) of these seeds instead",
    )
    parser.add_argument("--cache", type=Path, help="with --hand: keep and reuse generated sheets here")
    args = parser.parse_args(argv)
    if args.hand:
        first, end = (int(x) for x in args.hand.split(":"))
        return run_hand(range(first, end), args.cache, args.repeats)
    committee, large = (25, 5) if args.quick else (170, 30)

    cv2.setNumThreads(1)  # one core: the figure a deployment multiplies by its cores
    print("xuanju scan benchmark" + (" (--quick)" if args.quick else ""))
    print(f"python {platform.python_version()}, numpy {np.__version__}, opencv {cv2.__version__} (1 thread)")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {os.cpu_count()} (usable by this process: {affinity}); {platform.machine()}")

    specs = [
        (synthetic.committee_spec(11, 7, seed=1), committee),  # A4, one column
        (synthetic.committee_spec(30, 25, seed=2, paper=Paper.A3), large),  # A3, two columns
    ]
    with tempfile.TemporaryDirectory(prefix="xuanju-scan-") as tmp:
        folder = args.keep or Path(tmp)
        t0 = time.perf_counter()
        synthetic.write_set(folder, specs, seed=args.seed, dpis=(150, 200, 300))
        print(
            f"generated {committee + large} sheets (150/200/300 dpi, all four turns, ±5° skew) "
            f"in {time.perf_counter() - t0:.0f} s (untimed)"
        )
        return run(folder, args.repeats)


def run(folder: Path, repeats: int) -> int:
    doc = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    layouts: dict[str, SheetLayout] = {}
    for entry in doc["rounds"].values():
        layout = layout_sheet(synthetic.spec_from_json(entry["spec"]))
        layouts[layout.code] = layout

    def layout_for(sheet: SheetId) -> SheetLayout | None:
        return layouts.get(sheet.layout)

    read_ms: dict[str, list[float]] = {}
    total_ms: list[float] = []
    outcomes: Counter[tuple[str, str]] = Counter()
    misreads: list[str] = []
    problems: list[str] = []
    megabytes = 0.0
    for entry in doc["sheets"]:
        truth = synthetic.truth_from_json(entry)
        data = (folder / truth.file).read_bytes()
        megabytes += len(data) / 1e6

        def decode(data: bytes = data) -> np.ndarray:
            return np.asarray(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))

        page = decode()
        gc.collect()

        def read_only(page: np.ndarray = page) -> object:
            return read_sheet(page, layout_for)

        def decode_and_read() -> object:
            return read_sheet(decode(), layout_for)

        t_read = best_of(read_only, repeats)
        t_both = best_of(decode_and_read, repeats)
        paper = layouts[truth.payload.rsplit("/", 1)[1]].paper.value
        read_ms.setdefault(f"{paper} {truth.scan.dpi} dpi", []).append(t_read * 1e3)
        read_ms.setdefault("all", []).append(t_read * 1e3)
        total_ms.append(t_both * 1e3)

        reading = read_sheet(page, layout_for)
        if reading.problem is not None:
            problems.append(f"{truth.file}: {reading.problem.value}")
            continue
        for mark, box in zip(reading.marks, truth.boxes, strict=True):
            # "name": an empty write-in line; a written one is doubtful by definition (R-BAL-4).
            group = "doubtful" if box.doubtful else ("name" if box.kind is BoxKind.WRITE_IN_NAME else "clean")
            outcomes[(group, "accepted" if mark.doubt is None else "to a human")] += 1
            if mark.doubt is None and (box.doubtful or mark.value != box.value):
                misreads.append(
                    f"{truth.file} {box.kind.value} {box.index}: drew {box.drawn.value}, "
                    f"read {mark.value.value}"
                )

    n = len(doc["sheets"])
    print(f"read {n} sheets, {megabytes:.1f} MB of JPEG; {repeats} timed reads per sheet, best kept\n")
    print(f"{'pages':<16}{'sheets':>7}{'median ms':>11}{'p95 ms':>9}{'best ms':>9}")
    for key in sorted(read_ms, key=lambda k: (k == "all", k)):
        v = read_ms[key]
        print(f"{key:<16}{len(v):>7}{statistics.median(v):>11.1f}{percentile(v, 95):>9.1f}{min(v):>9.1f}")
    med, p95 = statistics.median(read_ms["all"]), percentile(read_ms["all"], 95)
    med_total, p95_total = statistics.median(total_ms), percentile(total_ms, 95)
    print(
        f"\nread_sheet only:      median {med:.1f} ms, p95 {p95:.1f} ms -> {1e3 / med:.0f} sheets/s per core"
    )
    print(
        f"JPEG decode + read:   median {med_total:.1f} ms, p95 {p95_total:.1f} ms "
        f"-> {1e3 / med_total:.0f} sheets/s per core"
    )
    print(
        "for comparison:       OMRChecker claims 200 sheets/min = 300 ms/sheet; "
        "VotingWorks ~65 ms/sheet; target < 50 ms"
    )

    print(f"\nsheets with a problem: {len(problems)}")
    for line in problems:
        print(f"  {line}")
    print(f"silent misreads (accepted, but not what was drawn): {len(misreads)}")
    for line in misreads:
        print(f"  {line}")
    clean = outcomes[("clean", "accepted")] + outcomes[("clean", "to a human")]
    doubtful = outcomes[("doubtful", "accepted")] + outcomes[("doubtful", "to a human")]
    names = outcomes[("name", "accepted")] + outcomes[("name", "to a human")]
    marks = clean + doubtful + names
    human = sum(v for (_, what), v in outcomes.items() if what == "to a human")
    print(
        f"boxes read: {marks:,} ({clean:,} clean ○/×/empty, {doubtful} deliberately doubtful, "
        f"incl. written names, {names} empty write-in lines)"
    )
    print(f"to a human, all boxes:        {human:>5} = {human / max(1, marks):.2%}")
    print(
        f"to a human, clean boxes:      {outcomes[('clean', 'to a human')]:>5} = "
        f"{outcomes[('clean', 'to a human')] / max(1, clean):.2%}"
    )
    print(f"to a human, empty write-ins:  {outcomes[('name', 'to a human')]:>5} of {names}")
    print(
        f"to a human, doubtful marks:   {outcomes[('doubtful', 'to a human')]:>5} of {doubtful} "
        "(every one must be)"
    )
    return 0


# --- the independent hand-drawn set -----------------------------------------------------------


def _hand_sheet(seed: int, cache: Path | None) -> tuple[bytes, SheetLayout, dict[str, object]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from dataclasses import asdict

    from tests.paper import handdrawn

    if cache is not None:
        image, meta = cache / f"hand-{seed:05d}.jpg", cache / f"hand-{seed:05d}.json"
        if image.exists() and meta.exists():
            truth = json.loads(meta.read_text(encoding="utf-8"))
            spec = synthetic.spec_from_json(truth.pop("spec"))
            return image.read_bytes(), layout_sheet(spec), truth
    data, layout, sheet = handdrawn.hand_sheet(seed)
    truth = asdict(sheet)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"hand-{seed:05d}.jpg").write_bytes(data)
        stored = {**truth, "spec": synthetic.spec_to_json(layout.spec)}
        (cache / f"hand-{seed:05d}.json").write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    return data, layout, truth


def run_hand(seeds: range, cache: Path | None, repeats: int) -> int:
    """Read every sheet of the hand-drawn set and report, per kind of mark and per degradation,
    how many boxes were read correctly, sent to a human, or silently misread."""
    cv2.setNumThreads(1)
    print(f"xuanju scan benchmark, hand-drawn set, seeds {seeds.start}:{seeds.stop} (1 thread)")
    by_mark: dict[str, Counter[str]] = {}
    by_degradation: dict[str, Counter[str]] = {}
    misreads: list[str] = []
    problems: list[str] = []
    clean_sheets = clean_sheets_flagged = 0
    ms_a4_200: list[float] = []
    ms_all: list[float] = []
    t0 = time.perf_counter()
    for seed in seeds:
        data, layout, truth = _hand_sheet(seed, cache)

        def decode_and_read(data: bytes = data, layout: SheetLayout = layout) -> SheetReading:
            page = np.asarray(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))
            return read_sheet(page, lambda _sheet: layout)

        elapsed = best_of(decode_and_read, repeats) * 1e3
        ms_all.append(elapsed)
        if truth["dpi"] == 200 and layout.paper is Paper.A4:
            ms_a4_200.append(elapsed)
        reading = decode_and_read()
        degradations = list(truth["degradations"]) or ["none"]  # type: ignore[call-overload]
        boxes = truth["boxes"]
        assert isinstance(boxes, list)
        if reading.problem is not None:
            problems.append(f"seed {seed}: {reading.problem.value}")
            continue
        marks = reading.marks
        clean_sheet = all(not b["must_doubt"] and not b["mark"].startswith("faint") for b in boxes)
        flagged = False
        for mark, box in zip(marks, boxes, strict=True):
            assert (mark.box.kind.value, mark.box.index) == (box["kind"], box["index"])
            if mark.doubt is not None:
                outcome = "doubt"
                flagged = True
            elif box["must_doubt"] or mark.value.value != box["value"]:
                outcome = "silent misread"
                misreads.append(
                    f"seed {seed} {box['kind']} {box['index']}: drew {box['mark']} ({truth['pen']}), "
                    f"read {mark.value.value}"
                )
            else:
                outcome = "correct"
            label = box["mark"] if box["kind"] != BoxKind.WRITE_IN_NAME.value else f"write-in {box['mark']}"
            by_mark.setdefault(label, Counter())[outcome] += 1
            for d in degradations:
                by_degradation.setdefault(d, Counter())[outcome] += 1
            by_degradation.setdefault(f"pen {truth['pen']}", Counter())[outcome] += 1
        if clean_sheet:
            clean_sheets += 1
            clean_sheets_flagged += flagged
    print(f"read {len(seeds)} sheets in {time.perf_counter() - t0:.0f} s (generation included)\n")

    def table(title: str, rows: dict[str, Counter[str]]) -> None:
        print(f"{title:<28}{'boxes':>7}{'correct':>9}{'doubt':>8}{'silent misread':>16}")
        for key in sorted(rows):
            c = rows[key]
            n = sum(c.values())
            print(
                f"{key:<28}{n:>7}{c['correct']:>9}{c['doubt']:>8}{c['silent misread']:>16}"
                f"   doubt {c['doubt'] / max(1, n):6.1%}"
            )
        print()

    table("kind of mark", by_mark)
    table("degradation (all boxes)", by_degradation)
    clean_boxes = Counter[str]()
    for key, c in by_mark.items():
        if key.removeprefix("write-in ") in handdrawn_clean():
            clean_boxes.update(c)
    n_clean = sum(clean_boxes.values())
    print(f"sheets the reader could not align or identify: {len(problems)}")
    for line in problems:
        print(f"  {line}")
    print(f"silent misreads: {len(misreads)}")
    for line in misreads:
        print(f"  {line}")
    print(
        f"clean boxes (pen ○ of any size, ×, empty, empty write-in line) to a human: "
        f"{clean_boxes['doubt']} of {n_clean} = {clean_boxes['doubt'] / max(1, n_clean):.2%}"
    )
    print(
        f"sheets with only clean marks to a human: {clean_sheets_flagged} of {clean_sheets} = "
        f"{clean_sheets_flagged / max(1, clean_sheets):.1%}"
    )
    if ms_a4_200:
        print(
            f"JPEG decode + read, A4 200 dpi: median {statistics.median(ms_a4_200):.1f} ms "
            f"({len(ms_a4_200)} sheets); all sheets median {statistics.median(ms_all):.1f} ms"
        )
    return 0


def handdrawn_clean() -> set[str]:
    from tests.paper import handdrawn

    return handdrawn.CLEAN


if __name__ == "__main__":
    sys.exit(main())
