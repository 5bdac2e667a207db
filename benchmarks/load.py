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
the notices; two counting desks (甲 and 乙) entering the same stack of unnumbered sheets into one
branch's open round. Readers wait 1–3 s between clicks, counters 3–6 s between sheets. The desks'
round is made through the actions on the first run and emptied before each setting, so every
setting starts from the same data. Never pass/fail: read the figures.
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
    desks = _desk_plan(session)
    return {
        "desk_round": desks["round"],
        "desk": desks["desk"],
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


DESK_MARK = "benchmarks/load.py 计票台"  # the readiness text that finds the desks' election again


def _desk_plan(session: Any) -> dict[str, Any]:
    """Two counting desks (甲 and 乙 录入) of one branch's members' meeting, its first round open.

    The election is taken through the real actions once (a branch with no election open, members
    enough for a quorum) and found again by its readiness text on later runs; :func:`_reset_desk`
    empties the round before each gunicorn setting, so every setting starts from the same stack."""
    from datetime import date

    from django.db.models import Count, Q

    from xuanju.accounts.models import Role
    from xuanju.elections import actions
    from xuanju.elections.models import (
        CLOSED_STATUSES,
        Approval,
        Attendance,
        Candidate,
        CountingMethod,
        Election,
        Meeting,
        Post,
        Round,
    )
    from xuanju.elections.rounds import ballot_order
    from xuanju.organizations.models import Member, Organization

    round_ = Round.objects.filter(contest__election__readiness=DESK_MARK, number=1).first()
    if round_ is None:
        busy = Election.objects.exclude(status__in=CLOSED_STATUSES).values("organization")
        org = (
            Organization.objects.filter(kind="branch", dissolved_on__isnull=True)
            .exclude(pk__in=busy)
            .annotate(voters=Count("members", filter=Q(members__left_on__isnull=True)))
            .filter(voters__gte=14)
            .order_by("-voters", "pk")
            .first()
        )
        if org is None:
            raise SystemExit("no branch with 14 members and no election open for the counting desks")
        people = list(Member.objects.filter(organization=org).on_roll().order_by("pk"))
        today = date.today()
        election = actions.start_election("benchmark", org, today, 5, 0, readiness=DESK_MARK)

        def approve(approval: Approval) -> None:
            actions.decide("benchmark-upper", approval, Approval.Decision.APPROVED, "测试〔2026〕1号", "")

        approve(actions.submit_plan("benchmark", election))
        committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
        for person in people[:6]:
            actions.set_candidate(
                "benchmark", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格"
            )
        actions.set_candidate(
            "benchmark", election.contests.get(post=Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
        )
        approve(actions.submit_candidates("benchmark", election))
        meeting = actions.open_meeting("benchmark", election, Meeting.Kind.MEMBERS, today)
        voters = list(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
        actions.mark_present("benchmark", meeting, voters)
        actions.close_roll("benchmark", meeting)
        actions.adopt_procedure(
            "benchmark",
            meeting,
            "present",
            False,
            votes_for=len(people),
            counting_method=CountingMethod.DOUBLE_ENTRY,
        )
        actions.appoint("benchmark", meeting, people[10], "chief_scrutineer")
        actions.appoint("benchmark", meeting, people[11], "counter")
        actions.appoint("benchmark", meeting, people[12], "counter")
        round_ = actions.open_round("benchmark", committee, meeting, issued=len(voters))
    org = round_.contest.election.organization
    candidates = len(ballot_order(list(round_.candidates.select_related("member"))))
    seats = round_.contest.seats
    # The stack the desks read: voted for everyone up to the seats, one abstention, one against.
    readings = ["o" * seats + "." * (candidates - seats), "." * candidates]
    if candidates > seats:
        readings.append("." + "o" * seats + "." * (candidates - seats - 1))
        readings.append("x" + "o" * (seats - 1) + "." * (candidates - seats))
    return {
        "round": round_.pk,
        "desk": [
            {
                "session": session(f"bench_load_counter{slot}", org, Role.COUNTER),
                "url": f"/rounds/{round_.pk}/counting/desk/{slot}/",
                "readings": readings,
            }
            for slot in (1, 2)
        ],
    }


def _reset_desk(round_pk: int) -> None:
    """Empty the desks' round: the next gunicorn setting starts from the first sheet again."""
    from xuanju.counting.models import DeskEntry
    from xuanju.elections.models import BallotEntry

    DeskEntry.objects.filter(round_id=round_pk).delete()
    BallotEntry.objects.filter(round_id=round_pk).delete()


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
        _reset_desk(plan["desk_round"])
        _run(args.db, plan, workers, threads, args)


if __name__ == "__main__":
    main()
