"""The county-wide view at scale: 100,000 organizations and 3,000,000 members on PostgreSQL.

Run from the repository root (PostgreSQL at 127.0.0.1:5432, user postgres, trust auth)::

    .venv/bin/python benchmarks/monitor.py --scale 0.01    # 1,000 organizations, 30,000 members
    .venv/bin/python benchmarks/monitor.py                 # full scale (several minutes to seed)
    .venv/bin/python benchmarks/monitor.py --reuse         # time again on the seeded database
    .venv/bin/python benchmarks/monitor.py --drop          # drop the benchmark database and stop

It works only in its own database (``xuanju_bench`` by default; the name must start with
``xuanju_bench``): it creates it, migrates it, seeds it with PostgreSQL COPY, runs VACUUM ANALYZE, and
then times the pages through Django's test client as two organization-department accounts would see
them (one at the root, one at a township party committee). It prints measured figures only, never
pass/fail on time. See benchmarks/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20260601
FULL_ORGANIZATIONS = 100_000
FULL_MEMBERS = 3_000_000
FULL_UNITS = 300  # party committees and general branches directly under the county
PG = "postgresql://postgres@127.0.0.1:5432/"
PROTECTED_DATABASES = {"test", "postgres", "template0", "template1"}


# --- database housekeeping -----------------------------------------------------------------


def admin_connection() -> psycopg.Connection[Any]:
    return psycopg.connect(PG + "postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop_database(name: str) -> None:
    assert name.startswith("xuanju_bench") and name not in PROTECTED_DATABASES
    with admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(name: str) -> None:
    assert name.startswith("xuanju_bench") and name not in PROTECTED_DATABASES
    with admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = PG + name
    data = Path(tempfile.mkdtemp(prefix="xuanju-bench-"))
    (data / "static").mkdir()  # whitenoise looks for it; the pages need no static files here
    os.environ["XUANJU_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xuanju.settings"
    os.environ.pop("XUANJU_DEBUG", None)
    import django

    django.setup()


def seeded_scale(name: str) -> float | None:
    """The scale a completed seed recorded in the benchmark database, if any."""
    with psycopg.connect(PG + name) as conn:
        exists = conn.execute("SELECT to_regclass('bench_meta')").fetchone()
        if exists is None or exists[0] is None:
            return None
        row = conn.execute("SELECT scale FROM bench_meta").fetchone()
        return None if row is None else float(row[0])


# --- the generated county ------------------------------------------------------------------

PLACE = (
    "东西南北上下大小新老石桥河山塘坪湾岭沟庄店集铺营屯口溪泉林花园金银龙凤马牛柳杨安平和兴隆昌盛福寿长永宁清水云"
    "青白红黄松竹梅兰桃李枣槐榆杏樟桂荷莲湖江海滩洲岗坡峪坝堡寨圩浦港"
)
DEPARTMENTS = [
    "办公室",
    "财务科",
    "生产科",
    "技术科",
    "销售部",
    "工程部",
    "后勤保障部",
    "质检科",
    "安全环保部",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = (
    "伟强军勇磊涛斌杰明刚平辉鹏华飞鑫波超宇浩凯建国志峰亮林海东文德忠福生春成荣兵新俊龙江山金贵祥光永武"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华玉兰萍红梅琳婷雪慧燕洁玲桂莉倩佳颖凤琴云珍月芬淑惠晶丹"
ETHNICITIES = ["汉族"] * 90 + [
    "回族",
    "壮族",
    "满族",
    "土家族",
    "苗族",
    "蒙古族",
    "彝族",
    "瑶族",
    "侗族",
    "白族",
]
AREAS = [362321, 362322, 362323, 362324, 362325, 362326, 362329, 362330, 362331, 362334, 360102, 360103]
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = "10X98765432"
STATES = ["in_term", "due_soon", "overdue", "delayed", "delay_limit_near", "advanced"]
STATE_WEIGHTS = [70, 10, 8, 5, 2, 5]


@dataclass
class Org:
    id: int
    parent: int | None  # index into the list
    name: str
    kind: str
    sector: str
    depth: int = 0
    path: str = ""
    numchild: int = 0
    size: int = 0  # members directly on its roster
    children: list[int] = field(default_factory=list)
    dissolved: bool = False


def place(rng: np.random.Generator) -> str:
    a, b = rng.choice(len(PLACE), 2, replace=False)
    return PLACE[a] + PLACE[b]


def build_tree(n_orgs: int, n_units: int, rng: np.random.Generator) -> list[Org]:
    """Root county → ``n_units`` party committees and general branches → (general branches →) branches."""
    orgs = [Org(1, None, "中共基准县委员会", "party_committee", "other")]

    def add(parent: int, name: str, kind: str, sector: str) -> int:
        orgs.append(Org(len(orgs) + 1, parent, name, kind, sector))
        orgs[parent].children.append(len(orgs) - 1)
        return len(orgs) - 1

    unit_types = ["township", "organs", "enterprise", "school", "community", "general_branch"]
    types = rng.choice(len(unit_types), n_units, p=[0.4, 0.15, 0.15, 0.1, 0.12, 0.08])
    types[0] = 0  # at least one township, for the mid-level account
    budgets = rng.gamma(2.0, 1.0, n_units)
    budgets = np.maximum(2, np.floor(budgets / budgets.sum() * (n_orgs - 1 - n_units))).astype(int)
    budgets[0] += n_orgs - 1 - n_units - budgets.sum()  # the first unit takes the remainder
    for unit_index in range(n_units):
        kind_name = unit_types[types[unit_index]]
        town = place(rng)
        if kind_name == "township":
            unit = add(0, f"中共{town}镇委员会", "party_committee", "township")
            child_sector, label = "village", lambda _n: f"{place(rng)}村"
        elif kind_name == "organs":
            unit = add(0, f"中共基准县{town}系统委员会", "party_committee", "other")
            child_sector, label = "state_organ", lambda _n: f"{place(rng)}局"
        elif kind_name == "enterprise":
            unit = add(0, f"中共基准县{town}集团有限公司委员会", "party_committee", "enterprise")
            child_sector, label = "enterprise", lambda n: f"{DEPARTMENTS[n % len(DEPARTMENTS)]}第{n + 1}"
        elif kind_name == "school":
            unit = add(0, f"中共基准县{town}教育集团委员会", "party_committee", "school")
            child_sector, label = "school", lambda n: f"{place(rng)}学校第{n + 1}"
        elif kind_name == "community":
            unit = add(0, f"中共{town}街道委员会", "party_committee", "community")
            child_sector, label = "community", lambda n: f"{place(rng)}社区第{n + 1}网格"
        else:
            unit = add(0, f"中共基准县{town}医院总支部委员会", "general_branch", "institution")
            child_sector, label = "institution", lambda n: f"{DEPARTMENTS[n % len(DEPARTMENTS)]}第{n + 1}"
        base = orgs[unit].name.removesuffix("委员会").removesuffix("总支部")
        budget, n = int(budgets[unit_index]), 0
        while budget > 0:
            if orgs[unit].kind == "party_committee" and budget >= 4 and rng.random() < 0.06:
                group = add(unit, f"{base}{label(n)}总支部委员会", "general_branch", child_sector)
                branches = min(budget - 1, int(rng.integers(3, 9)))
                for k in range(branches):
                    add(
                        group,
                        f"{orgs[group].name.removesuffix('总支部委员会')}第{k + 1}支部委员会",
                        "branch",
                        child_sector,
                    )
                budget -= branches + 1
            else:
                add(unit, f"{base}{label(n)}支部委员会", "branch", child_sector)
                budget -= 1
            n += 1
    assert len(orgs) == n_orgs, (len(orgs), n_orgs)
    return orgs


def assign_paths(orgs: list[Org]) -> None:
    """Materialized paths exactly as treebeard builds them: siblings in name order (node_order_by)."""
    from xuanju.organizations.models import Organization

    orgs[0].depth, orgs[0].path = 1, Organization._get_path(None, 1, 1)
    stack = [0]
    while stack:
        index = stack.pop()
        parent = orgs[index]
        parent.children.sort(key=lambda i: orgs[i].name)
        parent.numchild = len(parent.children)
        for step, child in enumerate(parent.children, start=1):
            orgs[child].depth = parent.depth + 1
            orgs[child].path = Organization._get_path(parent.path, parent.depth + 1, step)
            stack.append(child)


def assign_sizes(orgs: list[Org], n_members: int, rng: np.random.Generator) -> int:
    """Members per organization; returns the index of one deliberately large branch."""
    branches = [i for i, o in enumerate(orgs) if o.kind == "branch"]
    for org in orgs:
        if org.kind != "branch":
            org.size = 11 if org.kind == "party_committee" else 9  # its committee and a few more
    rest = n_members - sum(o.size for o in orgs)
    large = branches[len(branches) // 3]
    large_size = max(200, n_members // 1500)  # 2,000 at full scale
    sizes = rng.gamma(2.2, 14.0, len(branches)) + 2
    sizes = np.floor(sizes / sizes.sum() * (rest - large_size)).astype(int)
    sizes = np.maximum(sizes, 2)
    for i, size in zip(branches, sizes.tolist(), strict=True):
        orgs[i].size = size
    orgs[large].size = large_size
    orgs[large].name = orgs[large].name.removesuffix("支部委员会") + "联合支部委员会"
    diff = n_members - sum(o.size for o in orgs)
    step = 1 if diff > 0 else -1
    k = 0
    while diff:
        i = branches[k % len(branches)]
        if i != large and orgs[i].size + step >= 2:
            orgs[i].size += step
            diff -= step
        k += 1
    return large


# --- COPY ------------------------------------------------------------------------------------


def unlisted_defaults(table: str, columns: Sequence[str]) -> dict[str, Any]:
    """The model's defaults of the NOT NULL columns that ``columns`` leave out: a field added to the
    model after this seed was written (a profile column, a seat's decision) takes its default."""
    from django.apps import apps

    listed = {c.strip('"') for c in columns}
    for model in apps.get_models():
        if model._meta.db_table == table:
            return {
                f.column: f.get_default()
                for f in model._meta.concrete_fields
                if f.column not in listed and not f.null and not f.primary_key and f.get_default() is not None
            }
    return {}


def copy_rows(cursor: Any, table: str, columns: Sequence[str], lines: Iterator[str]) -> None:
    """Stream tab-separated ``lines`` into ``table`` with COPY FROM STDIN."""
    from psycopg import sql

    defaults = unlisted_defaults(table, columns)
    for column, value in defaults.items():  # for the COPY only: the schema keeps Django's (no default)
        cursor.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}")
            .format(sql.Identifier(table), sql.Identifier(column), sql.Literal(value))
            .as_string(cursor.connection)
        )
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for n, line in enumerate(lines, start=1):
            buffer.write(line)
            if n % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    for column in defaults:
        cursor.execute(
            sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT")
            .format(sql.Identifier(table), sql.Identifier(column))
            .as_string(cursor.connection)
        )


