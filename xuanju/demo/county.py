"""The demo data that ``xuanju serve`` loads into an empty database (and ``xuanju demo`` on request).

A fictional county, 中共示范县委员会, with township, state-organ, school, enterprise, hospital,
community and "two new" party committees, general branches and branches: about a hundred
organizations and three thousand members with realistic (generated) names, dates, phones and ID
numbers. Every organization has a current committee whose seats are its own full members; the
election dates are chosen relative to ``today`` so that the re-election monitor shows every term
state (R-TERM-1/2/3). A few organizations are deliberately out of line with R-ORG so that the
findings have something to show.

Everything is generated from a fixed seed, so two loads on the same day give the same data. The load
writes rows in bulk and appends one audit record for the whole load (R-SUP-4), not thousands.

The county's shape is :mod:`xuanju.demo.county_tree`, its people :mod:`xuanju.demo.people`; this
module gives them committees and terms and loads them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.accounts.models import Role, User
from xuanju.audit.trail import record
from xuanju.demo.county_tree import BR, COUNTY, FORCED_STATES, GB, PC, STATE_WEIGHTS, _county_tree, _Spec
from xuanju.demo.people import _People
from xuanju.organizations.actions import recount_members, set_term_dates
from xuanju.organizations.models import (
    Committee,
    CommitteeSeat,
    Member,
    Organization,
    Reminder,
    Restriction,
    TermAdjustment,
)
from xuanju.rules.organizations import MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE
from xuanju.rules.terms import (
    TermState,
    add_months,
    adjustment_problem,
    term_end,
    term_status,
    term_years,
)
from xuanju.rules.voting import RestrictionKind

SEED = 20260701
PASSWORD = "xuanju-demo-2026"


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    members: int
    password: str
    accounts: list[tuple[str, str]]  # (username, Chinese description)


def demo_is_loaded() -> bool:
    """True when the database already holds organizations (the demo loads only into an empty one)."""
    return Organization.objects.exists()


# --- committees and terms -----------------------------------------------------------------

BRANCH_POSTS = ["secretary", "organization", "propaganda", "discipline", "youth"]
BRANCH_POSTS_5 = ["secretary", "deputy_secretary", "organization", "propaganda", "discipline"]
PARTY_POSTS = [
    "secretary",
    "deputy_secretary",
    "deputy_secretary",
    "organization",
    "propaganda",
    "discipline",
    "united_front",
    "women",
    "member",
]
GENERAL_BRANCH_POSTS = [
    "secretary",
    "deputy_secretary",
    "organization",
    "propaganda",
    "discipline",
    "youth",
    "women",
]


def _posts(spec: _Spec, full_members: int) -> tuple[list[str], bool]:
    """The posts of the organization's current body and whether it is a committee (R-ORG-2/3)."""
    if spec.kind == PC:
        size = spec.committee_size or 7
        posts = PARTY_POSTS[:size] if size > 5 else ["secretary", "deputy_secretary", *PARTY_POSTS[3:6]]
        return posts, True
    if spec.kind == GB:
        return GENERAL_BRANCH_POSTS[: spec.committee_size or 5], True
    if spec.secretary_only or full_members < MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE:
        # A secretary and, where there are enough members, one deputy (R-ORG-2).
        return (["secretary", "deputy_secretary"] if full_members >= 5 else ["secretary"]), False
    return (BRANCH_POSTS_5 if full_members >= 20 else BRANCH_POSTS[:3]), True


