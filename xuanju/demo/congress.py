"""A demo congress (loaded after ``xuanju.demo.election.load_demo_election`` by ``xuanju serve`` and
``xuanju demo``, in the same transaction).

Under the demo county a party committee of an economic development zone, 中共示范县经济开发区委员会,
with 2,400 members: 20 branches directly under it and 10 general branches of four branches each,
30 subordinate organizations in all, each one electoral unit. Its committee is due for re-election
and it holds a delegates' congress (R-DEL-1: 500+ full members) of 150 delegates that elects a
committee of 9.

Everything after the organizations, members and committees goes through the real actions, as the
organizers would take it, each with its audit record (R-SUP-4): the plan with the congress's
quota, grounds and composition targets and the allocation to the units, approved by the county's
organization department (R-RPT-1, R-DEL-1/2/3); in every unit the nominations, the provisional
candidates with a surplus of at least 20% (R-DEL-4) reviewed by the convening committee (R-DEL-5),
the members' meeting with its roll (R-MEET-1), procedure (R-MEET-3), scrutineer and counter
(R-MEET-4) and one round whose ballots are entered in a few grouped entries; the credentials group
reviewing every delegate (all formal, R-DEL-6), the preparatory meeting, the presidium and the
delegations; and the committee's 11 provisional candidates for 9 seats approved by the county. The
congress is left ready to open.

The organizations, members and committees are written in bulk as ``organizations.demo`` writes the
county (its member generator, from a seed of its own) with one audit record for them. ``scale``
shrinks the zone for tests (0.1: 3 units, 15 delegates); the demo itself uses 1.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from xuanju.accounts.models import Role, User
from xuanju.audit.trail import record
from xuanju.congress import actions as congress_actions
from xuanju.congress.models import Congress, CredentialsGroupMember, Delegate, DelegateStatus, UnitElection
from xuanju.demo.county import PASSWORD, SEED, _posts
from xuanju.demo.county_tree import BR, GB, PC, _Spec
from xuanju.demo.people import _People
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, CountingMethod, Meeting, MeetingRole, Post, Round
from xuanju.organizations.actions import recount_members, set_term_dates
from xuanju.organizations.models import Committee, CommitteeSeat, Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import minimum_candidates
from xuanju.rules.terms import Sector, add_months, term_years
from xuanju.rules.voting import completed_years
from xuanju.vetting import actions as vetting
from xuanju.vetting.models import Education

ZONE = "中共示范县经济开发区委员会"
COUNTY_ROOT = "中共示范县委员会"
ORGANIZER, UPPER_LEVEL, SECRETARY = "kaifa_org", "county_org", "kaifa_sec"
MEMBERS, DELEGATES, UNITS = 2400, 150, 30
COMMITTEE_SEATS, DEPUTY_SEATS, COMMITTEE_CANDIDATES = 9, 2, 11
ABSENT_SHARE = 0.05  # members who miss their unit's meeting; a quorum needs more than 4/5 (R-MEET-1)
TARGETS = {
    "front_line_percent": 40,
    "women_percent": 30,
    "min_minorities": 3,
    "max_over_55_percent": 15,
    "min_under_35": 15,
}
COMPANIES = [
    "示范电子科技有限公司",
    "华源新材料股份有限公司",
    "恒通机械制造有限公司",
    "绿洲食品有限公司",
    "润达物流有限公司",
    "天和生物医药有限公司",
    "金鼎汽车零部件有限公司",
    "瑞丰纺织有限公司",
    "宏图建材有限公司",
    "星辰光电有限公司",
    "开发区管委会机关",
    "开发区投资发展集团有限公司",
    "鑫盛包装有限公司",
    "远航精密仪器有限公司",
    "青禾农产品加工有限公司",
    "博远软件有限公司",
    "康宁医疗器械有限公司",
    "明珠家居有限公司",
    "长江新能源有限公司",
    "海纳电器有限公司",
    "东方化工有限公司",
    "中联重型装备有限公司",
    "国泰钢结构有限公司",
    "锦绣服饰有限公司",
    "鼎新电子商务产业园",
    "开发区人才服务中心",
    "汇通汽车销售服务有限公司",
    "晨光印务有限公司",
    "永安物业服务有限公司",
    "新纪元职业技能培训学校",
]
GENERAL_BRANCHES = 10  # the largest companies: a general branch over four branches each
SUB_BRANCHES = ("生产一车间", "生产二车间", "技术研发部", "综合管理部")
OCCUPATIONS = [
    ("生产一线职工", True),
    ("生产一线职工", True),
    ("专业技术人员", True),
    ("专业技术人员", True),
    ("企业管理人员", False),
    ("机关干部", False),
    ("个体工商户", True),
]


@dataclass(frozen=True)
class DemoCongress:
    organization: str
    members: int
    units: int
    delegates_total: int
    formal: int
    committee_seats: int
    committee_candidates: int
    congress_id: int
    election_id: int
    accounts: list[tuple[str, str]]


def _sizes(total: int, parts: int, rng: random.Random, low: int, high: int) -> list[int]:
    """``parts`` roster sizes between about ``low`` and ``high`` adding up to ``total``."""
    sizes = [rng.randint(low, high) for _ in range(parts)]
    diff = total - sum(sizes)
    index = 0
    while diff:
        step = 1 if diff > 0 else -1
        sizes[index % parts] += step
        diff -= step
        index += 1
    return sizes


def _tree(scale: float, rng: random.Random) -> _Spec:
    units = max(3, round(UNITS * scale))
    general = max(1, round(GENERAL_BRANCHES * scale))
    members = round(MEMBERS * scale)
    branch_count = (units - general) + general * len(SUB_BRANCHES)
    sizes = iter(_sizes(members, branch_count, rng, 30, 50))
    ages, female = (22, 60, 38), 0.38
    children = []
    for index, company in enumerate(COMPANIES[:units]):
        if index < general:
            subs = [
                _Spec(
                    f"中共{company}{part}支部委员会",
                    BR,
                    Sector.ENTERPRISE.value,
                    next(sizes),
                    ages=ages,
                    female=female,
                )
                for part in SUB_BRANCHES
            ]
            children.append(
                _Spec(f"中共{company}总支部委员会", GB, Sector.ENTERPRISE.value, 0, subs, committee_size=5)
            )
        else:
            sector = Sector.STATE_ORGAN.value if "机关" in company else Sector.ENTERPRISE.value
            children.append(
                _Spec(f"中共{company}支部委员会", BR, sector, next(sizes), ages=ages, female=female)
            )
    return _Spec(ZONE, PC, Sector.OTHER.value, 0, children, committee_size=COMMITTEE_SEATS)


def _walk(spec: _Spec) -> list[_Spec]:
    return [spec, *(s for child in spec.children for s in _walk(child))]


def _create(root: Organization, zone: _Spec) -> dict[str, Organization]:
    """The zone and its organizations with treebeard's add_child, siblings in name order."""
    top = Organization.objects.add_child(
        root, create_kwargs={"name": zone.name, "kind": zone.kind, "sector": zone.sector}
    )
    top.approved_committee_size = zone.committee_size
    top.save(update_fields=["approved_committee_size"])
    made = {zone.name: top}
    pending = [(top.pk, zone)]
    while pending:
        parent_pk, spec = pending.pop(0)
        for child in sorted(spec.children, key=lambda s: s.name):
            parent = Organization.objects.get(pk=parent_pk)
            node = Organization.objects.add_child(
                parent, create_kwargs={"name": child.name, "kind": child.kind, "sector": child.sector}
            )
            if child.committee_size:
                node.approved_committee_size = child.committee_size
                node.save(update_fields=["approved_committee_size"])
            made[child.name] = node
            pending.append((node.pk, child))
    return made


