"""The county's compliance export (.xlsx of every item), before and after, in one run.

    .venv/bin/python benchmarks/supervision.py --db xuanju_bench_load          # seed first (100,000 organizations)
    .venv/bin/python benchmarks/compliance_export.py --db xuanju_bench_load [--runs 5] [--before REV]

"Before" is ``export_workbook`` of ``xuanju/supervision/views_compliance.py`` at ``--before`` (default:
the last revision with a cell object per value), read with ``git show`` and imported from a temporary
folder; "after" is the current ``write_export``. Both write the same findings (the county
department's, computed once) alternately in one process, and the script checks that both files read
back as the same cells. Prints figures; nothing passes or fails on time.
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

BEFORE = "5f6d739"  # openpyxl's normal workbook, every cell an object, saved to bytes in memory


def _timed(function: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="xuanju_bench_load", help="a database seeded by supervision.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default=BEFORE)
    args = parser.parse_args()
    if not args.db.startswith("xuanju_bench") or not monitor.database_exists(args.db):
        parser.error("needs a database seeded by benchmarks/supervision.py (name starting xuanju_bench)")
    monitor.setup_django(args.db)

    from django.test import RequestFactory
    from django.utils import timezone
    from openpyxl import load_workbook

    from xuanju.accounts.models import User
    from xuanju.organizations.models import Organization
    from xuanju.supervision import compliance, views_compliance

    root = Organization.objects.get(depth=1)
    department = User.objects.get(username="bench_county")  # made by supervision.py
    today = timezone.localdate()
    started = time.perf_counter()
    found = compliance.findings(department, today, None, None)
    print(f"findings of {root.name}: {len(found.items):,} items in {time.perf_counter() - started:.1f} s")
    request = RequestFactory().get("/compliance/export/", HTTP_HOST="localhost")
    with tempfile.TemporaryDirectory() as folder:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{args.before}:xuanju/supervision/views_compliance.py"],
            check=True,
            capture_output=True,
        ).stdout
        (Path(folder) / "old_views.py").write_bytes(source)
        spec = importlib.util.spec_from_file_location("before_views", Path(folder) / "old_views.py")
        assert spec is not None and spec.loader is not None
        old = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = old
        spec.loader.exec_module(old)

        outputs: dict[str, bytes] = {}

        def before() -> None:
            outputs["before"] = old.export_workbook(request, found, today)

        def after() -> None:
            target = io.BytesIO()
            views_compliance.write_export(request, found, today, target)
            outputs["after"] = target.getvalue()

        steps: dict[str, Callable[[], Any]] = {"export before": before, "export after": after}
        timings: dict[str, list[float]] = {name: [] for name in steps}
        for run in range(args.runs):
            order = list(steps.items())
            for name, step in order if run % 2 == 0 else reversed(order):
                timings[name].append(_timed(step))

    def cells(data: bytes) -> list[tuple[Any, ...]]:
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        # The streamed rows end at their last value; openpyxl's normal sheet pads every row to the
        # widest one with empty cells. Compare what a reader sees.
        rows = []
        for row in sheet.iter_rows():
            values = [(c.value, c.number_format if c.value is not None else None) for c in row]
            while values and values[-1][0] is None:
                values.pop()
            rows.append(tuple(values))
        return rows

    same = cells(outputs["before"]) == cells(outputs["after"])
    print(f"{args.runs} runs each, {len(outputs['after']):,} bytes after")
    print(f"{'step':<16}{'best ms':>9}{'median ms':>11}")
    for name, samples in timings.items():
        print(f"{name:<16}{1000 * min(samples):>9.0f}{1000 * statistics.median(samples):>11.0f}")
    ratio = statistics.median(timings["export before"]) / statistics.median(timings["export after"])
    print(f"ratio before/after: {ratio:.1f}× (medians); same cells read back: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