def _elected_on(state: TermState, years: int, today: date, rng: random.Random) -> tuple[date, date | None]:
    """An election date (and an approved re-election date) that puts a term in ``state`` on ``today``.

    The term end is computed by the rules exactly as ``actions.record_committee`` does (R-TERM-1);
    approved dates stay within one year of it (R-TERM-2).
    """

    def elected_for_end(end: date) -> date:
        return add_months(end, -12 * years)

    for _ in range(20):
        approved: date | None = None
        if state is TermState.IN_TERM:
            elected = add_months(today, -rng.randint(2, 12 * years - 8)) - timedelta(days=rng.randint(0, 25))
        elif state is TermState.DUE_SOON:
            elected = elected_for_end(today + timedelta(days=rng.randint(8, 170)))
        elif state is TermState.OVERDUE:
            elected = elected_for_end(today - timedelta(days=rng.randint(10, 330)))
        elif state is TermState.DELAYED:
            end = today - timedelta(days=rng.randint(5, 120))
            elected = elected_for_end(end)
            approved = add_months(term_end(elected, years), 12) - timedelta(days=rng.randint(0, 20))
        elif state is TermState.DELAY_LIMIT_NEAR:
            # Delayed by the full year the rules allow, and that year is running out.
            end = today - timedelta(days=rng.randint(200, 320))
            elected = elected_for_end(end)
            approved = add_months(term_end(elected, years), 12)
        else:  # ADVANCED
            end = today + timedelta(days=rng.randint(150, 320))
            elected = elected_for_end(end)
            approved = today + timedelta(days=rng.randint(20, 110))
        if term_status(elected, years, today, approved).state is state and elected <= today:
            return elected, approved
    raise AssertionError(f"no election date gives {state}")  # pragma: no cover


DELAY_REASONS = [
    "按照县委统一部署，与村（社区）“两委”换届同步进行，经批准延期换届",
    "单位机构改革尚未完成，班子人选待定，经批准延期换届",
    "防汛救灾任务繁重，经批准延期换届",
]
ADVANCE_REASONS = [
    "班子成员调整较多，为配合县乡换届统一部署，经批准提前换届",
    "所在单位合并重组，经批准提前换届",
]


DOCUMENT_PREFIXES = {
    "中共示范县直属机关工作委员会": "示直机党字",
    "中共示范县第一中学委员会": "示一中党字",
    "中共示范县实验小学总支部委员会": "示实小党字",
    "中共示范县城市建设投资集团有限公司委员会": "示城投党字",
    "中共示范县人民医院委员会": "示医院党字",
    "中共示范县非公有制经济组织和社会组织综合委员会": "示非公党字",
}


def _document(approver: Organization, year: int, number: int) -> str:
    """A reply's document number, e.g. 示组字〔2026〕3号 from the county, 城关党字〔2026〕4号 below."""
    if approver.depth == 1:
        prefix = "示组字"
    else:
        short = approver.name.removeprefix("中共").removeprefix(COUNTY)[:2]
        prefix = DOCUMENT_PREFIXES.get(approver.name, f"{short}党字")
    return f"{prefix}〔{year}〕{number}号"


# --- the load ------------------------------------------------------------------------------

ACCOUNTS = [
    # username, role, where (organization name), description
    ("county_org", Role.ORGANIZATION_DEPARTMENT, "中共示范县委员会", "县委组织部（组织部门）"),
    ("town_org", Role.ORGANIZATION_DEPARTMENT, "中共城关镇委员会", "城关镇党委组织委员（组织部门）"),
    ("branch_sec", Role.SECRETARY, "中共城关镇东关村支部委员会", "城关镇东关村党支部书记"),
    ("inspector", Role.INSPECTOR, "中共示范县委员会", "县纪委监委（纪检监督）"),
    ("member", Role.MEMBER, "中共城关镇东关村支部委员会", "东关村党支部党员"),
    ("counter", Role.COUNTER, "中共城关镇东关村支部委员会", "东关村党支部计票人"),
    ("scrutineer", Role.SCRUTINEER, "中共城关镇东关村支部委员会", "东关村党支部监票人"),
]


def _create_tree(root_spec: _Spec) -> dict[str, Organization]:
    """Create the organizations with treebeard's own add_root/add_child (about a hundred nodes).

    Siblings are added in name order so that each new node goes last among them (the model keeps
    children sorted by name); the nodes are read back afterwards, so the paths are treebeard's.
    """
    root = Organization.objects.add_root(
        create_kwargs={"name": root_spec.name, "kind": root_spec.kind, "sector": root_spec.sector}
    )
    pending: list[tuple[int, _Spec]] = [(root.pk, root_spec)]
    while pending:
        parent_pk, spec = pending.pop(0)
        parent = Organization.objects.get(pk=parent_pk)
        for child in sorted(spec.children, key=lambda s: s.name):
            node = Organization.objects.add_child(
                parent, create_kwargs={"name": child.name, "kind": child.kind, "sector": child.sector}
            )
            parent.refresh_from_db()
            pending.append((node.pk, child))
    return {org.name: org for org in Organization.objects.all()}