def iso(days: np.ndarray[Any, Any]) -> list[str]:
    """Day numbers since 1970-01-01 as ISO date strings."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").tolist()


def id_numbers(
    area: np.ndarray[Any, Any], birth: np.ndarray[Any, Any], seq: np.ndarray[Any, Any]
) -> list[str]:
    """18-digit resident ID numbers with GB 11643 check digits, vectorized."""
    ymd = np.char.replace(np.datetime_as_string(birth.astype("datetime64[D]"), unit="D"), "-", "").astype(
        np.int64
    )
    first17 = area.astype(np.int64) * 10**11 + ymd * 1000 + seq
    digits = np.empty((len(first17), 17), dtype=np.int64)
    value = first17.copy()
    for position in range(16, -1, -1):
        digits[:, position] = value % 10
        value //= 10
    checks = (digits @ ID_WEIGHTS) % 11
    return [f"{n:017d}{ID_CHECK[c]}" for n, c in zip(first17.tolist(), checks.tolist(), strict=True)]


def member_lines(first_id: int, c: dict[str, list[Any]]) -> Iterator[str]:
    """Members as COPY text lines, from columns already converted to Python lists."""
    null = "\\N"
    for k in range(len(c["organization"])):
        female = c["female"][k]
        chars = GIVEN_FEMALE if female else GIVEN_MALE
        given = chars[c["g1"][k] % len(chars)] + (chars[c["g2"][k] % len(chars)] if c["two"][k] else "")
        probationary = c["probationary"][k]
        yield (
            f"{first_id + k}\t{c['organization'][k]}\t{SURNAMES[c['surname'][k]]}{given}\t"
            f"{'女' if female else '男'}\t{ETHNICITIES[c['ethnicity'][k]]}\t{c['birth'][k]}\t{c['joined'][k]}\t"
            f"{null if probationary else c['full_on'][k]}\t{'probationary' if probationary else 'full'}\t"
            f"{c['phone_prefix'][k]}{c['phone'][k]:09d}\t{c['id_number'][k]}\t{null}\n"
        )


def seed(
    orgs: list[Org], n_members: int, today: date, rng: np.random.Generator, report: Callable[[str], None]
) -> dict[str, Any]:
    """Write organizations, members, committees, seats, adjustments, restrictions and reminders."""
    from django.db import connection, transaction

    from xuanju.rules.terms import OrganizationKind, Sector, add_months, term_end, term_status, term_years

    epoch = date(1970, 1, 1)
    today_n = (today - epoch).days
    n = n_members
    starts = np.zeros(len(orgs), dtype=np.int64)
    sizes = np.array([o.size for o in orgs], dtype=np.int64)
    starts[1:] = np.cumsum(sizes)[:-1]
    org_of = np.repeat(np.arange(len(orgs)), sizes)
    position = np.arange(n) - starts[org_of]
    # People.
    female = rng.random(n) < 0.32
    probationary = (rng.random(n) < 0.06) & (position >= 9)  # committee seats go to the first nine
    age_days = (rng.triangular(22, 48, 88, n) * 365.25).astype(np.int64)
    age_days[probationary] = (rng.uniform(20, 38, int(probationary.sum())) * 365.25).astype(np.int64)
    birth = today_n - age_days
    span = np.maximum(0, np.minimum(age_days - 19 * 366, 27 * 365))
    joined = birth + 18 * 366 + (rng.random(n) ** 1.3 * span).astype(np.int64)
    joined[probationary] = today_n - rng.integers(20, 350, int(probationary.sum()))
    full_on = joined + 365
    # Unique ID numbers by construction: the k-th person born on a day gets area k // 500 and
    # sequence 2 * (k % 500) + (1 for men, 0 for women), so the 17th digit's parity is the gender.
    order = np.argsort(birth, kind="stable")
    sorted_birth = birth[order]
    group_start = np.r_[0, np.flatnonzero(np.diff(sorted_birth)) + 1]
    run = np.repeat(group_start, np.diff(np.r_[group_start, n]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - run
    assert rank.max() // 500 < len(AREAS), "too many people born on one day for the area codes"
    area = np.array(AREAS)[rank // 500]
    seq = 2 * (rank % 500) + (~female).astype(np.int64)
    surname_p = 1.0 / (1 + np.arange(len(SURNAMES)) * 0.35)
    surname = rng.choice(len(SURNAMES), n, p=surname_p / surname_p.sum())
    g1 = rng.integers(0, 1000, n)
    g2 = rng.integers(0, 1000, n)
    two = rng.random(n) < 0.7
    ethnicity = rng.integers(0, len(ETHNICITIES), n)
    phone = rng.integers(0, 10**9, n)
    phone_prefix = rng.choice(np.array([13, 15, 17, 18, 19]), n)

    counts: dict[str, Any] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # The data is generated consistent; skipping the foreign-key triggers during COPY saves minutes.
        cursor.execute("SET session_replication_role = replica")
        started = time.perf_counter()
        full_counts = np.bincount(org_of[~probationary], minlength=len(orgs))
        # Subtree counts, as actions.recount_members keeps them: children come after their parents.
        subtree_full = [int(full_counts[i]) for i in range(len(orgs))]
        subtree_total = [o.size for o in orgs]
        for i in range(len(orgs) - 1, 0, -1):
            parent = orgs[i].parent
            if parent is not None:
                subtree_full[parent] += subtree_full[i]
                subtree_total[parent] += subtree_total[i]
        copy_rows(
            cursor,
            "organizations_organization",
            [
                "id",
                "path",
                "depth",
                "numchild",
                "name",
                "kind",
                "sector",
                "approved_committee_size",
                "dissolved_on",
                "full_member_count",
                "member_count",
                "subtree_full_member_count",
                "subtree_member_count",
                "has_standing_committee",
                "kind_approval",
            ],
            (
                f"{o.id}\t{o.path}\t{o.depth}\t{o.numchild}\t{o.name}\t{o.kind}\t{o.sector}\t"
                f"{committee_size(o, int(full_counts[i])) if o.kind != 'branch' else chr(92) + 'N'}\t"
                f"{(today - timedelta(days=400)).isoformat() if o.dissolved else chr(92) + 'N'}\t"
                f"{int(full_counts[i])}\t{o.size}\t{subtree_full[i]}\t{subtree_total[i]}\tf\t\n"
                for i, o in enumerate(orgs)
            ),
        )
        report(f"organizations: {len(orgs):,} rows in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        for lo in range(0, n, 500_000):
            hi = min(n, lo + 500_000)
            chunk = {
                "birth": iso(birth[lo:hi]),
                "joined": iso(joined[lo:hi]),
                "full_on": iso(full_on[lo:hi]),
                "id_number": id_numbers(area[lo:hi], birth[lo:hi], seq[lo:hi]),
                "female": female[lo:hi].tolist(),
                "probationary": probationary[lo:hi].tolist(),
                "surname": surname[lo:hi].tolist(),
                "g1": g1[lo:hi].tolist(),
                "g2": g2[lo:hi].tolist(),
                "two": two[lo:hi].tolist(),
                "ethnicity": ethnicity[lo:hi].tolist(),
                "phone": phone[lo:hi].tolist(),
                "phone_prefix": phone_prefix[lo:hi].tolist(),
                "organization": (org_of[lo:hi] + 1).tolist(),
            }
            copy_rows(
                cursor,
                "organizations_member",
                [
                    "id",
                    "organization_id",
                    "name",
                    "gender",
                    "ethnicity",
                    "birth_date",
                    "joined_on",
                    "full_member_on",
                    "status",
                    "phone",
                    "id_number",
                    "left_on",
                ],
                member_lines(lo + 1, chunk),
            )
            report(f"members: {hi:,} rows, {time.perf_counter() - started:.1f} s")

        # Committees: a previous one and the current one for every organization, terms spread over
        # every state (R-TERM-1/2), term_end and reelection_due computed by the rules.
        started = time.perf_counter()
        py_rng = np.random.default_rng(SEED + 1)
        state_of = py_rng.choice(len(STATES), len(orgs), p=np.array(STATE_WEIGHTS) / sum(STATE_WEIGHTS))
        state_of[0] = 0
        committees, seats, adjustments, reminders = [], [], [], []
        state_counts = dict.fromkeys(STATES, 0)
        cid = 0
        for i, o in enumerate(orgs):
            years = term_years(OrganizationKind(o.kind), Sector(o.sector))
            state = STATES[state_of[i]]
            elected, approved = election_dates(state, years, today, py_rng, add_months, term_end)
            end = term_end(elected, years)
            status = term_status(elected, years, today, approved).state.value
            assert status == state, (state, status)
            state_counts[state] += 1
            size = committee_size(o, int(full_counts[i]))
            posts = posts_for(o, size)
            has_committee = o.kind != "branch" or full_counts[i] >= 7
            previous = add_months(elected, -12 * years)
            # A dissolved organization keeps its last committee, no longer current (dissolve_organization).
            for current, when in ((False, previous), (True, elected)):
                cid += 1
                e = term_end(when, years)
                due = approved if current and approved is not None else e
                remind = add_months(due, -6)  # R-TERM-3, as term_dates gives it
                committees.append(
                    f"{cid}\t{i + 1}\t{when.isoformat()}\t{years}\t{e.isoformat()}\t{due.isoformat()}\t"
                    f"{remind.isoformat()}\t{'t' if current and not o.dissolved else 'f'}\t{'t' if has_committee else 'f'}\n"
                )
                for k, post in enumerate(posts):
                    seats.append(f"{cid}\t{int(starts[i]) + k + 1}\t{post}\n")
            if approved is not None:
                kind = "delay" if approved > end else "advance"
                adjustments.append(
                    f"{kind}\t{approved.isoformat()}\t{min(today, end) - timedelta(days=30)}\t"
                    f"{(o.parent or 0) + 1}\t{cid}\t基组字〔{today.year}〕{len(adjustments) + 1}号\t经批准{'延期' if kind == 'delay' else '提前'}换届\tf\t\n"
                )
            if state in ("due_soon", "overdue") and i % 7 == 0:
                reminders.append(
                    f"{i + 1}\t{(o.parent or 0) + 1}\t{today.isoformat()} 09:30:00+08\tbench\t{end.isoformat()}\t请按期换届\t\\N\n"
                )
        copy_rows(
            cursor,
            "organizations_committee",
            [
                "id",
                "organization_id",
                "elected_on",
                "term_years",
                "term_end",
                "reelection_due",
                "remind_from",
                "is_current",
                "has_committee",
            ],
            iter(committees),
        )
        copy_rows(cursor, "organizations_committeeseat", ["committee_id", "member_id", "post"], iter(seats))
        copy_rows(
            cursor,
            "organizations_termadjustment",
            [
                "kind",
                "new_date",
                "approved_on",
                "approved_by_id",
                "committee_id",
                "document",
                "reason",
                "exceptional",
                "document_file",
            ],
            iter(adjustments),
        )
        copy_rows(
            cursor,
            "organizations_reminder",
            ["organization_id", "sent_by_id", "sent_at", "sender_name", "due", "message", "read_at"],
            iter(reminders),
        )
        # A few restrictions (R-VOTE-3/4) among members who hold no seat.
        restricted = np.flatnonzero((position >= 9) & ~probationary)[::333]  # about 0.3%
        copy_rows(
            cursor,
            "organizations_restriction",
            ["member_id", "kind", "start", '"end"', "document"],
            (
                f"{m + 1}\tprobation_within_party\t{today - timedelta(days=100)}\t{today + timedelta(days=265)}\t基纪发〔{today.year}〕{k + 1}号\n"
                for k, m in enumerate(restricted.tolist())
            ),
        )
        report(
            f"committees: {len(committees):,}, seats: {len(seats):,}, adjustments: {len(adjustments):,}, "
            f"reminders: {len(reminders):,}, restrictions: {len(restricted):,} in {time.perf_counter() - started:.1f} s"
        )
        for table in (
            "organizations_organization",
            "organizations_member",
            "organizations_committee",
            "organizations_committeeseat",
            "organizations_termadjustment",
            "organizations_reminder",
            "organizations_restriction",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        counts = {
            "committees": len(committees),
            "seats": len(seats),
            "adjustments": len(adjustments),
            "states": state_counts,
        }
    return counts


def committee_size(org: Org, full: int) -> int:
    """The number of seats (R-ORG-2/3/4): township committees 7-9, other party committees 5-9, general
    branches 5-7; branches 3-5 with 7+ full members, else a secretary (and a deputy)."""
    if org.kind == "party_committee":
        return 9 if org.sector == "township" else 7
    if org.kind == "general_branch":
        return 5
    if full >= 7:
        return 5 if full >= 20 else 3
    return 2 if full >= 5 else 1


POSTS = [
    "secretary",
    "deputy_secretary",
    "organization",
    "propaganda",
    "discipline",
    "youth",
    "women",
    "united_front",
    "member",
]


def posts_for(org: Org, size: int) -> list[str]:
    if org.kind == "branch" and size == 3:
        return ["secretary", "organization", "propaganda"]
    return POSTS[:size]


def election_dates(
    state: str, years: int, today: date, rng: np.random.Generator, add_months: Any, term_end: Any
) -> tuple[date, date | None]:
    """An election date (and an approved date within one year, R-TERM-2) that puts the term in ``state``."""

    def days(lo: int, hi: int) -> timedelta:
        return timedelta(days=int(rng.integers(lo, hi + 1)))

    def for_end(end: date) -> date:
        return add_months(end, -12 * years)

    if state == "in_term":
        return add_months(today, -int(rng.integers(2, 12 * years - 7))) - days(0, 25), None
    if state == "due_soon":
        return for_end(today + days(8, 170)), None
    if state == "overdue":
        return for_end(today - days(10, 700)), None
    if state == "delayed":
        elected = for_end(today - days(5, 120))
        return elected, add_months(term_end(elected, years), 12) - days(0, 20)
    if state == "delay_limit_near":
        elected = for_end(today - days(200, 320))
        return elected, add_months(term_end(elected, years), 12)
    elected = for_end(today + days(150, 320))
    return elected, today + days(20, 110)


# --- timing ----------------------------------------------------------------------------------


@dataclass
class Timing:
    label: str
    url: str
    status: int
    best: float
    median: float
    queries: int
    sql_ms: float
    slowest_ms: float
    slowest: str


@contextmanager
def capture_sql() -> Iterator[list[tuple[str, Any, float]]]:
    """Every statement with its parameters and time (ms), through Django's execute wrapper."""
    from django.db import connection

    captured: list[tuple[str, Any, float]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((sql, params, (time.perf_counter() - started) * 1000))

    with connection.execute_wrapper(wrapper):
        yield captured


def time_page(client: Any, label: str, url: str, repeats: int) -> Timing:
    response = client.get(url)  # warm-up: caches, the session, the first-use imports
    status = response.status_code
    samples = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    with capture_sql() as queries:
        client.get(url)
    slowest = max(queries, key=lambda q: q[2]) if queries else ("", None, 0.0)
    return Timing(
        label,
        url,
        status,
        min(samples),
        statistics.median(samples),
        len(queries),
        sum(q[2] for q in queries),
        slowest[2],
        " ".join(slowest[0].split())[:90],
    )


def print_timings(title: str, rows: list[Timing]) -> None:
    print(f"\n== {title}")
    print(
        f"{'page':<42} {'status':>6} {'best ms':>9} {'median ms':>10} {'queries':>8} {'SQL ms':>8} {'slowest SQL ms':>15}"
    )
    for r in rows:
        flag = "  <-- over 300 ms" if r.best > 300 else ""
        print(
            f"{r.label:<42} {r.status:>6} {r.best:>9.1f} {r.median:>10.1f} {r.queries:>8} {r.sql_ms:>8.1f} {r.slowest_ms:>15.1f}{flag}"
        )
    for r in rows:
        if r.slowest_ms > 20:
            print(f"   slowest in {r.label}: {r.slowest}…")


# --- EXPLAIN ---------------------------------------------------------------------------------


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explain(sql: str, params: Any) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    scans = []
    for node in plan_nodes(plan["Plan"]):
        kind = node["Node Type"]
        if "Scan" in kind:
            target = node.get("Relation Name", "")
            index = node.get("Index Name")
            where = f" on {target}" if target else ""
            scans.append(f"{kind}{' ' + index if index else ''}{where} ({node.get('Actual Rows', 0):,} rows)")
    return {
        "ms": plan["Execution Time"],
        "planning_ms": plan["Planning Time"],
        "scans": scans,
        "index": any("Index" in s for s in scans),
        "seq": any(s.startswith("Seq Scan") for s in scans),
    }


def explain_counts(root: Any, today: date) -> None:
    """EXPLAIN ANALYZE of the monitor's queries for ``root``: the one query that counts every bucket,
    and each bucket's first page."""
    from xuanju.organizations.services import MonitorFilters
    from xuanju.rules.terms import TermState

    filters = MonitorFilters(today)
    base = filters.base(root)
    print(f"\n== EXPLAIN (ANALYZE) of the monitor's queries under “{root.name}” (path {root.path})")
    with capture_sql() as queries:
        counts = filters.counts(base)
    sql, params, _ = queries[-1]
    result = explain(sql, params)
    summary = ", ".join(f"{state.value} {n:,}" for state, n in counts.items())
    print(
        f"{'counts (one query)':<22} {result['ms']:>7.1f} ms (+{result['planning_ms']:.1f} planning)  {summary}"
    )
    for scan in result["scans"]:
        print(f"{'':<24}{scan}")
    for state in (
        TermState.OVERDUE,
        TermState.DUE_SOON,
        TermState.DELAY_LIMIT_NEAR,
        TermState.DELAYED,
        TermState.ADVANCED,
    ):
        page = (
            filters.bucket(base, state)
            .select_related("organization")
            .order_by("reelection_due", "organization__path")
        )
        with capture_sql() as queries:
            list(page[:50])
        sql, params, _ = queries[-1]
        result = explain(sql, params)
        index = "index" if result["index"] else "no index"
        seq = ", seq scan" if result["seq"] else ""
        print(
            f"{'page 1 of ' + state.value:<22} {result['ms']:>7.1f} ms (+{result['planning_ms']:.1f} planning)  {index}{seq}"
        )
        for scan in result["scans"]:
            print(f"{'':<24}{scan}")


# --- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of 100,000 organizations / 3,000,000 members"
    )
    parser.add_argument(
        "--db", default="xuanju_bench", help="benchmark database (name must start with xuanju_bench)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database if it was seeded at this scale"
    )
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database and exit")
    parser.add_argument("--repeats", type=int, default=5, help="timed requests per page (after one warm-up)")
    args = parser.parse_args(argv)
    if not args.db.startswith("xuanju_bench") or args.db in PROTECTED_DATABASES:
        parser.error("the benchmark database's name must start with xuanju_bench")
    if args.drop:
        drop_database(args.db)
        print(f"dropped database {args.db}")
        return 0

    n_orgs = max(100, round(FULL_ORGANIZATIONS * args.scale))
    n_members = max(3000, round(FULL_MEMBERS * args.scale))
    n_units = max(3, round(FULL_UNITS * args.scale))
    print(
        f"xuanju monitor benchmark: scale {args.scale} -> {n_orgs:,} organizations, {n_members:,} members, {n_units} units under the root"
    )
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, psycopg {psycopg.__version__}, cores {os.cpu_count()}"
    )

    reuse = args.reuse and database_exists(args.db) and seeded_scale(args.db) == args.scale
    if not reuse:
        drop_database(args.db)
        create_database(args.db)
    setup_django(args.db)

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xuanju.accounts.models import Role, User
    from xuanju.organizations.models import Member, Organization
    from xuanju.organizations.services import MonitorFilters
    from xuanju.rules.terms import TermState

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"django {django.get_version()}, PostgreSQL {cursor.fetchone()[0]}, database {args.db}")
    today = timezone.localdate()

    if reuse:
        print("reusing the seeded database")
        call_command("migrate", interactive=False, verbosity=0)  # new index migrations, if any
    else:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        total_started = time.perf_counter()
        rng = np.random.default_rng(SEED)
        orgs = build_tree(n_orgs, n_units, rng)
        assign_paths(orgs)
        large = assign_sizes(orgs, n_members, rng)
        for i in range(0, len(orgs), 211):  # a few dissolved organizations (leaves only)
            if orgs[i].kind == "branch" and i != large:
                orgs[i].dissolved = True
        print(
            f"tree built in {time.perf_counter() - total_started:.1f} s; depths: "
            + ", ".join(
                f"{d}: {sum(1 for o in orgs if o.depth == d):,}" for d in sorted({o.depth for o in orgs})
            )
        )
        counts = seed(orgs, n_members, today, rng, lambda text: print("  " + text, flush=True))
        print(f"term states of current committees: {counts['states']}")
        started = time.perf_counter()
        with psycopg.connect(PG + args.db, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            conn.execute("CREATE TABLE bench_meta (scale double precision, seeded_on date)")
            conn.execute("INSERT INTO bench_meta VALUES (%s, %s)", [args.scale, today])
        print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
        print(f"seeding time (tree, COPY, VACUUM ANALYZE): {time.perf_counter() - total_started:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size: {cursor.fetchone()[0]}")
    root = Organization.objects.get(depth=1)
    # The mid-level account: the township party committee with the most organizations beneath it.
    towns = Organization.objects.filter(depth=2, kind="party_committee", sector="township")
    town = max(towns, key=lambda o: o.numchild)
    town_user, _ = User.objects.get_or_create(
        username="bench_town", defaults={"organization": town, "role": Role.ORGANIZATION_DEPARTMENT}
    )
    county_user, _ = User.objects.get_or_create(
        username="bench_county", defaults={"organization": root, "role": Role.ORGANIZATION_DEPARTMENT}
    )
    large = Organization.objects.filter(kind="branch").order_by("-member_count").first()
    branches = Organization.objects.filter(kind="branch", depth=3, dissolved_on__isnull=True).order_by("path")
    branch = branches[branches.count() // 2]  # an ordinary branch in the middle of the tree
    town_branch = (
        Organization.objects.filter(path__startswith=town.path, kind="branch").order_by("path").first()
    )
    print(
        f"root: {root.name} ({Organization.objects.count():,} organizations, {Member.objects.count():,} members)"
    )
    print(
        f"mid-level: {town.name} ({Organization.objects.filter(path__startswith=town.path).count():,} organizations)"
    )
    print(f"large branch: {large.name} ({large.member_count:,} members)")

    n_visible = Organization.objects.filter(dissolved_on__isnull=True).count()
    last_org_page = (n_visible + 49) // 50
    last_member_page = (large.member_count + 49) // 50
    buckets = ["overdue", "due_soon", "delay_limit_near", "delayed", "advanced"]
    filters = MonitorFilters(today)
    overdue_pages = (filters.bucket(filters.base(root), TermState.OVERDUE).count() + 49) // 50
    county = Client(HTTP_HOST="localhost")
    county.force_login(county_user)
    rows = [time_page(county, "monitor", "/monitor/", args.repeats)]
    rows += [
        time_page(county, f"monitor ?bucket={b}", f"/monitor/?bucket={b}", args.repeats) for b in buckets
    ]
    rows += [
        time_page(
            county,
            f"monitor overdue page {overdue_pages}",
            f"/monitor/?bucket=overdue&page={overdue_pages}",
            args.repeats,
        ),
        time_page(county, "organization list", "/organizations/", args.repeats),
        time_page(county, "organization list ?q=石桥", "/organizations/?q=%E7%9F%B3%E6%A1%A5", args.repeats),
        time_page(
            county,
            "organization list ?kind=general_branch",
            "/organizations/?kind=general_branch",
            args.repeats,
        ),
        time_page(
            county,
            f"organization list page {last_org_page // 2}",
            f"/organizations/?page={last_org_page // 2}",
            args.repeats,
        ),
        time_page(
            county,
            f"organization list page {last_org_page}",
            f"/organizations/?page={last_org_page}",
            args.repeats,
        ),
        time_page(county, "organization detail: root", f"/organizations/{root.pk}/", args.repeats),
        time_page(county, "organization detail: branch", f"/organizations/{branch.pk}/", args.repeats),
        time_page(county, "member list: large branch", f"/organizations/{large.pk}/members/", args.repeats),
        time_page(
            county,
            f"member list: page {last_member_page}",
            f"/organizations/{large.pk}/members/?page={last_member_page}",
            args.repeats,
        ),
        time_page(
            county,
            "member list: search by name",
            f"/organizations/{large.pk}/members/?q=%E7%8E%8B",
            args.repeats,
        ),
    ]
    print_timings(
        f"county organization department at the root ({county_user.username}), {args.repeats} repeats", rows
    )

    township = Client(HTTP_HOST="localhost")
    township.force_login(town_user)
    rows = [time_page(township, "monitor", "/monitor/", args.repeats)]
    rows += [
        time_page(township, f"monitor ?bucket={b}", f"/monitor/?bucket={b}", args.repeats) for b in buckets
    ]
    rows += [
        time_page(township, "organization list", "/organizations/", args.repeats),
        time_page(township, "organization list ?q=村", "/organizations/?q=%E6%9D%91", args.repeats),
        time_page(township, "organization detail: own", f"/organizations/{town.pk}/", args.repeats),
        time_page(township, "organization detail: branch", f"/organizations/{town_branch.pk}/", args.repeats),
        time_page(township, "member list: branch", f"/organizations/{town_branch.pk}/members/", args.repeats),
    ]
    print_timings(f"township organization department ({town.name}), {args.repeats} repeats", rows)

    explain_counts(root, timezone.localdate())
    explain_counts(town, timezone.localdate())
    print(
        "\nPages are timed through django.test.Client (no network); 'SQL ms' is the time spent in the database "
        "driver during one extra request. Never pass/fail: read the figures (benchmarks/README.md)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
