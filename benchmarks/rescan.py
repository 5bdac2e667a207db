"""Telling a rescanned unnumbered sheet by its marks: false-match and missed-match rates.

Run from the repository root::

    .venv/bin/python benchmarks/rescan.py            # 10 layouts × 6 hands × 3 scans, ~4 CPU-minutes
    .venv/bin/python benchmarks/rescan.py --quick    # 4 layouts × 3 hands × 2 scans

Sheets come from the independent hand-drawn generator (tests/paper/handdrawn.py), which shares no
code with the reader: for each random layout, several voters ("hands": pen, pressure, their kind of
○ and ×; every third hand draws the plain ○ and × instead) mark the **same choices** on an
unnumbered sheet, and each marked sheet is scanned several times with different resolution, turn,
tilt, lighting, shadow, blur, noise and JPEG quality. Every scan is read by
``xuanju.paper.read.read_sheet`` and fingerprinted by ``xuanju.paper.likeness``.

- **same-sheet pairs**: every two scans of one marked sheet; a likeness below the *ask* threshold
  would let a rescan be counted unnoticed (**missed match**), below *refuse* it goes to the
  scrutineers instead of being refused.
- **different-hand pairs**: the first scans of two hands' sheets with the same choices; a likeness at
  or above *refuse* would refuse a real ballot (**false match**), at or above *ask* it costs the
  scrutineers a look.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.paper.handdrawn import choices_for, marked_page, rescanned, unnumbered_layout
from xuanju.paper.likeness import ASK, SAME_SHEET, fingerprint, likeness
from xuanju.paper.read import read_sheet


def _print(jpeg: bytes, layout: object) -> bytes:
    page = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    reading = read_sheet(page, lambda sheet: layout)  # type: ignore[arg-type,return-value]
    if reading.problem is not None:
        raise SystemExit(f"the reader refused a generated sheet: {reading.problem}")
    return fingerprint(reading.ink)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--layouts", type=int, default=10)
    parser.add_argument("--hands", type=int, default=6)
    parser.add_argument("--scans", type=int, default=3, help="scans of every marked sheet")
    args = parser.parse_args()
    layouts, hands, scans = (4, 3, 2) if args.quick else (args.layouts, args.hands, args.scans)
    same: list[float] = []
    different: list[float] = []
    blank = 0
    started = time.perf_counter()
    for n in range(layouts):
        layout, sheet = unnumbered_layout(n)
        choices = choices_for(n, len(layout.spec.candidates))
        firsts = []
        for h in range(hands):
            hand = n * 100 + h
            page = marked_page(layout, sheet, choices, hand, name=h % 4 == 3, plain=h % 3 == 2)
            prints = [_print(rescanned(page, hand * scans + k), layout) for k in range(scans)]
            for a, b in itertools.combinations(prints, 2):
                score = likeness(a, b)
                if score is None:
                    blank += 1
                else:
                    same.append(score)
            firsts.append(prints[0])
        for a, b in itertools.combinations(firsts, 2):
            score = likeness(a, b)
            if score is not None:
                different.append(score)
        print(
            f"layout {n + 1}/{layouts}: same-sheet min {min(same):.3f}, different-hand max {max(different):.3f}",
            flush=True,
        )
    elapsed = time.perf_counter() - started
    print(f"{layouts} layouts × {hands} hands × {scans} scans, same choices per layout; {elapsed:.0f} s")
    print(f"thresholds: refuse ≥ {SAME_SHEET}, ask ≥ {ASK}")
    print(f"same-sheet pairs:     {len(same):5d}  likeness min {min(same):.3f}  median {np.median(same):.3f}")
    print(
        f"different-hand pairs: {len(different):5d}  likeness max {max(different):.3f}  "
        f"median {np.median(different):.3f}"
    )
    print(f"pairs with too little ink to compare: {blank}")
    missed = sum(s < ASK for s in same)
    asked_same = sum(ASK <= s < SAME_SHEET for s in same)
    false = sum(s >= SAME_SHEET for s in different)
    asked_different = sum(ASK <= s < SAME_SHEET for s in different)
    print(f"missed matches (rescan counted unnoticed): {missed}/{len(same)} = {missed / len(same):.2%}")
    print(f"rescans sent to the scrutineers instead of refused: {asked_same}/{len(same)}")
    print(f"false matches (real ballot refused): {false}/{len(different)} = {false / len(different):.2%}")
    print(f"real ballots sent to the scrutineers: {asked_different}/{len(different)}")


if __name__ == "__main__":
    main()
