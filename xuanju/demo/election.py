"""A demo election on the demo county, taken to the counting desk (loaded after
``xuanju.demo.county.load_demo``, by ``xuanju serve`` and ``xuanju demo``).

The 东关村 branch's re-election goes through the real actions, as its organizers would take it: the
plan and its approval by the town's organization department, the conditions for candidates and the
structure targets the town sets (R-CAND-1), the members' profiles, the reserve pools
(``xuanju.demo.pools``) from which one candidate is nominated, the committee candidates with the
legal surplus (R-CAND-2/3), their vetting (考察) and their approval, the members' meeting with its roll call (R-MEET-1),
procedure (R-MEET-3) and scrutineers and counters (R-MEET-4), and round 1 of the committee contest
open with a ballot for everyone present (R-BAL-5). The printing of the paper ballots is recorded
(the PDF itself is made when someone prints from the page), and a few sheets are read at the
double-entry desk: some agree and are counted, one waits for the second counter, and one was read
differently, so the desk stops until a scrutineer decides it. Someone who has just started the app
can take it on from there.

Every step writes its audit record through the normal path (R-SUP-4). Choices are deterministic:
they follow the rules and the demo county, which is itself generated from a fixed seed. The one
thing made here outside the actions is a second counter account (two counters, two accounts).
Profiles, pools and vetting draw from their own seeded generator, so the candidates, the absent and
the meeting's roles are those the election's generator alone gives.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.accounts.models import Role, User
from xuanju.audit.trail import record
from xuanju.counting.actions import enter_at_desk, record_print
from xuanju.counting.desk import conflict_keys, pending
from xuanju.counting.models import DeskEntry
from xuanju.counting.readings import parse_reading
from xuanju.counting.sheets import round_spec
from xuanju.demo.county import PASSWORD, SEED
from xuanju.demo.pools import load_demo_pools
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Contest, Election, Meeting, MeetingRole, Post
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.models import POST_CHOICES, Member, Organization
from xuanju.organizations.services import rights_of
from xuanju.paper.layout import layout_sheet
from xuanju.reserve import actions as reserve_actions
from xuanju.rules.candidates import minimum_candidates
from xuanju.rules.organizations import committee_size_range
from xuanju.rules.voting import completed_years, party_age
from xuanju.vetting import actions as vetting
from xuanju.vetting.models import Education, Verdict
from xuanju.vetting.services import conditions_text

BRANCH = "中共城关镇东关村支部委员会"
ORGANIZER, UPPER_LEVEL = "branch_sec", "town_org"  # demo accounts (xuanju.demo.county.ACCOUNTS)
COUNTERS = ("counter", "counter2")  # 甲录入, 乙录入
SCRUTINEER = "scrutineer"
NEW_ACCOUNTS = [
    # username, role, description (the account's person is chosen among the branch's members)
    ("counter2", Role.COUNTER, "东关村党支部计票人（第二名，双人录入）"),
]
ABSENT = 3  # members who miss the meeting; the quorum needs more than four fifths (R-MEET-1)
RESERVE = 3  # spare sheets printed beyond those issued

# The sheets read at the desk, one reading per candidate in ballot order (o 赞成, x 不赞成,
# . 弃权), for a slate of six; each takes at most as many 赞成 as there are seats.
AGREED = ["ooooo.", "oooo.o", "ooo.oo", "oo.ooo", "o.ooox", "oooo.."]
WAITING = "ooooox"  # read at slot 1 only: waits for the second counter
CONFLICT = ("oooo.x", "oooo.o")  # read differently: the desk stops until a scrutineer decides


# --- conditions, targets, profiles and vetting (R-CAND-1) -------------------------------------

PARTY_AGE, MAX_AGE = 2, 65  # the town's usual conditions; the age line is raised past the oldest
TARGETS = {
    # Met by the profiles given below, except 女性 when the slate has no woman (a soft target the
    # structure page then shows as a gap) — it never stops the flow.
    "min_women": 1,
    "min_front_line": 2,
    "min_college_or_above": 1,
    "max_average_age": 55,
}
PROFILED = 0.7  # share of the branch's other members with a profile
# occupation, front line, residence (every one of them lives in the village but the migrant worker)
OCCUPATIONS = [
    ("农民", True, "本村常住"),
    ("农民", True, "本村常住"),
    ("种养大户", True, "本村常住"),
    ("个体工商户", True, "本村常住"),
    ("农民专业合作社负责人", True, "本村常住"),
    ("乡村医生", True, "本村常住"),
    ("教师", True, "本村常住"),
    ("外出务工", True, "在外务工，春节返乡"),
]
RETIRED = ("退休人员", False, "本村常住")
FINDINGS = {
    "political_findings": "政治立场坚定，拥护党的路线方针政策，能够严守政治纪律和政治规矩",
    "ability_findings": "熟悉村情民意，{work}，组织协调能力较强",
    "conduct_findings": "作风务实，密切联系群众，村民评价较好",
    "integrity_findings": "经征求镇纪委、派出所、市场监管所等意见，未发现违纪违法和不良记录",
}
WORK = {
    "村干部": "在村“两委”工作中有实绩",
    "个体工商户": "经营有方，带动邻里就业",
    "种养大户": "带头发展特色产业",
    "农民专业合作社负责人": "带动农户增收",
}
TALKS = [
    ("村民小组长", "认为其办事公道、热心公益，群众信得过"),
    ("老党员代表", "认为其党性强、肯吃苦，能带领大家干事"),
    ("村务监督委员会主任", "未反映其有违规问题，认为其能担当"),
]
VETTING_TEAM = 3  # the town's organization member and two cadres of the town


# --- what the loader returns ---------------------------------------------------------------


@dataclass(frozen=True)
class DemoElection:
    organization: str
    seats: int
    candidates: list[str]  # committee candidates in ballot order
    secretary: str
    deputy: str
    entitled: int
    present: int
    round_number: int
    issued: int
    printed: int
    counted: int  # sheets the two counters read alike, now ballot entries
    waiting: list[str]  # sheet keys read once, waiting for the other slot
    conflicts: list[str]  # sheet keys read differently, waiting for a scrutineer
    round_id: int  # the counting overview is at reverse("counting_overview", args=[round_id])
    accounts: list[tuple[str, str]]  # accounts added: (username, Chinese description)
    election_id: int = 0  # the vetting and structure pages: reverse("election_vetting", args=[id])…
    conditions: list[str] = field(default_factory=list)  # the town's conditions, in Chinese
    profiles: int = 0  # branch members with a profile
    vetted: int = 0  # committee candidates with a vetting record
    pools: list[str] = field(default_factory=list)  # organizations whose reserve pools hold people
    pool_people: int = 0
    from_pool: list[str] = field(default_factory=list)  # candidates nominated from the branch's pool
    empty_township: str = ""  # a township whose organizations all keep empty pools


def _account(username: str) -> User:
    return User.objects.get(username=username)


def _person_of(user: User, roster: list[Member]) -> Member | None:
    """The branch member a demo account stands for (load_demo names each account after one)."""
    return next((m for m in roster if m.name == user.display_name), None)


@transaction.atomic
def load_demo_election(today: date | None = None) -> DemoElection:
    """Take the demo branch's re-election to an open first round with a few sheets at the desk.

    Call once, right after ``load_demo`` (with the same ``today``) on the same database.
    """
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    org = Organization.objects.get(name=BRANCH)
    members = Member.objects.filter(organization=org, left_on__isnull=True).prefetch_related("restrictions")
    roster = list(members.order_by("pk"))
    rights = {m.pk: rights_of(m, today) for m in roster}
    voters = [m for m in roster if rights[m.pk].can_vote]
    standing = [m for m in voters if rights[m.pk].can_stand]

    # The people behind the counting accounts count, and so cannot stand (R-MEET-4).
    counter, scrutineer = _account(COUNTERS[0]), _account(SCRUTINEER)
    counter_person = _person_of(counter, roster)
    scrutineer_person = _person_of(scrutineer, voters)
    reserved = {p.pk for p in (counter_person, scrutineer_person) if p is not None}
    member_person = _person_of(_account("member"), roster)  # an ordinary voter: neither stands nor counts
    if member_person is not None:
        reserved.add(member_person.pk)

    # The plan: the present committee's size, kept within R-ORG-2; one deputy where there are 5 seats.
    current = org.committees.get(is_current=True)
    seats_now = list(current.seats.select_related("member").order_by("pk"))
    sizes = committee_size_range(org.kind_enum, org.sector_enum)
    seats = min(max(len(seats_now), sizes.minimum), sizes.normal_max)
    deputies = 1 if seats >= 5 else 0
    election = actions.start_election(
        ORGANIZER,
        org,
        today,
        seats,
        deputies,
        readiness="本届支部委员会已向党员大会述职，完成民主评议；换届工作方案已经支委会研究通过",
        composition="注重从致富带头人、退役军人和妇女党员中推荐人选",
    )
    year = today.year
    actions.decide(
        UPPER_LEVEL,
        actions.submit_plan(ORGANIZER, election),
        Approval.Decision.APPROVED,
        f"城关党字〔{year}〕11号",
        "",
    )

    # Committee candidates: the incumbents who may stand again, then others drawn with the seed,
    # up to the legal surplus (R-CAND-2: at least 20% more candidates than seats).
    eligible = {m.pk for m in standing} - reserved
    incumbents = [s.member for s in seats_now if s.member_id in eligible]
    others = [m for m in standing if m.pk in eligible and m not in incumbents]
    wanted = minimum_candidates(seats)
    chosen = (incumbents + rng.sample(others, max(0, wanted - len(incumbents))))[:wanted]

    # What the choice rests on (R-CAND-1), from a generator of its own: the town's conditions and
    # structure targets, the members' profiles, and the reserve pools, one newcomer groomed in the
    # branch's pool.
    extra = random.Random(SEED + 8)
    conditions = _set_conditions(election, chosen, today)
    post_of = {s.member_id: s.post for s in seats_now}
    profiles = _profiles(roster, chosen, post_of, today, extra)
    newcomers = [m for m in chosen if m.pk not in post_of]
    avoid = reserved | {m.pk for m in chosen}
    pools = load_demo_pools(today, newcomers[:1], avoid, extra)
    from_pool = {p.member_id: p for p in pools.groomed}

    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for number, person in enumerate(chosen):
        if person.pk in from_pool:
            reserve_actions.nominate_from_pool(
                ORGANIZER, from_pool[person.pk], committee, "支部党员推荐（后备人才库）", 30 - 2 * number
            )
        else:
            actions.record_nomination(ORGANIZER, committee, person, "支部党员推荐", 30 - 2 * number)
        actions.set_candidate(
            ORGANIZER, committee, person, Candidate.Stage.PROVISIONAL, vetting="经考察，符合候选人条件"
        )
    # The secretary and deputy stand among the committee candidates (R-CAND-5), incumbents first;
    # one candidate each (R-CAND-3 allows an equal election for these posts).
    rank = {"secretary": 0, "deputy_secretary": 1}
    secretary, deputy = sorted(chosen, key=lambda m: rank.get(post_of.get(m.pk, ""), 2))[:2]
    actions.set_candidate(
        ORGANIZER, election.contests.get(post=Post.SECRETARY), secretary, Candidate.Stage.PROVISIONAL
    )
    if deputies:
        actions.set_candidate(
            ORGANIZER, election.contests.get(post=Post.DEPUTY_SECRETARY), deputy, Candidate.Stage.PROVISIONAL
        )
    vetted = _vet(election, committee, post_of, today, extra)
    actions.decide(
        UPPER_LEVEL,
        actions.submit_candidates(ORGANIZER, election),
        Approval.Decision.APPROVED,
        f"城关党字〔{year}〕12号",
        "",
    )

    # The members' meeting, today: the roll, the procedure, scrutineers and counters.
    meeting = actions.open_meeting(ORGANIZER, election, Meeting.Kind.MEMBERS, today)
    on_roll = set(meeting.attendance.values_list("member_id", flat=True))
    candidates = {m.pk for m in chosen}
    free = [m for m in voters if m.pk in on_roll and m.pk not in candidates and m.pk not in reserved]
    absent = set(rng.sample([m.pk for m in free], ABSENT))
    actions.mark_present(ORGANIZER, meeting, sorted(on_roll - absent))
    meeting = actions.close_roll(ORGANIZER, meeting)
    # This procedure numbers its sheets (an option kept beside the unnumbered default): the demo's
    # desk shows sheets by serial, and the same serials come out when the sheets are printed.
    actions.adopt_procedure(
        ORGANIZER, meeting, "present", False, votes_for=meeting.present, numbered_sheets=True
    )
    helpers = [m for m in free if m.pk not in absent]
    if scrutineer_person is None or scrutineer_person.pk not in on_roll:
        scrutineer_person = helpers.pop()
    chief = helpers.pop(0)
    counter_person = counter_person or helpers.pop(0)
    second_counter = helpers.pop(0)
    counter2 = _new_counter(org, second_counter)
    for person, role in (
        (chief, MeetingRole.Role.CHIEF_SCRUTINEER),
        (scrutineer_person, MeetingRole.Role.SCRUTINEER),
        (counter_person, MeetingRole.Role.COUNTER),
        (second_counter, MeetingRole.Role.COUNTER),
    ):
        actions.appoint(ORGANIZER, meeting, person, role)
    round_ = actions.open_round(ORGANIZER, committee, meeting, issued=meeting.present)

    # The paper ballots, and the first sheets at the double-entry desk.
    # Recorded as ``scanning.print_round`` records it, without rendering the PDF nobody keeps here
    # (about 1.5 s, and a server without the CJK font could not start): the sheets are
    # reproducible, so printing them from the page gives exactly these serials and layout.
    layout = layout_sheet(round_spec(round_))
    printed = record_print(ORGANIZER, round_, RESERVE, layout.paper.value, False, layout.code)
    on_ballot = ballot_order(list(round_.candidates.select_related("member")))
    keys = [c.key for c in on_ballot]

    def enter(account: User, serial: int, slot: int, reading: str) -> None:
        marks = parse_reading(reading, keys)
        enter_at_desk(account, round_, str(serial), slot, marks.marks_for, marks.marks_against, [])

    for serial, reading in enumerate(AGREED, start=1):
        enter(counter, serial, 1, reading)
        enter(counter2, serial, 2, reading)
    enter(counter, len(AGREED) + 1, 1, WAITING)
    enter(counter, len(AGREED) + 2, 1, CONFLICT[0])
    enter(counter2, len(AGREED) + 2, 2, CONFLICT[1])

    accounts = [(counter2.username, NEW_ACCOUNTS[0][2])]
    record(
        "system",
        "load_demo_election",
        election,
        after={"today": today.isoformat(), "round": round_.pk, "accounts": [u for u, _ in accounts]},
        summary=f"载入演示选举：{org.name}换届，第{round_.number}轮计票中；新增演示账号 counter2",
    )
    return DemoElection(
        organization=org.name,
        seats=seats,
        candidates=[c.member.name for c in on_ballot],
        secretary=secretary.name,
        deputy=deputy.name if deputies else "",
        entitled=meeting.entitled,
        present=meeting.present,
        round_number=round_.number,
        issued=round_.issued or 0,
        printed=printed.sheets,
        counted=round_.ballots.count(),
        waiting=[e.key for slot in DeskEntry.Slot.values for e in pending(round_, slot)],
        conflicts=conflict_keys(round_),
        round_id=round_.pk,
        accounts=accounts,
        election_id=election.pk,
        conditions=conditions,
        profiles=profiles,
        vetted=vetted,
        pools=pools.organizations,
        pool_people=pools.people,
        from_pool=[p.member.name for p in pools.groomed],
        empty_township=pools.empty_township,
    )


def _new_counter(org: Organization, person: Member) -> User:
    """The second counter's account, named after the member appointed to count; the demo password."""
    username, role, _ = NEW_ACCOUNTS[0]
    return User.objects.create_user(
        username, password=PASSWORD, organization=org, role=role.value, display_name=person.name
    )


