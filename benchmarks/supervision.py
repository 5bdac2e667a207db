"""Supervision pages at county scale: compliance, its export, an election's audit trail, the reserve
pool depth and the notice list, on the same generated county as benchmarks/monitor.py.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth)::

    .venv/bin/python benchmarks/supervision.py --scale 0.01   # 1,000 organizations, ~15 s
    .venv/bin/python benchmarks/supervision.py                # 100,000 organizations, 3,000,000 members
    .venv/bin/python benchmarks/supervision.py --reuse        # time again without seeding
    .venv/bin/python benchmarks/supervision.py --drop         # drop the benchmark database

It seeds the county with monitor.py's own functions (tree, members, committees, via COPY), then adds
elections in every state with their approvals, contests, candidates, meetings, rounds, notices and
objections, misconduct reports, reserve pool entries and a valid audit chain, and times the pages
through Django's test client. It prints measured figures only, never pass/fail on time. See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import monitor
from monitor import (
    FULL_MEMBERS,
    FULL_ORGANIZATIONS,
    FULL_UNITS,
    PG,
    PROTECTED_DATABASES,
    SEED,
    Timing,
    capture_sql,
    copy_rows,
    explain,
    print_timings,
    time_page,
)

DEFAULT_DB = "xuanju_bench_supervision"
FULL_ELECTIONS = 3000
FULL_RESERVE_ORGS = 3000
AUDIT_PER_ELECTION = 40  # about; the trail's target election gets several thousand
SLOW_MS = 300

# Election states and their weights. A voided election is followed by a reopened one.
STATUS_WEIGHTS = {
    "planning": 8,
    "plan_submitted": 8,
    "plan_approved": 12,
    "candidates_submitted": 8,
    "candidates_approved": 8,
    "meeting": 6,
    "plenary": 3,
    "results_submitted": 10,
    "completed": 30,
    "refused": 3,
    "voided": 4,
}
ORDER = list(STATUS_WEIGHTS)


def reached(status: str, step: str) -> bool:
    """Whether an election in ``status`` has passed ``step`` (refused stops after the plan)."""
    if status == "refused":
        return step in ("plan_submitted",)
    if status == "voided":
        return True
    return ORDER.index(status) >= ORDER.index(step)


# --- COPY of model rows ----------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (date, datetime)):
        value = value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_model(cursor: Any, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """COPY ``rows`` (dicts keyed by attname; omitted fields take the model default) into ``model``."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    missing = [f for f in model._meta.concrete_fields if f.attname not in rows[0] and not f.primary_key]
    defaults = {f.attname: f.get_default() for f in missing}
    columns = [f'"{f.column}"' for f in fields] + [f'"{f.column}"' for f in missing]
    names = [f.attname for f in fields] + [f.attname for f in missing]
    copy_rows(
        cursor,
        model._meta.db_table,
        columns,
        ("\t".join(text(row.get(n, defaults.get(n))) for n in names) + "\n" for row in rows),
    )
    if any(f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField") for f in fields):
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


# --- the county (monitor.py's seeding) -------------------------------------------------------


def seed_county(name: str, scale: float, today: date) -> None:
    """The same tree, members and committees as monitor.py, with its functions."""
    n_orgs = max(100, round(FULL_ORGANIZATIONS * scale))
    n_members = max(3000, round(FULL_MEMBERS * scale))
    n_units = max(3, round(FULL_UNITS * scale))
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    orgs = monitor.build_tree(n_orgs, n_units, rng)
    monitor.assign_paths(orgs)
    large = monitor.assign_sizes(orgs, n_members, rng)
    for i in range(0, len(orgs), 211):  # as monitor.main: a few dissolved leaves
        if orgs[i].kind == "branch" and i != large:
            orgs[i].dissolved = True
    counts = monitor.seed(orgs, n_members, today, rng, lambda t: print("  " + t, flush=True))
    print(f"county seeded in {time.perf_counter() - started:.1f} s; term states: {counts['states']}")


# --- elections, reports, reserve pool, audit chain ---------------------------------------------


def seed_supervision(scale: float, today: date) -> dict[str, Any]:
    from django.db import connection, transaction

    from xuanju.audit.models import AuditRecord, ChainHead
    from xuanju.elections.models import (
        Approval,
        Candidate,
        Contest,
        Election,
        Meeting,
        Objection,
        PublicNotice,
        Round,
    )
    from xuanju.organizations.models import Committee, Member, Organization
    from xuanju.reserve.models import ReservePerson
    from xuanju.supervision.models import Report

    rng = np.random.default_rng(SEED + 7)
    n_elections = max(60, round(FULL_ELECTIONS * scale))
    n_reserve = max(60, round(FULL_RESERVE_ORGS * scale))
    town = township_of_interest()
    # Organizations in re-election: current committee not in term, enough members for a slate.
    candidates_orgs = list(
        Committee.objects.filter(
            is_current=True,
            organization__dissolved_on__isnull=True,
            organization__full_member_count__gte=12,
            organization__depth__gte=2,
        )
        .exclude(reelection_due__gt=today + timedelta(days=180))
        .values_list(
            "organization_id",
            "organization__path",
            "organization__depth",
            "reelection_due",
            "term_years",
            "has_committee",
            "organization__full_member_count",
        )
        .order_by("organization_id")
    )
    picked_index = rng.choice(len(candidates_orgs), min(n_elections, len(candidates_orgs)), replace=False)
    picked = [candidates_orgs[i] for i in sorted(picked_index.tolist())]
    # Make sure the township of interest and the root have elections (the trail and the notices).
    root = Organization.objects.get(depth=1)
    in_town = [p for p in picked if p[1].startswith(town.path)]
    if not in_town:
        extra = next(c for c in candidates_orgs if c[1].startswith(town.path))
        picked.append(extra)
    org_ids = [p[0] for p in picked]
    members_of: dict[int, list[int]] = {}
    for org_id, member_id in (
        Member.objects.filter(organization_id__in=org_ids, status="full")
        .order_by("organization_id", "id")
        .values_list("organization_id", "id")
    ):
        members_of.setdefault(org_id, []).append(member_id)
    parent_path = {o.path: o.pk for o in Organization.objects.filter(depth__lte=3).only("pk", "path")}

    statuses = rng.choice(
        len(STATUS_WEIGHTS),
        len(picked),
        p=np.array(list(STATUS_WEIGHTS.values())) / sum(STATUS_WEIGHTS.values()),
    )
    elections, approvals, contests, candidates, meetings, rounds = [], [], [], [], [], []
    notices, objections, audit_plan = [], [], []
    ids = {"election": 0, "approval": 0, "contest": 0, "candidate": 0, "meeting": 0, "round": 0, "notice": 0}

    def nid(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    def day(n: int) -> date:
        return min(today, today - timedelta(days=int(n)))

    target = None  # the trail's election: completed, in the township of interest
    for k, (org_id, path, _, _due, years, has_committee, full) in enumerate(picked):
        status = ORDER[statuses[k]]
        if k == len(picked) - 1 or (target is None and path.startswith(town.path)):
            status = "completed"
        people = members_of[org_id]
        seats = (5 if full >= 20 else 3) if has_committee else 0
        # The plan's date: before the due date mostly, after it for some (plan_late).
        early = ORDER.index(status) < ORDER.index("candidates_submitted") and status != "voided"
        start = int(rng.integers(5, 40)) if early else int(rng.integers(80, 420))
        t0 = day(start)
        eid = nid("election")
        if target is None and status == "completed" and path.startswith(town.path):
            target = eid
        elections.append(
            {
                "id": eid,
                "organization_id": org_id,
                "status": status,
                "has_committee": has_committee,
                "committee_seats": seats,
                "deputy_seats": 0,
                "term_years": years,
                "planned_on": t0 + timedelta(days=50),
                "readiness": "",
                "composition": "",
                "minimum_party_age": 0,
                "created_at": datetime.combine(t0 - timedelta(days=10), datetime.min.time(), UTC),
                "reopened_from_id": None,
            }
        )
        events: list[tuple[str, str, int, dict[str, Any]]] = [
            ("start_election", "elections.election", eid, {})
        ]
        if status != "planning":
            decision = {"plan_submitted": "pending", "refused": "refused"}.get(status, "approved")
            aid = nid("approval")
            approvals.append(
                approval(
                    aid, eid, "plan", t0, decision, t0 + timedelta(days=5) if decision != "pending" else None
                )
            )
            events += [("submit_plan", "elections.approval", aid, {"election_id": eid})]
            if decision != "pending":
                events += [("decide", "elections.approval", aid, {"election_id": eid})]
        contest_ids: list[tuple[int, str, int]] = []
        if reached(status, "plan_approved"):
            posts = [("committee_member", seats), ("secretary", 1)] if has_committee else [("secretary", 1)]
            stage = "preliminary"
            if reached(status, "candidates_submitted"):
                stage = "provisional" if status == "candidates_submitted" else "candidate"
            pool = iter(people)
            for position, (post, n) in enumerate(posts):
                cid = nid("contest")
                contests.append(
                    {
                        "id": cid,
                        "election_id": eid,
                        "post": post,
                        "seats": n,
                        "position": position,
                        "seats_reduced": 0,
                        "reduction_consent": "",
                    }
                )
                contest_ids.append((cid, post, n))
                short = rng.random() < 0.1  # surplus_low
                count = n if (short or post == "secretary") else n + max(1, -(-n // 5))
                for _ in range(count):
                    candidate_id = nid("candidate")
                    candidates.append(
                        {
                            "id": candidate_id,
                            "contest_id": cid,
                            "member_id": next(pool),
                            "stage": stage,
                            "vetting": "",
                            "profile": "",
                            "order": None,
                        }
                    )
                    events.append(("set_candidate", "elections.candidate", candidate_id, {"contest_id": cid}))
            # The candidates' notice: running today for the plan_approved ones.
            notice_id = nid("notice")
            running = status == "plan_approved"
            starts = today - timedelta(days=2) if running else t0 + timedelta(days=15)
            notices.append(
                {
                    "id": notice_id,
                    "election_id": eid,
                    "kind": "candidates",
                    "body": "候选人初步人选公示",
                    "starts_on": min(starts, today),
                    "ends_on": starts + timedelta(days=7),
                    "published_by": "bench",
                }
            )
            events.append(("publish_notice", "elections.publicnotice", notice_id, {"election_id": eid}))
            if rng.random() < 0.2:
                for _ in range(int(rng.integers(1, 4))):
                    answered = rng.random() < 0.5 or (
                        reached(status, "candidates_submitted") and rng.random() < 0.8
                    )
                    objections.append(
                        {
                            "notice_id": notice_id,
                            "content": "反映的问题",
                            "lodged_on": min(today, starts + timedelta(days=1)),
                            "lodged_by": "",
                            "answer": "已核实" if answered else "",
                            "answered_on": min(today, starts + timedelta(days=3)) if answered else None,
                            "answered_by": "bench" if answered else "",
                        }
                    )
        if reached(status, "candidates_submitted"):
            aid = nid("approval")
            approved = status != "candidates_submitted"
            consent_on = t0 + timedelta(days=40)
            approvals.append(
                approval(
                    aid,
                    eid,
                    "candidates",
                    t0 + timedelta(days=30),
                    "approved" if approved else "pending",
                    consent_on if approved else None,
                )
            )
            events += [("submit_candidates", "elections.approval", aid, {"election_id": eid})]
        if reached(status, "meeting"):
            held = t0 + timedelta(days=35 if rng.random() < 0.08 else 50)  # some before the consent
            mid = nid("meeting")
            present = max(1, int(full * rng.uniform(0.82, 0.98)))
            meetings.append(
                {
                    "id": mid,
                    "election_id": eid,
                    "kind": "members",
                    "held_on": held,
                    "roll_closed": True,
                    "entitled": full,
                    "present": present,
                    "majority_base": "present",
                    "tie_revote_needs_majority": False,
                    "procedure_adopted": True,
                    "procedure_votes": "",
                    "closed": reached(status, "results_submitted"),
                }
            )
            events.append(("open_meeting", "elections.meeting", mid, {"election_id": eid}))
            many = 3000 if eid == target else min(present, 30)
            events += [
                ("mark_present", "elections.attendance", 10_000_000 + j, {"meeting_id": mid})
                for j in range(many)
            ]
            cid, post, n = contest_ids[0]
            outcome = rng.random()
            number = 1
            if outcome < 0.04 or outcome > 0.96:
                bad = "meeting_invalid" if outcome < 0.04 else "round_void"
                rid = nid("round")
                rounds.append(round_row(rid, cid, mid, number, n, bad, full, present))
                number += 1
            rid = nid("round")
            rounds.append(round_row(rid, cid, mid, number, n, "complete", full, present))
            events.append(("open_round", "elections.round", rid, {"contest_id": cid}))
            events += [
                ("record_ballot", "elections.ballotentry", 20_000_000 + j, {"round": rid})
                for j in range(many)
            ]
            events.append(("close_round", "elections.round", rid, {"contest_id": cid}))
            if reached(status, "results_submitted"):
                aid = nid("approval")
                late = rng.random() < 0.15
                reported = min(today, held + timedelta(days=int(rng.integers(20, 40)) if late else 7))
                approvals.append(
                    approval(
                        aid,
                        eid,
                        "results",
                        reported,
                        "approved" if status == "completed" else "pending",
                        reported + timedelta(days=3) if status == "completed" else None,
                    )
                )
                events.append(("submit_results", "elections.approval", aid, {"election_id": eid}))
                notice_id = nid("notice")
                notices.append(
                    {
                        "id": notice_id,
                        "election_id": eid,
                        "kind": "results",
                        "body": "选举结果公示",
                        "starts_on": held + timedelta(days=1),
                        "ends_on": held + timedelta(days=6),
                        "published_by": "bench",
                    }
                )
        if status == "voided":
            elections.append(
                {
                    **elections[-1],
                    "id": nid("election"),
                    "status": "planning",
                    "reopened_from_id": eid,
                    "created_at": datetime.combine(today - timedelta(days=3), datetime.min.time(), UTC),
                }
            )
        audit_plan.append((eid, t0, events))
    # A running notice at the root and the township, for the member's notice list.
    for org in (root, town):
        eid = nid("election")
        elections.append(
            {
                "id": eid,
                "organization_id": org.pk,
                "status": "plan_approved",
                "has_committee": True,
                "committee_seats": 7,
                "deputy_seats": 0,
                "term_years": 5,
                "planned_on": today + timedelta(days=30),
                "readiness": "",
                "composition": "",
                "minimum_party_age": 0,
                "created_at": datetime.combine(today - timedelta(days=30), datetime.min.time(), UTC),
                "reopened_from_id": None,
            }
        )
        notices.append(
            {
                "id": nid("notice"),
                "election_id": eid,
                "kind": "candidates",
                "body": "候选人初步人选公示",
                "starts_on": today - timedelta(days=1),
                "ends_on": today + timedelta(days=5),
                "published_by": "bench",
            }
        )

    # Misconduct reports: about half as many as elections, handled by the parent organization.
    reports = []
    election_orgs = [(e["id"], e["organization_id"]) for e in elections]
    path_of = {p[0]: p[1] for p in picked}
    path_of[root.pk], path_of[town.pk] = root.path, town.path
    for k in range(max(30, len(picked) // 2)):
        eid, org_id = election_orgs[int(rng.integers(0, len(election_orgs)))]
        path = path_of[org_id]
        handler = parent_path.get(path[:-4], root.pk) if len(path) > 4 else root.pk
        status = ["received", "investigating", "concluded"][int(rng.choice(3, p=[0.4, 0.2, 0.4]))]
        received = today - timedelta(days=int(rng.integers(1, 300)))
        reports.append(
            {
                "id": f"{k:08x}-0000-4000-8000-{k:012x}",
                "organization_id": org_id,
                "election_id": eid if rng.random() < 0.8 else None,
                "handled_by_id": handler,
                "category": "canvassing",
                "content": "举报内容",
                "status": status,
                "received_on": received,
                "reporter_id": None,
                "follow_up_locator": f"B{k:07d}",
                "follow_up_hash": "bench",
                "handled_by_name": "",
                "findings": "",
                "conclusion": "unsubstantiated" if status == "concluded" else "",
                "concluded_on": received + timedelta(days=1) if status == "concluded" else None,
            }
        )

    # Reserve pool: 2-8 people in each of a few thousand organizations.
    reserve_orgs = list(
        Organization.objects.filter(dissolved_on__isnull=True, member_count__gte=12)
        .order_by("?")
        .values_list("pk", flat=True)[:n_reserve]
    )
    reserve_members: dict[int, list[int]] = {}
    for org_id, member_id in (
        Member.objects.filter(organization_id__in=reserve_orgs)
        .order_by("organization_id", "id")
        .values_list("organization_id", "id")
    ):
        reserve_members.setdefault(org_id, []).append(member_id)
    reserve = []
    for org_id in reserve_orgs:
        people = reserve_members.get(org_id, [])
        for member_id in rng.choice(
            people, min(len(people), int(rng.integers(2, 9))), replace=False
        ).tolist():
            status = ["in_pool", "nominated", "elected", "left"][int(rng.choice(4, p=[0.7, 0.1, 0.1, 0.1]))]
            reserve.append(
                {
                    "organization_id": org_id,
                    "member_id": member_id,
                    "put_forward_on": today - timedelta(days=int(rng.integers(30, 900))),
                    "reason": "德才兼备",
                    "put_forward_by": "bench",
                    "status": status,
                    "left_on": today - timedelta(days=10) if status == "left" else None,
                    "left_reason": "",
                }
            )

    # The audit chain: valid hashes, in order, as record() would have written them.
    audit = []
    previous = "0" * 64
    clock = datetime.combine(today - timedelta(days=400), datetime.min.time(), UTC)
    for _eid, _t0, events in audit_plan:
        for action, object_type, object_id, after in events:
            clock += timedelta(seconds=37)
            entry = AuditRecord(
                at=clock,
                actor="bench",
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                summary="",
                before=None,
                after=after,
                previous_hash=previous,
            )
            entry.hash = entry.compute_hash()
            previous = entry.hash
            audit.append(
                {
                    "id": len(audit) + 1,
                    "at": entry.at,
                    "actor": "bench",
                    "action": action,
                    "object_type": object_type,
                    "object_id": str(object_id),
                    "summary": "",
                    "before": None,
                    "after": after,
                    "previous_hash": entry.previous_hash,
                    "hash": entry.hash,
                }
            )

    with transaction.atomic(), connection.cursor() as cursor:
        copy_model(cursor, Election, [e for e in elections if e["reopened_from_id"] is None])
        copy_model(cursor, Election, [e for e in elections if e["reopened_from_id"] is not None])
        copy_model(cursor, Approval, approvals)
        copy_model(cursor, Contest, contests)
        copy_model(cursor, Candidate, candidates)
        copy_model(cursor, PublicNotice, notices)
        copy_model(cursor, Objection, objections)
        copy_model(cursor, Meeting, meetings)
        copy_model(cursor, Round, rounds)
        copy_model(cursor, Report, reports)
        copy_model(cursor, ReservePerson, reserve)
        copy_model(cursor, AuditRecord, audit)
        ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": previous, "count": len(audit)})
    return {
        "elections": len(elections),
        "approvals": len(approvals),
        "contests": len(contests),
        "candidates": len(candidates),
        "meetings": len(meetings),
        "rounds": len(rounds),
        "notices": len(notices),
        "objections": len(objections),
        "reports": len(reports),
        "reserve people": len(reserve),
        "reserve organizations": len(reserve_orgs),
        "audit records": len(audit),
        "target election": target,
    }


def approval(aid: int, eid: int, kind: str, on: date, decision: str, decided: date | None) -> dict[str, Any]:
    return {
        "id": aid,
        "election_id": eid,
        "kind": kind,
        "submitted_on": on,
        "submitted_by": "bench",
        "content": {},
        "decision": decision,
        "decided_on": decided,
        "decided_by": "bench" if decided else "",
        "document": "",
        "comments": "",
    }


def round_row(
    rid: int, cid: int, mid: int, number: int, seats: int, status: str, full: int, present: int
) -> dict[str, Any]:
    issued = present
    returned = present + 2 if status == "round_void" else present
    return {
        "id": rid,
        "contest_id": cid,
        "meeting_id": mid,
        "number": number,
        "kind": "regular",
        "seats": seats,
        "issued": issued,
        "returned": returned,
        "closed": True,
        "result": {
            "format": "xuanju.result/1",
            "status": status,
            "seats": seats,
            "ballots": {"issued": issued, "returned": returned, "valid": returned, "invalid": 0, "void": 0},
        },
    }


def township_of_interest() -> Any:
    """monitor.py's mid-level account: the township party committee with the most children."""
    from xuanju.organizations.models import Organization

    towns = Organization.objects.filter(depth=2, kind="party_committee", sector="township")
    return max(towns, key=lambda o: o.numchild)


# --- timing ------------------------------------------------------------------------------------


def explain_slow(client: Any, rows: Iterable[Timing]) -> None:
    """EXPLAIN (ANALYZE) the five slowest statements of each page over SLOW_MS."""
    for row in rows:
        if row.best <= SLOW_MS:
            continue
        with capture_sql() as queries:
            client.get(row.url)
        print(
            f"\n-- EXPLAIN for {row.label} ({len(queries)} queries, {sum(q[2] for q in queries):.0f} ms in SQL)"
        )
        for sql, params, ms in sorted(queries, key=lambda q: -q[2])[:5]:
            if ms < 5 or not sql.lstrip().upper().startswith("SELECT"):
                continue
            result = explain(sql, params)
            print(f"  {ms:7.1f} ms  {' '.join(sql.split())[:150]}…")
            print(f"           EXPLAIN: {result['ms']:.1f} ms (+{result['planning_ms']:.1f} planning)")
            scans = [s for s in result["scans"] if not s.endswith("(0 rows)")]
            for scan in scans[:12]:
                print(f"             {scan}")
            if len(scans) > 12:
                print(f"             … and {len(scans) - 12} more scan nodes")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 100,000 organizations")
    parser.add_argument("--db", default=DEFAULT_DB, help="benchmark database (must start with xuanju_bench)")
    parser.add_argument("--reuse", action="store_true", help="reuse the database if seeded at this scale")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database and exit")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per page (after one warm-up)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress when redirected
    if not args.db.startswith("xuanju_bench") or args.db in PROTECTED_DATABASES:
        parser.error("the benchmark database's name must start with xuanju_bench")
    if args.drop:
        monitor.drop_database(args.db)
        print(f"dropped database {args.db}")
        return 0
    print(f"xuanju supervision benchmark: scale {args.scale}, database {args.db}")
    print(f"python {platform.python_version()}, psycopg {psycopg.__version__}, cores {os.cpu_count()}")
    reuse = args.reuse and monitor.database_exists(args.db) and monitor.seeded_scale(args.db) == args.scale
    if not reuse:
        monitor.drop_database(args.db)
        monitor.create_database(args.db)
    monitor.setup_django(args.db)

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from xuanju.accounts.models import Role, User
    from xuanju.elections.models import Election, PublicNotice
    from xuanju.organizations.models import Organization

    today = timezone.localdate()
    print(f"django {django.get_version()}")
    call_command("migrate", interactive=False, verbosity=0)
    if reuse:
        print("reusing the seeded database")
    else:
        started = time.perf_counter()
        seed_county(args.db, args.scale, today)
        counts = seed_supervision(args.scale, today)
        print("supervision rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        with psycopg.connect(PG + args.db, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            conn.execute("CREATE TABLE bench_meta (scale double precision, seeded_on date, target integer)")
            conn.execute(
                "INSERT INTO bench_meta VALUES (%s, %s, %s)", [args.scale, today, counts["target election"]]
            )
        print(
            f"seeding time (county, supervision rows, VACUUM ANALYZE): {time.perf_counter() - started:.1f} s"
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT target FROM bench_meta")
        target_id = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")
    root = Organization.objects.get(depth=1)
    town = township_of_interest()
    branch = (
        Organization.objects.filter(path__startswith=town.path, kind="branch", dissolved_on__isnull=True)
        .order_by("path")
        .first()
    )
    users = {}
    for username, org, role in (
        ("bench_county", root, Role.ORGANIZATION_DEPARTMENT),
        ("bench_town", town, Role.ORGANIZATION_DEPARTMENT),
        ("bench_inspector", root, Role.INSPECTOR),
        ("bench_member", branch, Role.MEMBER),
    ):
        users[username], _ = User.objects.get_or_create(
            username=username, defaults={"organization": org, "role": role}
        )
    target = Election.objects.select_related("organization").get(pk=target_id)
    running = PublicNotice.objects.filter(starts_on__lte=today, ends_on__gte=today).count()
    print(
        f"root: {root.name} ({Organization.objects.count():,} organizations); township: {town.name}; "
        f"trail election #{target.pk} of {target.organization.name}; running notices: {running:,}"
    )

    compliance = reverse("compliance")
    export = reverse("compliance_export")
    trail = reverse("election_trail", args=[target.pk])
    pages = {
        "bench_county": [
            ("compliance", compliance),
            ("compliance ?kind=overdue", compliance + "?kind=overdue"),
            ("compliance ?kind=results_late", compliance + "?kind=results_late"),
            ("compliance ?org=township", compliance + f"?org={town.pk}"),
            ("compliance export", export),
            ("compliance export ?kind=results_late", export + "?kind=results_late"),
            ("election trail", trail),
            ("reserve depth: root", reverse("reserve_depth", args=[root.pk])),
            ("reserve depth: root ?show=due", reverse("reserve_depth", args=[root.pk]) + "?show=due"),
            ("reserve depth export: root", reverse("reserve_depth_export", args=[root.pk])),
        ],
        "bench_town": [
            ("compliance", compliance),
            ("compliance ?kind=overdue", compliance + "?kind=overdue"),
            ("compliance export", export),
            ("election trail", trail),
            ("reserve depth: township", reverse("reserve_depth", args=[town.pk])),
            ("reserve depth export: township", reverse("reserve_depth_export", args=[town.pk])),
        ],
        "bench_inspector": [
            ("compliance", compliance),
            ("compliance ?kind=open_report", compliance + "?kind=open_report"),
            ("compliance ?org=township", compliance + f"?org={town.pk}"),
            ("compliance export", export),
            ("election trail", trail),
        ],
        "bench_member": [("notice list", reverse("notice_list"))],
    }
    titles = {
        "bench_county": f"county organization department ({root.name})",
        "bench_town": f"township organization department ({town.name})",
        "bench_inspector": f"county inspector ({root.name})",
        "bench_member": f"member of {branch.name}",
    }
    for username, listed in pages.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[username])
        rows = [time_page(client, label, url, args.repeats) for label, url in listed]
        print_timings(f"{titles[username]}, {args.repeats} repeats", rows)
        explain_slow(client, rows)
    print(
        "\nPages are timed through django.test.Client (no network); 'SQL ms' is the time spent in the database "
        "driver during one extra request. Never pass/fail: read the figures (benchmarks/README.md)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