def _committees(
    specs: list[_Spec],
    orgs: dict[str, Organization],
    rosters: dict[str, list[Member]],
    today: date,
    rng: random.Random,
) -> dict[str, list[tuple[Member, str]]]:
    """Current committees: the zone's is due for re-election within months (R-TERM-1/3), the
    others are in term. A general branch's or the zone's seats go to members of the branches below."""
    below: dict[str, list[Member]] = {}
    for spec in reversed(specs):
        below[spec.name] = rosters[spec.name] + [m for c in spec.children for m in below[c.name]]
    committees, seats = [], {}
    for spec in specs:
        org = orgs[spec.name]
        full = [m for m in below[spec.name] if m.is_full]
        posts, has_committee = _posts(spec, len(full))
        years = term_years(org.kind_enum, org.sector_enum)
        if spec.name == ZONE:
            elected = add_months(today, -12 * years + 4)
        else:
            elected = add_months(today, -rng.randint(6, 12 * years - 8))
        committee = Committee(
            organization=org,
            elected_on=elected,
            term_years=years,
            is_current=True,
            has_committee=has_committee,
        )
        set_term_dates(committee)
        committees.append(committee)
        chosen = sorted(rng.sample(full, len(posts)), key=lambda m: m.birth_date)
        seats[spec.name] = list(zip(chosen, posts, strict=True))
    Committee.objects.bulk_create(committees)
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(committee=c, member=m, post=p)
        for c, spec in zip(committees, specs, strict=True)
        for m, p in seats[spec.name]
    )
    return seats


