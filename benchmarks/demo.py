"""How long the demo takes to load on a fresh SQLite database: the county, its counting-desk election
and the 2,400-member congress, each timed on its own in one run.

    .venv/bin/python benchmarks/demo.py

Prints figures to read; nothing passes or fails on time (the loaders' wall time was once asserted in
the test suite, which made it fail on a busy machine).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    os.environ["XUANJU_DATA"] = tempfile.mkdtemp(prefix="xuanju-bench-demo-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanju.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from xuanju.audit.models import AuditRecord
    from xuanju.demo.congress import load_demo_congress
    from xuanju.demo.county import load_demo
    from xuanju.demo.election import load_demo_election

    call_command("migrate", interactive=False, verbosity=0)
    rows = []
    with transaction.atomic():
        for name, load in (
            ("load_demo (county)", load_demo),
            ("load_demo_election (desk)", load_demo_election),
            ("load_demo_congress (2,400 members)", load_demo_congress),
        ):
            before = AuditRecord.objects.count()
            started = time.perf_counter()
            load()
            seconds = time.perf_counter() - started
            rows.append((name, seconds, AuditRecord.objects.count() - before))
    total = sum(s for _, s, _ in rows)
    print(f"{'loader':<38}{'seconds':>9}{'share':>8}{'audit records':>15}{'ms/record':>11}")
    for name, seconds, records in rows:
        per = 1000 * seconds / records if records else 0.0
        print(f"{name:<38}{seconds:>9.2f}{seconds / total:>8.0%}{records:>15,}{per:>11.2f}")
    print(f"{'total':<38}{total:>9.2f}")


if __name__ == "__main__":
    main()