def _set_conditions(election: Election, chosen: list[Member], today: date) -> list[str]:
    """The town's conditions and structure targets for the branch's election (R-CAND-1).

    The usual lines (party age at least two years, not over 65 on the day), each eased just enough
    that the slate the loader chose meets it: the demo county's members are generated relative to
    ``today``, so an incumbent may be older, or a newcomer's party age shorter, on another day."""
    oldest = max(completed_years(m.birth_date, today) for m in chosen)
    shortest = min(party_age(m.full_member_on, today) or 0 for m in chosen)
    vetting.set_conditions(
        UPPER_LEVEL,
        election,
        min_party_age=min(PARTY_AGE, shortest),
        max_age=max(MAX_AGE, -(-oldest // 5) * 5),
        other="遵纪守法、品行端正，热心为群众服务，在群众中有较高威信",
    )
    vetting.set_structure_targets(UPPER_LEVEL, election, **TARGETS)
    return conditions_text(election)


def _education(age: int, rng: random.Random) -> str:
    if age < 40:
        return rng.choice([Education.COLLEGE, Education.BACHELOR, Education.HIGH_SCHOOL])
    if age < 55:
        return rng.choice(
            [Education.HIGH_SCHOOL, Education.HIGH_SCHOOL, Education.PRIMARY, Education.COLLEGE]
        )
    return rng.choice([Education.PRIMARY, Education.PRIMARY, Education.HIGH_SCHOOL])


def _profiles(
    roster: list[Member], chosen: list[Member], post_of: dict[int, str], today: date, rng: random.Random
) -> int:
    """Profiles (education, occupation, front line, residence) for every candidate and incumbent and
    for about PROFILED of the other members, recorded by the branch secretary."""
    seat_names = dict(POST_CHOICES)
    must = {m.pk for m in chosen} | set(post_of)
    young_candidates = sorted((m for m in chosen if m.pk not in post_of), key=lambda m: m.birth_date)
    count = 0
    for member in roster:
        if member.pk not in must and rng.random() >= PROFILED:
            continue
        age = completed_years(member.birth_date, today)
        education = _education(age, rng)
        if member.pk in post_of:
            occupation, front_line, residence = "村干部", True, "本村常住"
            post = f"村党支部{seat_names[post_of[member.pk]]}"
        elif age >= 65:
            (occupation, front_line, residence), post = RETIRED, ""
        else:
            choices = OCCUPATIONS[:-1] if member.pk in must else OCCUPATIONS
            (occupation, front_line, residence), post = rng.choice(choices), ""
        if young_candidates and member.pk == young_candidates[-1].pk:
            education = Education.COLLEGE  # the youngest newcomer: 大专 (the 大专以上 target)
        vetting.save_profile(
            ORGANIZER,
            member,
            education=education,
            occupation=occupation,
            front_line=front_line,
            current_post=post,
            residence=residence,
            resides_locally=residence == "本村常住",
        )
        count += 1
    return count


def _vet(
    election: Election, committee: Contest, post_of: dict[int, str], today: date, rng: random.Random
) -> int:
    """The town's vetting team's record of every provisional committee candidate: the four checks
    passed, a democratic assessment by about thirty members, a talk or two, the conclusion. The
    secretary's and deputy's candidates were vetted with the committee's: their records say the
    same. Returns how many committee candidates were vetted."""
    town = Organization.objects.get(name="中共城关镇机关支部委员会")
    staff = list(Member.objects.filter(organization=town, left_on__isnull=True).order_by("pk"))
    team = "、".join([_account(UPPER_LEVEL).display_name, *(m.name for m in staff[: VETTING_TEAM - 1])])
    candidates = list(
        Candidate.objects.filter(contest__election=election, stage=Candidate.Stage.PROVISIONAL)
        .select_related("member__profile", "contest")
        .order_by("contest__position", "pk")
    )
    done: dict[int, dict[str, Any]] = {}
    for candidate in candidates:
        member = candidate.member
        if member.pk in done:  # a secretary's or deputy's candidate, vetted as a committee candidate
            vetting.save_vetting(UPPER_LEVEL, candidate, **done[member.pk])
            continue
        occupation = "村干部" if member.pk in post_of else member.profile.occupation
        participants = rng.randint(28, 34)
        excellent = rng.randint(participants // 2, participants - 6)
        competent = rng.randint(3, participants - excellent - 2)
        basic = rng.randint(0, 2)
        incompetent = rng.randint(0, min(1, participants - excellent - competent - basic))
        values: dict[str, Any] = {
            key: text.format(work=WORK.get(occupation, "工作勤恳")) for key, text in FINDINGS.items()
        }
        values |= {
            "political_verdict": Verdict.PASS,
            "ability_verdict": Verdict.PASS,
            "conduct_verdict": Verdict.PASS,
            "integrity_verdict": Verdict.PASS,
            "assessment_participants": participants,
            "rated_excellent": excellent,
            "rated_competent": competent,
            "rated_basically_competent": basic,
            "rated_incompetent": incompetent,
            "conclusion": "符合候选人条件",
            "team": team,
            "vetted_on": today - timedelta(days=5),
        }
        vetting.save_vetting(UPPER_LEVEL, candidate, **values)
        done[member.pk] = values
        for days, (whom, summary) in enumerate(rng.sample(TALKS, rng.randint(1, 2))):
            vetting.add_talk(UPPER_LEVEL, candidate, today - timedelta(days=7 - days), whom, summary)
    return sum(1 for c in candidates if c.contest_id == committee.pk)
