"""A campaign's progress board at county scale: 2,000 village organizations in 20 townships, their
elections spread over every step, timed as the county's organization department opens the board.

Run from the repository root::

    .venv/bin/python benchmarks/campaign_board.py                 # SQLite in a temporary folder
    .venv/bin/python benchmarks/campaign_board.py --organizations 5000
    .venv/bin/python benchmarks/campaign_board.py --pg xuanju_bench_campaign   # PostgreSQL at 127.0.0.1
    .venv/bin/python benchmarks/campaign_board.py --remind        # also time reminding the late ones

It creates its own database (a temporary SQLite file, or a PostgreSQL database whose name starts
with ``xuanju_bench``, dropped afterwards), migrates it, seeds the tree, elections, requests,
replies and meetings in bulk, and times the board page (first page, filtered, sorted), the board's
rows alone and the progress table's .xlsx through Django's test client. It prints measured figures
and the number of queries per page, never pass/fail on time; the target is 300 ms for the page.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SEED = 20261205
TOWNSHIPS = 20
# Where the elections stand: (weight, plan, plan reply, candidates, candidates reply, meeting, results, results reply)
STAGES = [
    (8, None, None, None, None, False, None, None),  # not asked yet
    (10, "pending", None, None, None, False, None, None),
    (4, "returned", None, None, None, False, None, None),
    (20, "approved", "approved", None, None, False, None, None),
    (12, "approved", "approved", "pending", None, False, None, None),
    (16, "approved", "approved", "approved", "approved", True, None, None),
    (10, "approved", "approved", "approved", "approved", True, "pending", None),
    (20, "approved", "approved", "approved", "approved", True, "approved", "approved"),
]


def setup_django(pg: str | None) -> None:
    data = Path(tempfile.mkdtemp(prefix="xuanju-bench-campaign-"))
    (data / "static").mkdir()
    os.environ["XUANJU_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanju.settings"
    os.environ.pop("XUANJU_DEBUG", None)
    if pg:
        import monitor

        if monitor.database_exists(pg):
            monitor.drop_database(pg)
        monitor.create_database(pg)
        os.environ["DATABASE_URL"] = monitor.PG + pg
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def seed(organizations: int, today: date) -> int:
    """The county, its townships and villages, a campaign over the villages and their elections in
    every stage; returns the campaign's id. Bulk inserts: the actions would take minutes."""
    from xuanju.accounts.models import User
    from xuanju.campaigns.models import Campaign, CampaignEntry
    from xuanju.elections.models import Approval, Election, ElectionStatus, Meeting
    from xuanju.organizations.models import Organization

    rng = random.Random(SEED)
    path = Organization._get_path
    county = Organization.objects.create(
        name="中共基准县委员会",
        kind="party_committee",
        sector="other",
        path=path(None, 1, 1),
        depth=1,
        numchild=TOWNSHIPS,
    )
    per_town = -(-organizations // TOWNSHIPS)
    towns = Organization.objects.bulk_create(
        Organization(
            name=f"中共第{t + 1:02d}镇委员会",
            kind="party_committee",
            sector="township",
            path=path(county.path, 2, t + 1),
            depth=2,
            numchild=min(per_town, organizations - t * per_town),
        )
        for t in range(TOWNSHIPS)
    )
    villages: list[Organization] = []
    for t, town in enumerate(towns):
        for v in range(min(per_town, organizations - t * per_town)):
            villages.append(
                Organization(
                    name=f"中共第{t + 1:02d}镇第{v + 1:03d}村支部委员会",
                    kind="branch",
                    sector="village",
                    path=path(town.path, 3, v + 1),
                    depth=3,
                    full_member_count=30,
                    member_count=32,
                    subtree_full_member_count=30,
                    subtree_member_count=32,
                )
            )
    villages = Organization.objects.bulk_create(villages, batch_size=1000)
    villages = list(Organization.objects.filter(depth=3).order_by("path"))
    town_of = {t.path: t for t in Organization.objects.filter(depth=2)}
    User.objects.create_user("bench_county", password="x", organization=county, role="org_department")
    campaign = Campaign.objects.create(
        organization=county,
        name="基准县村党组织集中换届",
        requests_by=today - timedelta(days=40),
        candidates_by=today - timedelta(days=10),
        meetings_from=today - timedelta(days=5),
        meetings_until=today + timedelta(days=20),
        results_by=today + timedelta(days=30),
        reply_days=7,
        created_by="bench",
        started_by="bench",
    )
    weights = [s[0] for s in STAGES]
    stages = rng.choices(STAGES, weights, k=len(villages))
    status_of = {
        0: ElectionStatus.PLANNING,
        1: ElectionStatus.PLAN_SUBMITTED,
        2: ElectionStatus.PLANNING,
        3: ElectionStatus.PLAN_APPROVED,
        4: ElectionStatus.CANDIDATES_SUBMITTED,
        5: ElectionStatus.PLENARY,
        6: ElectionStatus.RESULTS_SUBMITTED,
        7: ElectionStatus.COMPLETED,
    }
    started = [v for v in villages if rng.random() > 0.02]  # a few not started
    Election.objects.bulk_create(
        (
            Election(
                organization=v,
                status=status_of[STAGES.index(stages[i])],
                has_committee=True,
                committee_seats=5,
                deputy_seats=1,
                term_years=5,
                planned_on=campaign.meetings_from,
            )
            for i, v in enumerate(started)
        ),
        batch_size=1000,
    )
    election_of = {e.organization_id: e for e in Election.objects.all()}
    CampaignEntry.objects.bulk_create(
        (
            CampaignEntry(
                campaign=campaign,
                organization=v,
                township=town_of[v.path[: 2 * Organization.steplen]],
                election=election_of.get(v.pk),
            )
            for v in villages
        ),
        batch_size=1000,
    )
    approvals, meetings = [], []
    for i, village in enumerate(started):
        _, plan, plan_reply, candidates, candidates_reply, meeting, results, results_reply = stages[i]
        election = election_of[village.pk]
        day = today - timedelta(days=rng.randint(30, 50))
        for kind, asked, reply in (
            (Approval.Kind.PLAN, plan, plan_reply),
            (Approval.Kind.CANDIDATES, candidates, candidates_reply),
            (Approval.Kind.RESULTS, results, results_reply),
        ):
            if asked is None:
                continue
            decision = reply or asked
            decided = day + timedelta(days=rng.randint(1, 9)) if decision != "pending" else None
            approvals.append(
                Approval(
                    election=election,
                    kind=kind,
                    submitted_on=day,
                    submitted_by="bench",
                    content={},
                    decision=decision,
                    decided_on=decided,
                )
            )
            day = (decided or day) + timedelta(days=rng.randint(1, 6))
        if meeting:
            meetings.append(Meeting(election=election, kind=Meeting.Kind.MEMBERS, held_on=min(day, today)))
    Approval.objects.bulk_create(approvals, batch_size=1000)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    return campaign.pk


def time_start(count: int, today: date) -> None:
    """Arrange and start a campaign over ``count`` villages of a new township, through the actions
    (start_election, the conditions and targets, the audit records), and print how long it took."""
    from xuanju.campaigns import actions
    from xuanju.organizations.models import Organization

    county = Organization.objects.get(depth=1)
    town = Organization.objects.create(
        name="中共新设镇委员会",
        kind="party_committee",
        sector="township",
        path=Organization._get_path(county.path, 2, TOWNSHIPS + 1),
        depth=2,
        numchild=count,
    )
    Organization.objects.bulk_create(
        Organization(
            name=f"中共新设镇第{v + 1:03d}村支部委员会",
            kind="branch",
            sector="village",
            path=Organization._get_path(town.path, 3, v + 1),
            depth=3,
            full_member_count=30,
            member_count=30,
            subtree_full_member_count=30,
            subtree_member_count=30,
        )
        for v in range(count)
    )
    campaign = actions.create_campaign(
        "bench",
        town,
        "新设镇换届",
        actions.Selection(sectors=["village"]),
        requests_by=today,
        candidates_by=today,
        meetings_from=today,
        meetings_until=today,
        results_by=today,
        min_party_age=2,
        min_women=1,
    )
    begun = time.perf_counter()
    outcome = actions.start_campaign("bench", campaign)
    seconds = time.perf_counter() - begun
    print(
        f"start_campaign over {count} organizations: {outcome.started} elections planned in {seconds:.1f} s "
        f"({1000 * seconds / count:.0f} ms each)"
    )


def time_remind(client, campaign_id: int, today: date) -> None:
    """Give every village a committee on record (a reminder names its due date), then time the
    reminder button's request — which hands a long list to the worker — and the worker's task
    itself, run here in this process."""
    from django.urls import reverse

    from xuanju.audit.models import AuditRecord
    from xuanju.campaigns import actions, tasks
    from xuanju.campaigns.models import Campaign
    from xuanju.organizations.models import Committee, Organization, Reminder

    Committee.objects.bulk_create(
        (
            Committee(
                organization_id=pk,
                elected_on=date(2021, 3, 1),
                term_years=5,
                term_end=date(2026, 3, 1),
                reelection_due=date(2026, 3, 1),
                remind_from=date(2025, 9, 1),
            )
            for pk in Organization.objects.filter(depth=3).values_list("pk", flat=True)
        ),
        batch_size=1000,
    )
    campaign = Campaign.objects.get(pk=campaign_id)
    late = len(actions.late_rows(campaign, today))
    queued_before = _queued()
    begun = time.perf_counter()
    response = client.post(reverse("campaign_remind", args=[campaign_id]))
    request_ms = (time.perf_counter() - begun) * 1000
    assert response.status_code == 302 and _queued() == queued_before + (late > tasks.REMIND_IN_REQUEST)
    begun = time.perf_counter()
    tasks.remind_late_task.call(campaign_id, "bench_county", today.isoformat())
    seconds = time.perf_counter() - begun
    sent = Reminder.objects.count()
    assert AuditRecord.objects.filter(action="send_reminder").count() == sent
    print(
        f"remind late: {late} late ones; the request answered in {request_ms:.0f} ms "
        f"(handed to the worker: {late > tasks.REMIND_IN_REQUEST}); the worker's task sent {sent} "
        f"in {seconds:.1f} s ({1000 * seconds / max(sent, 1):.1f} ms each)"
    )


def _queued() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organizations", type=int, default=2000)
    parser.add_argument("--pg", help="a PostgreSQL database to create (name starts with xuanju_bench)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--start", type=int, default=0, help="also time starting a campaign of this many")
    parser.add_argument("--remind", action="store_true", help="also time reminding the late ones")
    args = parser.parse_args(argv)
    if args.pg and not args.pg.startswith("xuanju_bench"):
        parser.error("the PostgreSQL database's name must start with xuanju_bench")
    setup_django(args.pg)
    import monitor
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from xuanju.accounts.models import User
    from xuanju.campaigns import board
    from xuanju.campaigns.models import Campaign

    try:
        call_command("migrate", interactive=False, verbosity=0)
        today = timezone.localdate()
        started = time.perf_counter()
        campaign_id = seed(args.organizations, today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics after the bulk load
        print(
            f"seeded {args.organizations:,} organizations in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor})"
        )
        campaign = Campaign.objects.get(pk=campaign_id)
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username="bench_county"))
        url = reverse("campaign_board", args=[campaign_id])
        town = campaign.entries.values_list("township_id", flat=True).first()
        timings = [
            monitor.time_page(client, "board, first page", url, args.repeats),
            monitor.time_page(
                client, "board, late ones, by days late", f"{url}?status=late&sort=-late", args.repeats
            ),
            monitor.time_page(
                client, "board, one township, page 2", f"{url}?township={town}&page=2", args.repeats
            ),
            monitor.time_page(
                client,
                "progress table .xlsx",
                reverse("campaign_progress_xlsx", args=[campaign_id]),
                args.repeats,
            ),
        ]
        monitor.print_timings(f"campaign board, {args.organizations:,} organizations", timings)
        samples = []
        for _ in range(args.repeats):
            begun = time.perf_counter()
            rows = board.rows(campaign, today)
            samples.append((time.perf_counter() - begun) * 1000)
        samples.sort()
        if os.environ.get("XUANJU_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("board.rows(campaign, today)", globals(), locals(), "/tmp/campaign_board.prof")
            pstats.Stats("/tmp/campaign_board.prof").sort_stats("cumulative").print_stats(25)
            with monitor.capture_sql() as queries:
                client.get(url)
            for sql, _, ms in queries:
                print(f"{ms:8.1f} ms  {' '.join(sql.split())[:150]}")
        print(
            f"\nboard.rows alone: {len(rows):,} rows, best {samples[0]:.1f} ms, "
            f"median {samples[len(samples) // 2]:.1f} ms; target for the page: 300 ms"
        )
        if args.remind:
            time_remind(client, campaign_id, today)
        if args.start:
            time_start(args.start, today)
    finally:
        if args.pg:
            connection.close()
            monitor.drop_database(args.pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
