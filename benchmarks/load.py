"""Load on the county dataset: Locust users against gunicorn, per page requests/s, p50/p95/p99, errors.

    .venv/bin/python benchmarks/supervision.py --db xuanju_bench_load --scale 1.0   # seed once
    .venv/bin/python benchmarks/load.py --db xuanju_bench_load                      # 50 users, 60 s
    .venv/bin/python benchmarks/load.py --db xuanju_bench_load --configs 2x1,2x4,3x4,4x2 --time 45

Needs the ``bench`` extra (``pip install -e .[bench]``: Locust, pinned) and a database seeded by
``supervision.py`` (its name must start with ``xuanju_bench``; it is only read, apart from sessions
and a few accounts). For each gunicorn setting ``WORKERSxTHREADS`` it starts gunicorn on 127.0.0.1
(a free port; nothing listens beyond loopback), runs Locust headless for ``--time`` seconds with
``--users`` users (spawned at ``--spawn-rate`` a second), stops both, and prints a table per page and
the peak RSS (VmHWM) of each worker. The mix (benchmarks/load_locustfile.py): organization
departments (county and township) on the monitor, compliance, reserve depth and an election's
trail; secretaries on their election, its documents and the PDF and .docx of its papers; members on
the notices. Users wait 1–3 s between clicks. Counting desks are not included (they write ballots,
which would change the dataset between runs). Never pass/fail: read the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _plan(db: str) -> dict[str, Any]:
    """Sessions and URLs per kind of user, made in the benchmark database."""
    import monitor

    monitor.setup_django(db)
    from django.test import Client
    from django.urls import reverse
    from supervision import township_of_interest

    from xuanju.accounts.models import Role, User
    from xuanju.documents import content
    from xuanju.elections.models import Election
    from xuanju.organizations.models import Organization

    def session(username: str, org: Organization, role: str) -> str:
        user, _ = User.objects.get_or_create(username=username, defaults={"organization": org, "role": role})
        client = Client()
        client.force_login(user)
        return str(client.cookies["sessionid"].value)

    root = Organization.objects.get(depth=1)
    town = township_of_interest()
    elections = list(
        Election.objects.filter(status="completed").select_related("organization").order_by("pk")[:20]
    )
    secretaries = []  # each secretary reads their own election only
    for number, election in enumerate(elections):
        refs = [r for r in content.available(election) if r.item is None][:3]
        if not refs:
            continue
        pk = election.pk
        secretaries.append(
            {
                "session": session(f"bench_load_secretary{number}", election.organization, Role.SECRETARY),
                "urls": {
                    "election": [reverse("election_detail", args=[pk])],
                    "documents": [reverse("election_documents", args=[pk])],
                    "document pdf": [
                        reverse("election_document", args=[pk, r.kind.value, "pdf"]) for r in refs
                    ],
                    "document docx": [
                        reverse("election_document", args=[pk, r.kind.value, "docx"]) for r in refs
                    ],
                },
            }
        )
    trail_elections = [e.pk for e in elections[:5]]
    members = list(
        Organization.objects.filter(
            path__startswith=town.path, kind="branch", dissolved_on__isnull=True
        ).order_by("path")[:10]
    )
    county_urls = {
        "monitor": [reverse("monitor")],
        "compliance": [reverse("compliance")],
        "reserve depth": [reverse("reserve_depth", args=[root.pk])],
        "election trail": [reverse("election_trail", args=[pk]) for pk in trail_elections],
    }
    in_town = Election.objects.filter(organization__path__startswith=town.path).order_by("pk")[:5]
    town_urls = {
        "monitor": [reverse("monitor")],
        "compliance": [reverse("compliance")],
        "reserve depth": [reverse("reserve_depth", args=[town.pk])],
        "election trail": [reverse("election_trail", args=[e.pk]) for e in in_town],
    }
    return {
        "department": [
            {
                "session": session("bench_load_county", root, Role.ORGANIZATION_DEPARTMENT),
                "urls": county_urls,
            },
            {
                "session": session("bench_load_town", town, Role.ORGANIZATION_DEPARTMENT),
                "urls": town_urls,
            },
        ],
        "secretary": secretaries,
        "member": [
            {
                "session": session(f"bench_load_member{n}", org, Role.MEMBER),
                "urls": {"notices": [reverse("notice_list")]},
            }
            for n, org in enumerate(members)
        ],
    }


def _worker_peaks(master: int) -> list[int]:
    """Peak resident set size (VmHWM, kB) of each of the gunicorn master's children."""
    peaks = []
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return peaks
    for child in children:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
        except OSError:
            continue
    return peaks


def _run(db: str, plan: dict[str, Any], workers: int, threads: int, args: argparse.Namespace) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{db}",
        "XUANJU_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("XUANJU_DEBUG", None)
    command = [
        str(BIN / "gunicorn"),
        "xuanju.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "load_locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.time}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--stop-timeout",
                    "30",
                ],
                env={**os.environ, "XUANJU_LOAD_PLAN": json.dumps(plan)},
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=args.time + 120,
            )
            peaks = _worker_peaks(server.pid)
            _report(workers, threads, args, Path(f"{prefix}_stats.csv"), peaks)
            _failures(Path(f"{prefix}_failures.csv"))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _report(workers: int, threads: int, args: argparse.Namespace, stats: Path, peaks: list[int]) -> None:
    print(
        f"\n== gunicorn {workers} workers × {threads} threads; {args.users} users, {args.time} s "
        f"(peak RSS per worker: {', '.join(f'{p / 1024:.0f} MB' for p in peaks) or 'n/a'})"
    )
    print(f"{'page':<20}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    with stats.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
            print(
                f"{name:<20}{row['Request Count']:>9}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
                f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )


def _failures(path: Path) -> None:
    """What the errors were, per page (Locust's failures file)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            print(f"  error on {row['Name']}: {row['Error']} ×{row['Occurrences']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", default="xuanju_bench_supervision", help="a database seeded by supervision.py"
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", type=int, default=60, help="seconds of load per setting")
    parser.add_argument(
        "--configs", default="2x4", help="gunicorn settings, WORKERSxTHREADS, comma-separated"
    )
    args = parser.parse_args()
    if not args.db.startswith("xuanju_bench"):
        parser.error("the benchmark database's name must start with xuanju_bench")
    plan = _plan(args.db)
    print(
        f"load: {args.users} users on {args.db}; secretaries' elections: {len(plan['secretary'])}; "
        "p50/p95/p99 in ms as Locust reports them (rounded)"
    )
    for config in args.configs.split(","):
        workers, threads = (int(n) for n in config.lower().split("x"))
        _run(args.db, plan, workers, threads, args)


if __name__ == "__main__":
    main()