def _profile(member: Member, today: date, rng: random.Random) -> None:
    age = completed_years(member.birth_date, today)
    occupation, front_line = rng.choice(OCCUPATIONS)
    education = rng.choice(
        [Education.HIGH_SCHOOL, Education.COLLEGE, Education.BACHELOR, Education.BACHELOR]
        + ([Education.POSTGRADUATE] if age < 45 else [Education.PRIMARY])
    )
    vetting.save_profile(
        ORGANIZER,
        member,
        education=education,
        occupation=occupation,
        front_line=front_line,
        residence="开发区",
        resides_locally=True,
    )


def _unit_election(unit_election: UnitElection, today: date, rng: random.Random) -> None:
    """One unit elects its delegates at its members' meeting, through the actions (R-DEL-4/5)."""
    election = unit_election.election
    contest = election.contests.get(post=Post.DELEGATE)
    seats = contest.seats
    pool = list(actions.candidate_pool(election).prefetch_related("restrictions").order_by("pk"))
    rights = {m.pk: rights_of(m, today) for m in pool}
    voters = [m for m in pool if rights[m.pk].can_vote]
    standing = [m for m in voters if rights[m.pk].can_stand and completed_years(m.birth_date, today) < 60]
    wanted = minimum_candidates(seats)
    # Women and front-line workers are put forward first, as the congress's targets ask (R-DEL-3).
    women = [m for m in standing if m.gender == "女"]
    men = [m for m in standing if m.gender != "女"]
    picked_women = rng.sample(women, min(len(women), math.ceil(wanted * 0.4)))
    chosen = picked_women + rng.sample(men, wanted - len(picked_women))
    rng.shuffle(chosen)
    for number, person in enumerate(chosen):
        _profile(person, today, rng)
        actions.record_nomination(ORGANIZER, contest, person, "党小组推荐", 20 - number)
        actions.set_candidate(
            ORGANIZER, contest, person, Candidate.Stage.PROVISIONAL, vetting="经考察，符合代表条件"
        )
    year = today.year
    actions.decide(
        ORGANIZER,
        actions.submit_candidates(ORGANIZER, election),
        Approval.Decision.APPROVED,
        f"开发区党字〔{year}〕{20 + unit_election.unit.position}号",
        "",
    )
    meeting = actions.open_meeting(ORGANIZER, election, Meeting.Kind.MEMBERS, today)
    on_roll = list(meeting.attendance.values_list("member_id", flat=True).order_by("member_id"))
    candidates = {m.pk for m in chosen}
    free = [pk for pk in on_roll if pk not in candidates]
    absent = set(rng.sample(free, int(len(on_roll) * ABSENT_SHARE)))
    actions.mark_present(ORGANIZER, meeting, [pk for pk in on_roll if pk not in absent])
    meeting = actions.close_roll(ORGANIZER, meeting)
    # Grouped ballots typed once, each group confirmed by a scrutineer (R-MEET-4).
    actions.adopt_procedure(
        ORGANIZER,
        meeting,
        "present",
        False,
        votes_for=meeting.present,
        counting_method=CountingMethod.SINGLE_ENTRY,
    )
    helpers = [pk for pk in free if pk not in absent]
    by_pk = {m.pk: m for m in pool}
    actions.appoint(ORGANIZER, meeting, by_pk[helpers[0]], MeetingRole.Role.SCRUTINEER)
    actions.appoint(ORGANIZER, meeting, by_pk[helpers[1]], MeetingRole.Role.COUNTER)
    round_ = actions.open_round(ORGANIZER, contest, meeting, issued=meeting.present)
    key = {c.member_id: c.key for c in round_.candidates.all()}
    keys = [key[m.pk] for m in chosen]
    elected, rest = keys[:seats], keys[seats:]
    # Most ballots elect the first ``seats`` candidates; a few swap one of them for another, and a
    # few leave the last one unmarked (abstaining) and write in a member of the unit who does not
    # stand — grouped entries, as the counters would enter identical ballots.
    few = max(1, meeting.present // 12)
    write_in = by_pk[helpers[2]].name
    groups = [
        (elected, rest, [], meeting.present - 2 * few),
        ([*elected[:-1], rest[0]], [elected[-1], *rest[1:]], [], few),
        (elected[:-1], rest, [write_in], few),
    ]
    for for_keys, against, write_ins, count in groups:
        entry = actions.record_ballot("counter", round_, for_keys, against, write_ins, count=count)
        # The organizer entered nothing in this round, so may act as its scrutineer.
        actions.confirm_ballot(ORGANIZER, entry)
    check_write_ins(round_)
    actions.close_round(ORGANIZER, round_, returned=meeting.present)


def check_write_ins(round_: Round) -> None:
    """A write-in on the demo's ballots names a person: never a candidate's id or a candidate's name
    (which would be printed as someone else in the results)."""
    candidates = list(round_.candidates.select_related("member"))
    taken = {c.key for c in candidates} | {c.member.name for c in candidates}
    for entry in round_.ballots.all():
        wrong = [name for name in entry.write_ins if name in taken]
        if wrong:
            raise ValueError(f"demo write-ins {wrong} name a candidate's id or name in {round_}")


@transaction.atomic
def load_demo_congress(today: date | None = None, scale: float = 1.0) -> DemoCongress:
    """Add the development zone and take its congress to the point of opening. Call once, after
    ``load_demo`` (the county and its accounts) on the same database."""
    today = today or timezone.localdate()
    rng = random.Random(SEED + 150)
    zone = _tree(scale, rng)
    specs = _walk(zone)
    root = Organization.objects.get(name=COUNTY_ROOT)
    orgs = _create(root, zone)
    people = _People(rng, today)
    # ID numbers and phones stay unique across the county's members already loaded.
    people.ids.update(Member.objects.values_list("id_number", flat=True))
    people.phones.update(Member.objects.values_list("phone", flat=True))
    rosters: dict[str, list[Member]] = {}
    for spec in specs:
        probationary = [rng.random() < 0.04 for _ in range(spec.size)]
        rosters[spec.name] = [people.member(orgs[spec.name], spec, flag) for flag in probationary]
    Member.objects.bulk_create([m for r in rosters.values() for m in r], batch_size=1000)
    recount_members(orgs.values())
    orgs = {o.name: o for o in Organization.objects.filter(path__startswith=orgs[ZONE].path)}
    seats = _committees(specs, orgs, rosters, today, rng)
    top = orgs[ZONE]
    secretary = next(m for m, post in seats[ZONE] if post == "secretary")
    accounts = [
        (ORGANIZER, Role.ORGANIZATION_DEPARTMENT, "经济开发区党委组织部（组织部门）", "开发区党委组织部"),
        (SECRETARY, Role.SECRETARY, "经济开发区党委书记", secretary.name),
    ]
    for username, role, _, display in accounts:
        User.objects.create_user(
            username, password=PASSWORD, organization=top, role=role.value, display_name=display
        )
    members = sum(len(r) for r in rosters.values())
    record(
        "system",
        "load_demo_congress",
        top,
        after={"today": today.isoformat(), "organizations": len(orgs), "members": members, "scale": scale},
        summary=f"载入演示数据：{top.name}，{len(orgs)} 个党组织，{members} 名党员",
    )

    # The plan: the committee of 9 by a congress, the quota and its allocation, approved by the county.
    year = today.year
    delegates_total = max(len(zone.children), round(DELEGATES * scale))
    election = actions.start_election(
        ORGANIZER,
        top,
        today,
        COMMITTEE_SEATS,
        DEPUTY_SEATS,
        readiness="本届党委已向全体党员报告工作，完成民主评议；换届工作方案经党委会研究通过",
        composition="注重从生产一线、专业技术人员和青年、妇女党员中推荐代表和委员人选",
        form="congress",
    )
    grounds = "members_500" if top.subtree_full_member_count >= 500 else "scattered"
    congress = congress_actions.propose_congress(
        ORGANIZER,
        election,
        delegates_total,
        grounds,
        grounds_note="" if grounds == "members_500" else "所属企业分布在开发区各园区，驻地分散",
        quota_reason="" if 100 <= delegates_total <= 200 else "演示用的小规模代表大会",
        base_per_unit=1,
        sectors="生产一线职工、专业技术人员、企业管理人员、机关干部",
        **TARGETS,
    )
    actions.decide(
        UPPER_LEVEL,
        actions.submit_plan(ORGANIZER, election),
        Approval.Decision.APPROVED,
        f"示组字〔{year}〕31号",
        "",
    )

    # Every unit elects its delegates; the hook records them for the credentials review.
    for unit_election in congress_actions.start_unit_elections(ORGANIZER, congress, today):
        _unit_election(unit_election, today, rng)

    # Credentials (R-DEL-6): the outgoing committee names the group, which finds every delegate formal.
    outgoing = [m.name for m, _ in seats[ZONE]]
    congress_actions.name_credentials_group(
        SECRETARY,
        congress,
        [
            (outgoing[1], CredentialsGroupMember.Role.LEADER, "党委副书记"),
            (outgoing[3], CredentialsGroupMember.Role.DEPUTY, "党委组织委员"),
            (outgoing[5], CredentialsGroupMember.Role.MEMBER, "党委纪检委员"),
        ],
    )
    delegates = list(
        Delegate.objects.filter(congress=congress).select_related("member", "unit", "election", "congress")
    )
    for delegate in delegates:
        congress_actions.review_delegate(ORGANIZER, delegate, DelegateStatus.FORMAL)
    congress = Congress.objects.get(pk=congress.pk)
    meeting = congress_actions.record_preparatory_meeting(
        ORGANIZER,
        congress,
        today,
        "一、听取和审查上届党委工作报告；二、选举新一届党委委员",
        credentials_report_adopted=True,
    )
    formal = sorted(delegates, key=lambda d: (d.unit.position, -d.votes, d.pk))  # all found formal
    presidium = formal[:: max(1, len(formal) // 15)][:15]
    congress_actions.elect_presidium(ORGANIZER, meeting, presidium, len(formal) - 2, 0, 2)
    units = list(congress.units.order_by("position"))
    per = max(1, math.ceil(len(units) / 5))
    for number, start in enumerate(range(0, len(units), per), start=1):
        group = units[start : start + per]
        head = next(d for d in formal if d.unit_id == group[0].pk)
        congress_actions.form_delegation(ORGANIZER, congress, f"第{number}代表团", group, head)

    # The committee's candidates: 11 for 9 seats (R-CAND-2) among the delegates, the secretary and
    # deputies among them (R-CAND-5), approved by the county (R-RPT-2).
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    picks = rng.sample(formal, COMMITTEE_CANDIDATES)
    picks.sort(key=lambda d: d.member.birth_date)
    for number, delegate in enumerate(picks):
        actions.record_nomination(ORGANIZER, committee, delegate.member, "各代表团酝酿推荐", 40 - number)
        actions.set_candidate(
            ORGANIZER, committee, delegate.member, Candidate.Stage.PROVISIONAL, vetting="经考察，符合委员条件"
        )
    actions.set_candidate(
        ORGANIZER, election.contests.get(post=Post.SECRETARY), picks[0].member, Candidate.Stage.PROVISIONAL
    )
    deputies = election.contests.get(post=Post.DEPUTY_SECRETARY)
    for delegate in picks[1 : 1 + DEPUTY_SEATS]:
        actions.set_candidate(ORGANIZER, deputies, delegate.member, Candidate.Stage.PROVISIONAL)
    actions.decide(
        UPPER_LEVEL,
        actions.submit_candidates(ORGANIZER, election),
        Approval.Decision.APPROVED,
        f"示组字〔{year}〕32号",
        "",
    )
    return DemoCongress(
        organization=top.name,
        members=members,
        units=len(units),
        delegates_total=delegates_total,
        formal=len(formal),
        committee_seats=COMMITTEE_SEATS,
        committee_candidates=COMMITTEE_CANDIDATES,
        congress_id=congress.pk,
        election_id=election.pk,
        accounts=[(u, d) for u, _, d, _ in accounts],
    )
