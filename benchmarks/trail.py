"""An election's audit trail at county scale, before and after, in one run (PostgreSQL).

    .venv/bin/python benchmarks/supervision.py --db xuanju_bench_perf          # seed first (~116,000 records)
    .venv/bin/python benchmarks/trail.py --db xuanju_bench_perf [--runs 5] [--append 300] [--before REV]

Works on a database seeded by ``supervision.py`` (its trail election has 3,000 attendance and 3,000
ballot records among ~116,000). "Before" is the trail module, view and template of ``--before``
(default: the commit before the trail was paged), read with ``git show`` and imported from a
temporary folder, so both run in the same process on the same rows, alternately. ``--append`` writes
that many records to the chain through ``xuanju.audit.trail.record`` (as a day of work since the last
scheduled full walk would) after storing a checkpoint, so that the incremental check has work to do.
Prints figures; nothing passes or fails on time.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import monitor  # noqa: E402  (benchmarks/monitor.py: the database helpers)

BEFORE = "8db79f9"  # every record of the election on one page, one query per row for the actor's name


def _old_module(folder: Path, name: str, source: str, revision: str) -> ModuleType:
    data = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:{source}"], check=True, capture_output=True
    ).stdout
    (folder / f"{name}.py").write_bytes(data)
    spec = importlib.util.spec_from_file_location(f"before_{name}", folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--append", type=int, default=300, help="records written after the checkpoint")
    parser.add_argument("--before", default=BEFORE, help="the commit whose trail is 'before'")
    args = parser.parse_args()
    if not args.db.startswith("xuanju_bench") or not monitor.database_exists(args.db):
        parser.error("needs a database seeded by benchmarks/supervision.py (name starting xuanju_bench)")
    monitor.setup_django(args.db)

    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.template import engines
    from django.test import Client, override_settings
    from django.urls import path, reverse

    from xuanju import urls as site_urls
    from xuanju.accounts.models import Role, User
    from xuanju.audit import checkpoints
    from xuanju.audit.models import AuditRecord, Checkpoint
    from xuanju.audit.trail import record, verify
    from xuanju.elections.models import Election
    from xuanju.organizations.models import Organization
    from xuanju.supervision import trail

    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT target FROM bench_meta")
        target = Election.objects.select_related("organization").get(pk=cursor.fetchone()[0])
    root = Organization.objects.get(depth=1)
    user, _ = User.objects.get_or_create(
        username="bench_county", defaults={"organization": root, "role": Role.ORGANIZATION_DEPARTMENT}
    )

    # A checkpoint from a full walk, then the records of a day's work after it.
    if not Checkpoint.objects.exists():
        started = time.perf_counter()
        checkpoints.record(verify())
        print(f"full walk to store a checkpoint: {time.perf_counter() - started:.1f} s")
    newest = Checkpoint.objects.order_by("-position").first()
    assert newest is not None
    after = AuditRecord.objects.filter(pk__gt=newest.record_id).count()
    if after < args.append:
        for k in range(args.append - after):
            record("bench_trail", "note_sheets", target, summary=f"benchmark record {k}")
    print(
        f"chain: {AuditRecord.objects.count():,} records, checkpoint at {newest.position:,}, "
        f"{AuditRecord.objects.filter(pk__gt=newest.record_id).count():,} after it; "
        f"election #{target.pk} ({target.organization.name}), {args.runs} runs each"
    )

    with tempfile.TemporaryDirectory() as folder:
        old_trail = _old_module(Path(folder), "trail", "xuanju/supervision/trail.py", args.before)
        old_views = _old_module(Path(folder), "views", "xuanju/supervision/views_compliance.py", args.before)
        old_template = subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "show",
                f"{args.before}:xuanju/supervision/templates/supervision/trail.html",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        compiled = engines["django"].from_string(old_template)
        old_views.trail = old_trail  # type: ignore[attr-defined]
        old_views.render = lambda request, _name, context: HttpResponse(  # type: ignore[attr-defined]
            compiled.render(context, request)
        )
        urlconf = ModuleType("bench_trail_urls")
        urlconf.urlpatterns = [  # type: ignore[attr-defined]
            path("bench/old-trail/<int:pk>/", old_views.election_trail),
            *site_urls.urlpatterns,
        ]
        sys.modules["bench_trail_urls"] = urlconf
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        new_url = reverse("election_trail", args=[target.pk])
        with override_settings(ROOT_URLCONF="bench_trail_urls"):
            old_url = f"/bench/old-trail/{target.pk}/"
            for url in (old_url, new_url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            listed = old_trail.election_records(target, user).count()
            assert listed == trail.election_records(target, user).count(), "the two find different records"
            steps: dict[str, Callable[[], Any]] = {
                "chain: full walk (before)": verify,
                "chain: from the checkpoint (after)": checkpoints.verify_since,
                "records matched (before, OR)": lambda: list(
                    old_trail.election_records(target, user).values_list("pk", flat=True)
                ),
                "records matched (after, UNION)": lambda: list(
                    trail.election_records(target, user).values_list("pk", flat=True)
                ),
                "rows: all, name per row (before)": lambda: [
                    _who(row.record.actor)  # what the old template's |who filter did
                    for row in old_trail.trail_rows(target, user)
                ],
                "rows: one page (after)": lambda: trail.trail_page(target, user, 1),
                "whole page (before)": lambda: client.get(old_url),
                "whole page (after)": lambda: client.get(new_url),
            }
            timings: dict[str, list[float]] = {name: [] for name in steps}
            for run in range(args.runs):
                order = list(steps.items())
                for name, step in order if run % 2 == 0 else reversed(order):
                    timings[name].append(_timed(step))
    print(f"the election's records: {listed:,} (both find the same), {trail.PAGE_SIZE} a page after")
    print(f"{'step':<36}{'best ms':>9}{'median ms':>11}")
    for name, samples in timings.items():
        print(f"{name:<36}{1000 * min(samples):>9.0f}{1000 * statistics.median(samples):>11.0f}")
    for before, after in (
        ("chain: full walk (before)", "chain: from the checkpoint (after)"),
        ("rows: all, name per row (before)", "rows: one page (after)"),
        ("whole page (before)", "whole page (after)"),
    ):
        ratio = statistics.median(timings[before]) / statistics.median(timings[after])
        print(f"ratio {before.split(':')[0].split(' (')[0]}: {ratio:.0f}× (medians)")


def _who(login: str) -> str:
    from xuanju.display import who

    return who(login)


if __name__ == "__main__":
    main()