def _walk(spec: _Spec) -> list[_Spec]:
    out = [spec]
    for child in spec.children:
        out.extend(_walk(child))
    return out


def _parent_name(specs: Sequence[_Spec]) -> dict[str, str]:
    return {child.name: spec.name for spec in specs for child in spec.children}


@transaction.atomic
def load_demo(today: date | None = None) -> DemoSummary:
    """Load the demo county into an empty database and return what to print for the user."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    root_spec = _county_tree(rng)
    specs = _walk(root_spec)
    parents = _parent_name(specs)
    orgs = _create_tree(root_spec)

    # Approved committee sizes for party committees and general branches (R-ORG-4).
    for spec in specs:
        if spec.committee_size is not None:
            orgs[spec.name].approved_committee_size = spec.committee_size
    Organization.objects.bulk_update(list(orgs.values()), ["approved_committee_size"])

    # Members, in bulk.
    people = _People(rng, today)
    rosters: dict[str, list[Member]] = {}
    for spec in specs:
        org = orgs[spec.name]
        if spec.probationary is not None:
            probationary = spec.probationary
        elif spec.kind == BR and spec.size >= 8:
            probationary = sum(1 for _ in range(spec.size) if rng.random() < 0.065)
        else:  # the rosters of party committees and general branches are their committee members
            probationary = 0
        flags = [True] * probationary + [False] * (spec.size - probationary)
        rng.shuffle(flags)
        rosters[spec.name] = [people.member(org, spec, flag) for flag in flags]
    Member.objects.bulk_create([m for roster in rosters.values() for m in roster], batch_size=1000)
    recount_members(orgs.values())
    orgs = {org.name: org for org in Organization.objects.all()}

    # Restrictions (R-VOTE-3/4): a few members under 留党察看, one held under 留置. None of them
    # holds a seat.
    restricted: set[int] = set()
    restrictions: list[Restriction] = []
    for org_name, kind, days_ago, years, document in (
        ("中共青山镇桃园村支部委员会", RestrictionKind.PROBATION_WITHIN_PARTY, 120, 1, "示纪发〔{y}〕7号"),
        (
            "中共示范县城投集团建设工程公司支部委员会",
            RestrictionKind.PROBATION_WITHIN_PARTY,
            300,
            2,
            "示纪发〔{y}〕12号",
        ),
        ("中共石桥镇张湾村支部委员会", RestrictionKind.PROBATION_WITHIN_PARTY, 40, 1, "示纪发〔{y}〕21号"),
        ("中共示范县财政局支部委员会", RestrictionKind.DETENTION, 35, 0, "示监留〔{y}〕2号"),
    ):
        member = next(m for m in reversed(rosters[org_name]) if m.is_full)
        start = today - timedelta(days=days_ago)
        end = add_months(start, 12 * years) if years else None
        restrictions.append(
            Restriction(
                member=member, kind=kind.value, start=start, end=end, document=document.format(y=start.year)
            )
        )
        restricted.add(member.pk)
    Restriction.objects.bulk_create(restrictions)

    # Current committees with their seats, and the approved adjustments (R-TERM-1/2).
    committees: list[Committee] = []
    seat_posts: list[tuple[Committee, list[tuple[Member, str]]]] = []
    approvals: list[tuple[Committee, date, str]] = []
    for spec in specs:
        org = orgs[spec.name]
        eligible = [m for m in rosters[spec.name] if m.is_full and m.pk not in restricted]
        posts, has_committee = _posts(spec, org.full_member_count)
        state = spec.state or FORCED_STATES.get(spec.name)
        if state is None:
            state = rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()))[0]
        years = term_years(org.kind_enum, org.sector_enum)  # R-TERM-1
        elected, approved = _elected_on(state, years, today, rng)
        committee = Committee(
            organization=org,
            elected_on=elected,
            term_years=years,
            is_current=True,
            has_committee=has_committee,
        )
        set_term_dates(committee, approved)  # as actions.record_committee/record_term_adjustment do
        if approved is not None:
            assert adjustment_problem(committee.term_end, approved) is None  # R-TERM-2: within one year
            approvals.append((committee, approved, parents[spec.name]))
        committees.append(committee)
        # Older members more often hold the chair; pick seat holders from the eligible members.
        chosen = rng.sample(eligible, len(posts))
        chosen.sort(key=lambda m: m.birth_date)
        seat_posts.append((committee, list(zip(chosen, posts, strict=True))))
    Committee.objects.bulk_create(committees)
    CommitteeSeat.objects.bulk_create(
        [
            CommitteeSeat(committee=committee, member=member, post=post)
            for committee, seats in seat_posts
            for member, post in seats
        ]
    )
    adjustments = []
    for number, (committee, approved, approver_name) in enumerate(approvals, start=3):
        approver = orgs[approver_name]
        delay = approved > committee.term_end
        approved_on = min(
            today - timedelta(days=rng.randint(10, 40)), committee.term_end - timedelta(days=20)
        )
        if not delay:
            approved_on = today - timedelta(days=rng.randint(5, 40))
        adjustments.append(
            TermAdjustment(
                committee=committee,
                kind="delay" if delay else "advance",
                new_date=approved,
                approved_on=approved_on,
                approved_by=approver,
                document=_document(approver, approved_on.year, number),
                reason=rng.choice(DELAY_REASONS if delay else ADVANCE_REASONS),
            )
        )
    TermAdjustment.objects.bulk_create(adjustments)

    # A few reminders already sent by the upper level (R-TERM-3), some of them read.
    reminders = []
    by_org = {c.organization_id: c for c in committees}
    for index, name in enumerate(
        [
            "中共城关镇东关村支部委员会",
            "中共青山镇委员会",
            "中共柳河乡委员会",
            "中共城关镇南街村支部委员会",
            "中共示范县城西社区委员会",
        ]
    ):
        org, sender = orgs[name], orgs[parents[name]]
        committee = by_org[org.pk]
        sent_on = today - timedelta(days=7 + 11 * index)
        sent_at = timezone.make_aware(datetime.combine(sent_on, time(9, 30)))
        reminders.append(
            Reminder(
                organization=org,
                sent_by=sender,
                sent_at=sent_at,
                sender_name="county_org" if sender.depth == 1 else "town_org",  # their accounts
                due=committee.reelection_due,
                message=f"你单位本届委员会应于{committee.reelection_due:%Y年%m月%d日}前换届，请提前做好换届选举准备工作，按期向上级请示。",
                read_at=sent_at + timedelta(days=1, hours=3) if index % 2 == 0 else None,
            )
        )
    Reminder.objects.bulk_create(reminders)

    # Demo accounts, one shared password.
    secretaries = {
        c.organization_id: m.name for c, seats in seat_posts for m, post in seats if post == "secretary"
    }
    accounts: list[tuple[str, str]] = []
    for username, role, org_name, description in ACCOUNTS:
        org = orgs[org_name]
        if role == Role.SECRETARY:
            display = secretaries[org.pk]
        elif role in (Role.MEMBER, Role.COUNTER, Role.SCRUTINEER):
            display = rosters[org_name][len(accounts)].name  # a different member for each
        else:
            display = description.split("（")[0]
        User.objects.create_user(
            username, password=PASSWORD, organization=org, role=role.value, display_name=display
        )
        accounts.append((username, description))

    members = sum(len(r) for r in rosters.values())
    after: dict[str, Any] = {
        "today": today.isoformat(),
        "seed": SEED,
        "organizations": len(orgs),
        "members": members,
        "committees": len(committees),
        "seats": sum(len(s) for _, s in seat_posts),
        "adjustments": len(adjustments),
        "restrictions": len(restrictions),
        "reminders": len(reminders),
        "accounts": [username for username, _ in accounts],
    }
    root = orgs[root_spec.name]
    record(
        "system",
        "load_demo",
        root,
        after=after,
        summary=f"载入演示数据：{len(orgs)} 个党组织，{members} 名党员，{len(accounts)} 个演示账号",
    )
    return DemoSummary(organizations=len(orgs), members=members, password=PASSWORD, accounts=accounts)
