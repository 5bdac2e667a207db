"""The county's reserve-pool depth export (.xlsx of every organization), before and after, in one run.

    .venv/bin/python benchmarks/supervision.py --db xuanju_bench_perf          # seed first (100,000 organizations)
    .venv/bin/python benchmarks/reserve_export.py --db xuanju_bench_perf [--runs 3] [--before REV]

"Before" is ``xuanju/reserve/depth.py`` of ``--before`` (default: before the rows were streamed as XML),
read with ``git show`` and imported from a temporary folder; both write the county root's export in
the same process, alternately, and the script checks that both read back as the same cells (values,
number formats, fills). Also times the queries alone: the old one (services.depth_rows)
and the export's own (depth.export_rows). Prints figures; nothing passes or fails on time.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import monitor  # noqa: E402  (benchmarks/monitor.py: the database helpers)

BEFORE = "8db79f9"  # a write-only workbook with a cell object (and a fill lookup) per value


def _timed(function: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default="xuanju_bench_supervision", help="a database seeded by supervision.py"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=BEFORE)
    args = parser.parse_args()
    if not args.db.startswith("xuanju_bench") or not monitor.database_exists(args.db):
        parser.error("needs a database seeded by benchmarks/supervision.py (name starting xuanju_bench)")
    monitor.setup_django(args.db)

    from django.utils import timezone
    from openpyxl import load_workbook

    from xuanju.organizations.models import Organization
    from xuanju.reserve import depth
    from xuanju.reserve.services import depth_rows

    root = Organization.objects.get(depth=1)
    today = timezone.localdate()
    with tempfile.TemporaryDirectory() as folder:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{args.before}:xuanju/reserve/depth.py"],
            check=True,
            capture_output=True,
        ).stdout
        (Path(folder) / "old_depth.py").write_bytes(source)
        spec = importlib.util.spec_from_file_location("before_depth", Path(folder) / "old_depth.py")
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = old
        spec.loader.exec_module(old)

        outputs: dict[str, bytes] = {}

        def write(module: Any, name: str) -> None:
            target = io.BytesIO()
            module.write_xlsx(root, today, target)
            outputs[name] = target.getvalue()

        steps: dict[str, Callable[[], Any]] = {
            "query alone (depth_rows)": lambda: sum(
                1 for _ in depth_rows(root, today).iterator(chunk_size=2000)
            ),
            "query alone (export_rows)": lambda: sum(1 for _ in depth.export_rows(root, today)),
            "export before": lambda: write(old, "before"),
            "export after": lambda: write(depth, "after"),
        }
        timings: dict[str, list[float]] = {name: [] for name in steps}
        for run in range(args.runs):
            order = list(steps.items())
            for name, step in order if run % 2 == 0 else reversed(order):
                timings[name].append(_timed(step))

    def cells(data: bytes) -> list[tuple[Any, ...]]:
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        return [
            tuple((c.value, c.number_format, c.fill.fgColor.rgb) for c in row) for row in sheet.iter_rows()
        ]

    same = cells(outputs["before"]) == cells(outputs["after"])
    print(
        f"reserve depth export of {root.name}: {len(cells(outputs['after'])) - 2:,} rows, {args.runs} runs each"
    )
    print(f"{'step':<28}{'best ms':>9}{'median ms':>11}")
    for name, samples in timings.items():
        print(f"{name:<28}{1000 * min(samples):>9.0f}{1000 * statistics.median(samples):>11.0f}")
    ratio = statistics.median(timings["export before"]) / statistics.median(timings["export after"])
    print(f"ratio before/after: {ratio:.1f}× (medians); same cells read back: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
