"""The structure of a campaign's new teams at county scale: villages in 20 townships, about half
with an elected committee of five, a quarter with an open slate of six, the rest not yet chosen;
each with 30 members (profiles on record) and an outgoing committee.

Run from the repository root::

    .venv/bin/python benchmarks/campaign_structure.py                      # 200 and 2,000 villages
    .venv/bin/python benchmarks/campaign_structure.py --sizes 500 5000

For each size it creates a fresh SQLite database in a temporary folder, migrates it, seeds in bulk,
and times ``campaign_structure`` (every team's figures, by township and in total), the statistics
table's .xlsx and PDF, and the structure page through Django's test client. It prints the best of
five runs, the queries per call, and the ratio of each figure to the smallest size: a ratio near the
size ratio means the work grows linearly with the organizations, never pass/fail on time.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20261205
TOWNSHIPS = 20
MEMBERS = 30
TODAY = date(2026, 3, 31)


def setup_django() -> None:
    data = Path(tempfile.mkdtemp(prefix="xuanju-bench-structure-"))
    (data / "static").mkdir()
    os.environ["XUANJU_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanju.settings"
    os.environ.pop("XUANJU_DEBUG", None)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(organizations: int) -> int:
    """The county, townships, villages with members, profiles and outgoing committees, a campaign
    over the villages and their elections (elected, slate, nothing yet); the campaign's id."""
    from xuanju.accounts.models import User
    from xuanju.campaigns.models import Campaign, CampaignEntry
    from xuanju.elections.models import Candidate, Contest, Elected, Election, ElectionStatus, Meeting, Round
    from xuanju.organizations.models import Committee, CommitteeSeat, Member, Organization
    from xuanju.vetting.models import MemberProfile

    rng = random.Random(SEED)
    path = Organization._get_path
    county = Organization.objects.create(
        name="中共基准县委员会", kind="party_committee", path=path(None, 1, 1), depth=1, numchild=TOWNSHIPS
    )
    per_town = -(-organizations // TOWNSHIPS)
    towns = Organization.objects.bulk_create(
        Organization(
            name=f"中共第{t + 1:02d}镇委员会",
            kind="party_committee",
            sector="township",
            path=path(county.path, 2, t + 1),
            depth=2,
        )
        for t in range(TOWNSHIPS)
    )
    villages = Organization.objects.bulk_create(
        (
            Organization(
                name=f"中共第{n // per_town + 1:02d}镇第{n % per_town + 1:03d}村支部委员会",
                kind="branch",
                sector="village",
                path=path(towns[n // per_town].path, 3, n % per_town + 1),
                depth=3,
            )
            for n in range(organizations)
        ),
        batch_size=1000,
    )
    villages = list(Organization.objects.filter(depth=3).order_by("path"))
    town_of = {t.path: t for t in Organization.objects.filter(depth=2)}
    Member.objects.bulk_create(
        (
            Member(
                organization=v,
                name=f"党员{v.pk}-{i}",
                gender=rng.choice("男男女"),
                ethnicity="汉族" if rng.random() > 0.1 else "回族",
                birth_date=date(rng.randint(1956, 2000), rng.randint(1, 12), 15),
                joined_on=date(2010, 7, 1),
                full_member_on=date(2011, 7, 1),
                status="full",
            )
            for v in villages
            for i in range(MEMBERS)
        ),
        batch_size=2000,
    )
    members: dict[int, list[int]] = {}
    for org_id, pk in Member.objects.values_list("organization_id", "pk").order_by("pk"):
        members.setdefault(org_id, []).append(pk)
    levels = ["primary", "high_school", "college", "bachelor", ""]
    MemberProfile.objects.bulk_create(
        (
            MemberProfile(
                member_id=pk,
                education=rng.choice(levels),
                front_line=rng.random() < 0.5,
                heads_residents_committee=rng.random() < 0.2,
            )
            for ids in members.values()
            for pk in ids
        ),
        batch_size=2000,
    )
    committees = Committee.objects.bulk_create(
        (
            Committee(
                organization=v,
                elected_on=date(2021, 3, 1),
                term_years=5,
                term_end=date(2026, 3, 1),
                reelection_due=date(2026, 3, 1),
                remind_from=date(2025, 9, 1),
            )
            for v in villages
        ),
        batch_size=1000,
    )
    CommitteeSeat.objects.bulk_create(
        (
            CommitteeSeat(
                committee=c, member_id=members[c.organization_id][i], post="secretary" if i == 0 else "member"
            )
            for c in committees
            for i in range(5)
        ),
        batch_size=2000,
    )
    User.objects.create_user("bench_county", password="x", organization=county, role="org_department")
    campaign = Campaign.objects.create(
        organization=county,
        name="基准县村党组织集中换届",
        requests_by=TODAY - timedelta(days=40),
        candidates_by=TODAY - timedelta(days=10),
        meetings_from=TODAY - timedelta(days=5),
        meetings_until=TODAY + timedelta(days=20),
        results_by=TODAY + timedelta(days=30),
        min_women=1,
        under_age=35,
        min_under_age=1,
        max_average_age=50,
        secretary_heads_committee=True,
        created_by="bench",
    )
    stages = rng.choices(["elected", "slate", "none"], [2, 1, 1], k=len(villages))
    status = {
        "elected": ElectionStatus.RESULTS_SUBMITTED,
        "slate": ElectionStatus.CANDIDATES_SUBMITTED,
        "none": ElectionStatus.PLAN_APPROVED,
    }
    elections = Election.objects.bulk_create(
        (
            Election(
                organization=v,
                status=status[stages[i]],
                has_committee=True,
                committee_seats=5,
                term_years=5,
                planned_on=TODAY - timedelta(days=3),
            )
            for i, v in enumerate(villages)
        ),
        batch_size=1000,
    )
    CampaignEntry.objects.bulk_create(
        (
            CampaignEntry(
                campaign=campaign,
                organization=v,
                township=town_of[v.path[: 2 * Organization.steplen]],
                election=elections[i],
            )
            for i, v in enumerate(villages)
        ),
        batch_size=1000,
    )
    contests = Contest.objects.bulk_create(
        (
            Contest(election=e, post=post, seats=seats, position=p)
            for e in elections
            for p, (post, seats) in enumerate((("committee_member", 5), ("secretary", 1)))
        ),
        batch_size=1000,
    )
    by_election: dict[int, list[Contest]] = {}
    for contest in contests:
        by_election.setdefault(contest.election_id, []).append(contest)
    elected = [e for i, e in enumerate(elections) if stages[i] == "elected"]
    meetings = Meeting.objects.bulk_create(
        (Meeting(election=e, kind="members", held_on=TODAY - timedelta(days=3)) for e in elected),
        batch_size=1000,
    )
    rounds = Round.objects.bulk_create(
        (
            Round(contest=c, meeting=m, number=1, kind="regular", seats=c.seats, closed=True)
            for m in meetings
            for c in by_election[m.election_id]
        ),
        batch_size=1000,
    )
    winners = []
    for round_ in rounds:
        people = members[round_.contest.election.organization_id]
        chosen = rng.sample(people[:12], 5)
        for pk in chosen[: round_.seats]:
            winners.append(Elected(contest=round_.contest, round=round_, member_id=pk, votes=20))
    Elected.objects.bulk_create(winners, batch_size=2000)
    slates = []
    for i, election in enumerate(elections):
        if stages[i] != "slate":
            continue
        committee, secretary = by_election[election.pk]
        people = rng.sample(members[election.organization_id][:12], 6)
        slates += [Candidate(contest=committee, member_id=pk, stage="provisional") for pk in people]
        slates.append(Candidate(contest=secretary, member_id=people[0], stage="provisional"))
    Candidate.objects.bulk_create(slates, batch_size=2000)
    return campaign.pk


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(organizations: int) -> dict[str, tuple[float, int]]:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xuanju.accounts.models import User
    from xuanju.campaigns.models import Campaign
    from xuanju.campaigns.structure import campaign_structure
    from xuanju.campaigns.structure_tables import structure_pdf, structure_table, structure_workbook

    campaign = Campaign.objects.get(pk=seed(organizations))
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench_county"))
    work = {
        "campaign_structure": lambda: campaign_structure(campaign),
        "table .xlsx": lambda: structure_workbook(structure_table(campaign_structure(campaign), TODAY)),
        "table PDF": lambda: structure_pdf(structure_table(campaign_structure(campaign), TODAY)),
        "structure page": lambda: client.get(f"/campaigns/{campaign.pk}/structure/"),
    }
    assert client.get(f"/campaigns/{campaign.pk}/structure/").status_code == 200
    found = {}
    for name, call in work.items():
        call()  # warm: fonts parsed, templates compiled
        with CaptureQueriesContext(connection) as queries:
            call()
        found[name] = (best_of(5, call), len(queries.captured_queries))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measures one size
    args = parser.parse_args()
    if args.one:
        for name, (seconds, queries) in measure(args.one).items():
            print(f"{name}\t{seconds}\t{queries}")
        return
    results: dict[int, dict[str, tuple[float, int]]] = {}
    for size in args.sizes:  # one process per size: a fresh database and Django setup each
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True
        ).stdout
        results[size] = {
            line.split("\t")[0]: (float(line.split("\t")[1]), int(line.split("\t")[2]))
            for line in output.strip().splitlines()
        }
    base = args.sizes[0]
    print(f"campaign structure, best of 5 runs; ratios against {base} villages")
    print(f"{'':22}" + "".join(f"{size:>12} villages  queries  ratio" for size in args.sizes))
    for name in results[base]:
        row = f"{name:22}"
        for size in args.sizes:
            seconds, queries = results[size][name]
            counted = str(queries) if name != "structure page" else "—"  # the client's are not captured
            row += f"{seconds * 1000:>17.1f} ms {counted:>8} {seconds / results[base][name][0]:>6.1f}"
        print(row)


if __name__ == "__main__":
    main()
