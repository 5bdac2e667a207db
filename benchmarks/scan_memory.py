"""Peak memory of the scan worker's reading loop for each upload bomb of issue 13, for the largest
page the limits let through, and for a normal batch of 200 printed sheets.

Run from the repository root::

    .venv/bin/python benchmarks/scan_memory.py           # 200-page batch
    .venv/bin/python benchmarks/scan_memory.py --quick   # 20-page batch

Each case runs in a fresh subprocess, which builds its input, then does what the worker does with a
stored file (xuanju.counting.scan_batches.read_batch without the database): decode the pages one at
a time with ``xuanju.paper.pages.iter_pages`` and read each with ``xuanju.paper.read.read_sheet``.
It prints the process's peak resident set (getrusage ru_maxrss), the peak after imports and input
building (the baseline), and what the case added. The target is under 500 MB for any input; this
script prints figures, it does not pass or fail.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ["huge_page_pdf", "huge_bilevel_png", "huge_png", "many_pages_pdf", "largest_allowed_png", "batch"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _batch(pages: int) -> bytes:
    from xuanju.paper.layout import SheetSpec, layout_sheet
    from xuanju.paper.render import ballot_pdf
    from xuanju.paper.sheet_id import SheetId

    spec = SheetSpec("基准测试选举", "第1轮", 5, tuple(f"候选{i}" for i in range(7)), 2)
    layout = layout_sheet(spec)
    return ballot_pdf(layout, [SheetId("1", "1", s, layout.code) for s in range(1, pages + 1)])


def child(case: str, pages: int) -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from tests.paper import bombs
    from xuanju.paper.bounds import MAX_PAGE_PIXELS
    from xuanju.paper.pages import PageError, iter_pages
    from xuanju.paper.read import read_sheet

    if case == "batch":
        data, name = _batch(pages), "batch.pdf"
    elif case == "largest_allowed_png":
        import cv2

        side = int(MAX_PAGE_PIXELS**0.5)
        data = bytes(cv2.imencode(".png", np.full((side, side), 255, np.uint8))[1])
        name = "largest.png"
    else:
        data, name = getattr(bombs, case)(), f"{case}.bin"
        name = name.replace(".bin", ".pdf" if "pdf" in case else ".png")
    baseline = _peak_mb()
    read = 0
    refused = ""
    try:
        for page in iter_pages(data, name):
            read_sheet(page, lambda sheet: None)
            read += 1
            del page
    except PageError as error:
        refused = str(error)
    print(
        json.dumps(
            {
                "case": case,
                "bytes": len(data),
                "pages_read": read,
                "baseline_mb": round(baseline, 1),
                "peak_mb": round(_peak_mb(), 1),
                "refused": refused,
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a 20-page batch instead of 200")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pages = 20 if args.quick else 200
    if args.child:
        child(args.child, pages)
        return
    print(f"{'case':<22}{'file':>12}{'pages read':>12}{'baseline MB':>13}{'peak MB':>10}  outcome")
    for case in CASES:
        command = [sys.executable, __file__, "--child", case] + (["--quick"] if args.quick else [])
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(f"{case:<22} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(done.stdout)
        outcome = f"refused: {r['refused']}" if r["refused"] else "read"
        print(
            f"{case:<22}{r['bytes']:>12,}{r['pages_read']:>12}{r['baseline_mb']:>13}{r['peak_mb']:>10}  {outcome}"
        )
    print("target: peak under 500 MB for any input (peak includes the baseline of imports and input)")


if __name__ == "__main__":
    main()
