"""Read-side questions of vetting, answered by the rules over stored data: who may see what, the
upper level's conditions checked for a member (R-CAND-1, R-CAND-6) and worded in Chinese, and the
structure of a slate or a committee against the targets (R-CAND-1: 结构合理).

The pure decisions are in :mod:`xuanju.rules.conditions` and :mod:`xuanju.rules.structure`; this
module loads what they need and words what they return.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuanju.elections.models import Candidate, Elected, Election, ElectionStatus, Nomination, Post
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Member
from xuanju.organizations.services import rights_of
from xuanju.rules.conditions import (
    EDUCATION_CODES,
    ConditionFailure,
    Conditions,
    EducationLevel,
    Failure,
    Person,
    check_conditions,
    education_from_code,
)
from xuanju.rules.names import stroke_key
from xuanju.rules.structure import (
    AGE_BANDS,
    Gap,
    Structure,
    StructurePerson,
    TargetGap,
    Targets,
    at_risk_targets,
    structure_of,
    target_gaps,
    unreachable_targets,
)
from xuanju.rules.voting import NoRightReason, completed_years, party_age
from xuanju.vetting.access import edits_profile as edits_profile  # old import path
from xuanju.vetting.access import sees_vetting as sees_vetting  # old import path
from xuanju.vetting.access import sets_conditions as sets_conditions  # old import path
from xuanju.vetting.models import (
    Education,
    ElectionConditions,
    MemberProfile,
    Sanction,
    StructureTargets,
    Verdict,
    VettingRecord,
)

# --- who may see and change what -------------------------------------------------------------

#: The conditions and the structure targets can change until the provisional candidates go to the
#: upper level (R-RPT-2): after that the upper level reviews the slate against what it had set.
CONDITIONS_OPEN = (ElectionStatus.PLANNING, ElectionStatus.PLAN_SUBMITTED, ElectionStatus.PLAN_APPROVED)
#: Vetting is written while people are chosen and while the upper level reviews them.
VETTING_OPEN = (ElectionStatus.PLAN_APPROVED, ElectionStatus.CANDIDATES_SUBMITTED)


# sees_vetting, sets_conditions, edits_profile: xuanju.vetting.access (imported above).


# --- the upper level's conditions (R-CAND-1, R-CAND-6) ---------------------------------------

LEVEL_NAME = {level: Education(code).label for code, level in EDUCATION_CODES.items()}
#: How a minimum education reads in a condition ("大专以上").
MINIMUM_NAME = {
    EducationLevel.PRIMARY: "初中以上",
    EducationLevel.HIGH_SCHOOL: "高中（中专）以上",
    EducationLevel.COLLEGE: "大专以上",
    EducationLevel.BACHELOR: "大学本科以上",
    EducationLevel.POSTGRADUATE: "研究生",
}
NO_RIGHT_TEXT = {
    NoRightReason.PROBATIONARY.value: "是预备党员，没有被选举权（R-VOTE-2、R-CAND-6）",
    NoRightReason.PROBATION_WITHIN_PARTY.value: "正受留党察看处分，没有被选举权（R-VOTE-3、R-CAND-6）",
    NoRightReason.SUSPENDED.value: "被留置或逮捕，被选举权暂停（R-VOTE-4、R-CAND-6）",
}
SANCTION_SEVERITY = [k.value for k in Sanction.Kind]  # mildest first


def day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def conditions_of(election: Election) -> Conditions:
    """The conditions set for ``election``; without a row, the election's old minimum party age."""
    try:
        stored = election.conditions
    except ElectionConditions.DoesNotExist:
        return Conditions(min_party_age=election.minimum_party_age or None)
    return Conditions(
        min_party_age=stored.min_party_age or None,
        min_age=stored.min_age,
        max_age=stored.max_age,
        min_education=education_from_code(stored.min_education),
        must_reside_locally=stored.must_reside_locally,
        sanction_free_years=stored.sanction_free_years or None,
    )


def conditions_text(election: Election) -> list[str]:
    """The conditions as the nomination page and the request state them."""
    c = conditions_of(election)
    lines = []
    if c.min_party_age:
        lines.append(f"党龄不少于 {c.min_party_age} 年")
    if c.min_age is not None and c.max_age is not None:
        lines.append(f"选举日年满 {c.min_age} 周岁、不超过 {c.max_age} 周岁")
    elif c.min_age is not None:
        lines.append(f"选举日年满 {c.min_age} 周岁")
    elif c.max_age is not None:
        lines.append(f"选举日不超过 {c.max_age} 周岁")
    if c.min_education is not None:
        lines.append(f"学历{MINIMUM_NAME[c.min_education]}")
    if c.must_reside_locally:
        lines.append("在本地居住")
    if c.sanction_free_years:
        lines.append(f"近 {c.sanction_free_years} 年内未受党纪处分")
    stored = ElectionConditions.objects.filter(election=election).first()
    if stored is not None and stored.other.strip():
        lines.append(stored.other.strip())
    return lines


def profile_of(member: Member) -> MemberProfile | None:
    try:
        return member.profile
    except MemberProfile.DoesNotExist:
        return None


def person_of(member: Member, day: date) -> Person:
    """What the conditions need to know of ``member`` on the election day ``day``."""
    rights = rights_of(member, day)  # R-VOTE, R-CAND-6
    profile = profile_of(member)
    return Person(
        birth_date=member.birth_date,
        full_member_on=member.full_member_on if member.is_full else None,
        education=education_from_code(profile.education) if profile else None,
        resides_locally=profile.resides_locally if profile else None,
        sanction_dates=tuple(s.decided_on for s in member.sanctions.all()),
        may_stand=rights.can_stand,
        no_right_reason=rights.reasons[0].value if rights.reasons else None,
    )


def _sanction_kind(member: Member, on: date | None) -> str:
    """The most severe sanction decided on ``on`` (the date a failure names)."""
    kinds = [s.kind for s in member.sanctions.all() if s.decided_on == on]
    if not kinds:
        return "党纪"
    return Sanction.Kind(max(kinds, key=SANCTION_SEVERITY.index)).label


def failure_text(failure: ConditionFailure, member: Member, election: Election) -> str:
    """One unmet condition in a Chinese sentence with its reason and rule."""
    kind, required, actual, on = failure.failure, failure.required, failure.actual, failure.on
    if kind is Failure.NO_RIGHT_TO_STAND:
        reason = NO_RIGHT_TEXT.get(failure.reason or "", "已不在册，没有被选举权（R-CAND-6）")
        return f"选举日（{day_text(election.planned_on)}）{reason}"
    if kind is Failure.PROBATIONARY:
        return f"尚未转为正式党员，没有党龄，不足 {required} 年（R-CAND-1）"
    if kind is Failure.PARTY_AGE_TOO_LOW:
        until = f"，{day_text(on)}才满 {required} 年" if on else ""
        return f"党龄 {actual} 年，不足 {required} 年{until}（R-CAND-1）"
    if kind is Failure.TOO_YOUNG:
        until = f"，{day_text(on)}才满" if on else ""
        return f"选举日年龄 {actual} 岁，不满 {required} 周岁{until}（R-CAND-1）"
    if kind is Failure.TOO_OLD:
        return f"选举日年龄 {actual} 岁，超过 {required} 周岁（R-CAND-1）"
    minimum = MINIMUM_NAME.get(EducationLevel(required), "") if required else ""
    if kind is Failure.EDUCATION_TOO_LOW:
        held = LEVEL_NAME[EducationLevel(actual)] if actual else ""
        return f"学历为{held}，不符合“{minimum}”（R-CAND-1）"
    if kind is Failure.EDUCATION_UNKNOWN:
        return f"学历未登记，无法判断是否符合“{minimum}”（R-CAND-1）"
    if kind is Failure.NOT_RESIDENT:
        return "不在本地居住，不符合“在本地居住”的条件（R-CAND-1）"
    if kind is Failure.RESIDENCE_UNKNOWN:
        return "居住情况未登记，无法判断是否在本地居住（R-CAND-1）"
    if kind is Failure.RECENT_SANCTION:
        when = day_text(on) if on else "近期"
        return f"{when}受{_sanction_kind(member, on)}处分，未满 {required} 年（R-CAND-1）"
    return str(kind)  # pragma: no cover - every Failure is worded above


@dataclass(frozen=True)
class ConditionCheck:
    """A member checked against an election's conditions on its planned date."""

    member: Member
    failures: tuple[ConditionFailure, ...]
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def check_member(member: Member, election: Election) -> ConditionCheck:
    """R-CAND-6 and the upper level's conditions (R-CAND-1) for ``member`` on the planned date."""
    failures = check_conditions(
        person_of(member, election.planned_on), conditions_of(election), election.planned_on
    )
    return ConditionCheck(member, failures, tuple(failure_text(f, member, election) for f in failures))


def condition_failures(candidate_or_member: Candidate | Member, election: Election) -> list[str]:
    """Why ``candidate_or_member`` may not be a candidate in ``election``, one Chinese sentence per
    unmet condition (R-CAND-1, R-CAND-6); empty when every condition is met."""
    member = candidate_or_member.member if isinstance(candidate_or_member, Candidate) else candidate_or_member
    return list(check_member(member, election).reasons)


def require_conditions(member: Member, election: Election) -> None:
    """Refuse, with every reason, a member who fails the election's conditions (for the actions
    that put someone on the preliminary list or the provisional candidates)."""
    reasons = condition_failures(member, election)
    if reasons:
        raise ActionError(f"{member.name}不符合条件：" + "；".join(reasons), "member")


def _with_records(members: Iterable[Member]) -> list[Member]:
    ids = [m.pk for m in members]
    return list(
        Member.objects.filter(pk__in=ids)
        .select_related("organization", "profile")
        .prefetch_related("sanctions", "restrictions")
    )


@dataclass(frozen=True)
class CheckRow:
    """One person nominated or listed in an election, with the posts and the check."""

    member: Member
    posts: tuple[str, ...]  # "委员（预备人选）", "书记（被推荐 12 人）"…
    check: ConditionCheck


def election_checks(election: Election) -> list[CheckRow]:
    """Every nominee and every person listed (not dropped) in ``election``, checked; failing ones
    first, then by name."""
    posts: dict[int, list[str]] = {}
    for candidate in Candidate.objects.filter(contest__election=election).select_related("contest"):
        if candidate.stage == Candidate.Stage.DROPPED:
            continue
        posts.setdefault(candidate.member_id, []).append(
            f"{candidate.contest.get_post_display()}（{candidate.get_stage_display()}）"
        )
    for nomination in Nomination.objects.filter(contest__election=election).select_related("contest"):
        label = f"{nomination.contest.get_post_display()}（被推荐）"
        entry = posts.setdefault(nomination.nominee_id, [])
        if not any(p.startswith(nomination.contest.get_post_display()) for p in entry):
            entry.append(label)
    members = _with_records(Member.objects.filter(pk__in=list(posts)))
    rows = [CheckRow(m, tuple(posts[m.pk]), check_member(m, election)) for m in members]
    return sorted(rows, key=lambda r: (r.check.passed, r.member.name))


# --- vetting (考察) ----------------------------------------------------------------------------

#: The democratic assessment raises a concern when more than a third of the participants rated the
#: person 不称职 (the usual line in cadre selection: 不称职票超过三分之一的不得列为人选).
INCOMPETENT_CONCERN_NUMERATOR, INCOMPETENT_CONCERN_DENOMINATOR = 1, 3
CHECKS = (
    ("political", "政治关"),
    ("ability", "能力关"),
    ("conduct", "作风关"),
    ("integrity", "廉政关"),
)
RATINGS = (
    ("rated_excellent", "优秀"),
    ("rated_competent", "称职"),
    ("rated_basically_competent", "基本称职"),
    ("rated_incompetent", "不称职"),
)


def assessment_problem(participants: int, counts: Iterable[int]) -> str | None:
    """Why counts of a democratic assessment cannot be right, or None."""
    values = list(counts)
    if participants < 0 or any(v < 0 for v in values):
        return "人数不能为负数"
    if sum(values) > participants:
        return f"各档票数合计 {sum(values)}，超过参加测评的 {participants} 人"
    return None


def incompetent_concern(record: VettingRecord) -> bool:
    """More than a third of the participants rated 不称职 (see INCOMPETENT_CONCERN_*)."""
    participants = record.assessment_participants
    return (
        participants > 0
        and record.rated_incompetent * INCOMPETENT_CONCERN_DENOMINATOR
        > participants * INCOMPETENT_CONCERN_NUMERATOR
    )


def assessment_rows(record: VettingRecord) -> list[dict[str, Any]]:
    """Each rating with its count and its share of the participants (one decimal)."""
    participants = record.assessment_participants
    rows = []
    for field, label in RATINGS:
        count = getattr(record, field)
        share = round(count * 100 / participants, 1) if participants else None
        rows.append({"label": label, "count": count, "percent": share})
    blank = participants - sum(getattr(record, f) for f, _ in RATINGS)
    rows.append(
        {
            "label": "未表态",
            "count": blank,
            "percent": round(blank * 100 / participants, 1) if participants else None,
        }
    )
    return rows


def vetting_summary(record: VettingRecord | None) -> str:
    """One line for lists and the export: the conclusion, or the state of the four checks."""
    if record is None:
        return "未考察"
    concerns = [label for key, label in CHECKS if getattr(record, f"{key}_verdict") == Verdict.CONCERN]
    if incompetent_concern(record):
        concerns.append("民主测评不称职票超过三分之一")
    pending = [label for key, label in CHECKS if not getattr(record, f"{key}_verdict")]
    parts = []
    if record.conclusion.strip():
        parts.append(record.conclusion.strip())
    elif pending:
        parts.append("考察中（" + "、".join(pending) + "未作结论）")
    else:
        parts.append("四关均已作结论")
    if concerns:
        parts.append("需关注：" + "、".join(concerns))
    return "；".join(parts)


def record_of(candidate: Candidate) -> VettingRecord | None:
    try:
        return candidate.vetting_record
    except VettingRecord.DoesNotExist:
        return None


def vetting_candidates(election: Election) -> list[Candidate]:
    """The people whose vetting is kept: everyone listed and not dropped, committee first."""
    order = {Post.COMMITTEE_MEMBER: 0, Post.SECRETARY: 1, Post.DEPUTY_SECRETARY: 2}
    candidates = (
        Candidate.objects.filter(contest__election=election)
        .exclude(stage=Candidate.Stage.DROPPED)
        .select_related("contest", "member", "vetting_record")
    )
    return sorted(candidates, key=lambda c: (order.get(Post(c.contest.post), 9), c.member.name))


# --- team structure (R-CAND-1: 结构合理) -------------------------------------------------------

SLATE_STAGES = (Candidate.Stage.PROVISIONAL, Candidate.Stage.CANDIDATE)
HAN = ("汉族", "汉", "")


def targets_of(election: Election) -> Targets | None:
    """The upper level's structure targets for ``election``, or None when none are set."""
    stored = StructureTargets.objects.filter(election=election).first()
    if stored is None:
        return None
    return Targets(
        min_women=stored.min_women,
        min_minorities=stored.min_minorities,
        max_average_age=stored.max_average_age,
        min_under_age=(stored.under_age, stored.min_under_age)
        if stored.under_age is not None and stored.min_under_age is not None
        else None,
        min_college_or_above=stored.min_college_or_above,
        min_front_line=stored.min_front_line,
        min_new=stored.min_new,
        max_returning=stored.max_returning,
    )


def election_day(election: Election) -> date:
    """The day ages are counted on: the members' meeting if held, else the planned date."""
    meeting = election.meetings.filter(kind="members").first()
    return meeting.held_on if meeting else election.planned_on


def outgoing_members(election: Election) -> set[int]:
    """Members of the committee in office before ``election`` (for 连任 and 新进)."""
    committee = (
        election.organization.committees.filter(elected_on__lt=election_day(election))
        .order_by("-elected_on", "-pk")
        .first()
    )
    if committee is None:
        return set()
    return set(committee.seats.values_list("member_id", flat=True))


def structure_person(member: Member, returning: set[int]) -> StructurePerson:
    profile = profile_of(member)
    return StructurePerson(
        key=str(member.pk),
        female=member.gender == "女",
        minority=member.ethnicity.strip() not in HAN,
        birth_date=member.birth_date,
        education=education_from_code(profile.education) if profile else None,
        occupation=(profile.occupation.strip() if profile else "") or "未登记",
        front_line=bool(profile and profile.front_line),
        returning=member.pk in returning,
    )


AGE_BAND_NAMES = tuple(
    f"{high} 岁及以下" if low is None else (f"{low} 岁及以上" if high is None else f"{low}–{high} 岁")
    for low, high in AGE_BANDS
)
TARGET_NAMES = {
    Gap.MIN_WOMEN: ("女性", "女性至少 {n} 名"),
    Gap.MIN_MINORITIES: ("少数民族", "少数民族至少 {n} 名"),
    Gap.MAX_AVERAGE_AGE: ("平均年龄", "平均年龄不超过 {n} 岁"),
    Gap.MIN_UNDER_AGE: ("{age} 岁及以下", "{age} 岁及以下至少 {n} 名"),
    Gap.MIN_COLLEGE_OR_ABOVE: ("大专以上学历", "大专以上学历至少 {n} 名"),
    Gap.MIN_FRONT_LINE: ("生产、工作一线", "生产、工作一线至少 {n} 名"),
    Gap.MIN_NEW: ("新进", "新进委员至少 {n} 名"),
    Gap.MAX_RETURNING: ("连任", "连任委员至多 {n} 名"),
}


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, int) or float(value).is_integer() else f"{value:.1f}"


def target_label(gap: Gap, required: float | int, age: int | None = None) -> str:
    return TARGET_NAMES[gap][1].format(n=_number(required), age=age)


def _noun(item: TargetGap, new: str) -> str:
    """Who a counted target counts, to follow "候选人中没有" or "… 名"."""
    if item.gap is Gap.MIN_NEW:
        return new
    if item.gap is Gap.MIN_UNDER_AGE:
        return f" {item.age} 岁及以下的人选"
    return TARGET_NAMES[item.gap][0]


def unreachable_text(item: TargetGap, seats: int) -> str:
    """A target no outcome can meet, worded for the slate page."""
    label = f"“{target_label(item.gap, item.required, item.age)}”"
    tail = f"，无论选举结果如何都达不到{label}的要求（R-CAND-1）"
    if item.gap is Gap.MAX_AVERAGE_AGE:
        return f"即使最年轻的候选人当选，平均年龄也有 {_number(item.actual or 0)} 岁{tail}"
    if item.gap is Gap.MAX_RETURNING:
        return f"即使新人选全部当选，连任委员也至少有 {item.actual} 名{tail}"
    noun = _noun(item, "新人选（非上届委员）")
    if not item.actual:
        return f"候选人中没有{noun}{tail}"
    return f"候选人中{noun}最多只能当选 {item.actual} 名（应选 {seats} 名）{tail}"


def at_risk_text(item: TargetGap) -> str:
    """A target met only if particular candidates are all elected."""
    label = f"“{target_label(item.gap, item.required, item.age)}”"
    if item.gap is Gap.MAX_AVERAGE_AGE:
        return f"只有最年轻的几名候选人都当选，才能达到{label}的要求"
    if item.gap is Gap.MAX_RETURNING:
        return f"新人选须全部当选，才能达到{label}的要求"
    return f"候选人中的 {item.actual} 名{_noun(item, '新人选')}须全部当选，才能达到{label}的要求"


def gap_text(item: TargetGap) -> str:
    """A target the elected committee misses."""
    label = f"“{target_label(item.gap, item.required, item.age)}”"
    if item.gap is Gap.MAX_AVERAGE_AGE:
        return f"平均年龄 {_number(item.actual or 0)} 岁，未达到{label}的要求"
    return f"实际 {item.actual} 名，未达到{label}的要求"


def _actual(structure: Structure, gap: Gap, age: int | None) -> float | int | None:
    return {
        Gap.MIN_WOMEN: structure.women,
        Gap.MIN_MINORITIES: structure.minorities,
        Gap.MAX_AVERAGE_AGE: structure.average_age,
        Gap.MIN_UNDER_AGE: structure.aged_at_most(age) if age is not None else None,
        Gap.MIN_COLLEGE_OR_ABOVE: structure.college_or_above,
        Gap.MIN_FRONT_LINE: structure.front_line,
        Gap.MIN_NEW: structure.new,
        Gap.MAX_RETURNING: structure.returning,
    }[gap]


def target_rows(structure: Structure, targets: Targets | None) -> list[dict[str, Any]]:
    """Each target set, with the group's number and whether it is met now."""
    if targets is None:
        return []
    missed = {g.gap for g in target_gaps(structure, targets)}
    rows = []
    for gap in Gap:
        value = getattr(targets, gap.value)
        if value is None:
            continue
        age, required = value if gap is Gap.MIN_UNDER_AGE else (None, value)
        actual = _actual(structure, gap, age)
        rows.append(
            {
                "gap": gap.value,
                "name": TARGET_NAMES[gap][0].format(age=age),
                "target": target_label(gap, required, age),
                "required": required,
                "actual": actual,
                "actual_text": "—" if actual is None else _number(actual),
                "met": gap not in missed,
            }
        )
    return rows


@dataclass(frozen=True)
class TeamStructure:
    """A group of people (a slate or a committee) with its structure and what it says about the
    targets: ``unreachable``/``at_risk`` for a slate, ``gaps`` for an elected committee."""

    people: list[Member]
    seats: int
    on: date
    structure: Structure
    targets: Targets | None
    target_rows: list[dict[str, Any]]
    unreachable: list[str]
    at_risk: list[str]
    gaps: list[str]
    source: str


def slate_people(election: Election) -> tuple[list[Member], int]:
    """The provisional candidates of the committee (of every contest, for a branch electing a
    secretary only) and the seats they compete for."""
    contests = list(election.contests.all())
    committee = [c for c in contests if c.post == Post.COMMITTEE_MEMBER]
    chosen = committee or contests
    ids = (
        Candidate.objects.filter(contest__in=chosen, stage__in=SLATE_STAGES)
        .values_list("member_id", flat=True)
        .distinct()
    )
    people = sorted(_with_records(Member.objects.filter(pk__in=list(ids))), key=lambda m: stroke_key(m.name))
    return people, sum(c.seats for c in chosen)


def slate_structure(election: Election) -> TeamStructure:
    """The structure of the slate, with the targets no outcome can reach and those at risk."""
    people, seats = slate_people(election)
    on = election_day(election)
    returning = outgoing_members(election)
    persons = [structure_person(m, returning) for m in people]
    structure = structure_of(persons, on)
    targets = targets_of(election)
    unreachable: list[str] = []
    at_risk: list[str] = []
    if targets is not None and seats:
        unreachable = [unreachable_text(g, seats) for g in unreachable_targets(persons, seats, targets, on)]
        at_risk = [at_risk_text(g) for g in at_risk_targets(persons, seats, targets, on)]
    return TeamStructure(
        people,
        seats,
        on,
        structure,
        targets,
        target_rows(structure, targets),
        unreachable,
        at_risk,
        [],
        "预备人选",
    )


def committee_structure(election: Election) -> TeamStructure:
    """The structure of those elected in ``election`` (or, before any is elected, of the committee
    in office) against the targets."""
    on = election_day(election)
    elected_ids = list(
        Elected.objects.filter(contest__election=election, member__isnull=False)
        .values_list("member_id", flat=True)
        .distinct()
    )
    if elected_ids:
        source = "本次选举当选"
        ids = elected_ids
    else:
        source = "现任委员会"
        current = election.organization.committees.filter(is_current=True).first()
        ids = list(current.seats.values_list("member_id", flat=True)) if current else []
    people = sorted(_with_records(Member.objects.filter(pk__in=ids)), key=lambda m: stroke_key(m.name))
    returning = outgoing_members(election) if elected_ids else set(ids)
    structure = structure_of([structure_person(m, returning) for m in people], on)
    targets = targets_of(election)
    gaps = [gap_text(g) for g in target_gaps(structure, targets)] if targets is not None else []
    return TeamStructure(
        people, len(people), on, structure, targets, target_rows(structure, targets), [], [], gaps, source
    )


# --- charts (inline SVG, drawn by templates/vetting/_bar_chart.html) ----------------------------

CHART_WIDTH, LABEL_WIDTH, BAR_HEIGHT, BAR_GAP = 560, 150, 22, 8


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float | int]],
    unit: str = "名",
    targets: dict[str, float | int] | None = None,
    missed: Iterable[str] = (),
    key: str = "chart",
) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: one bar per (label, value), an optional target marker per
    label. The template draws it as SVG with a <title>, a <desc> and a table of the same numbers."""
    targets = targets or {}
    missed = set(missed)
    top = max([1.0, *(float(v) for _, v in bars), *(float(v) for v in targets.values())])
    span = CHART_WIDTH - LABEL_WIDTH - 60
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * (BAR_HEIGHT + BAR_GAP)  # 4: room for the target marker above the first bar
        target = targets.get(label)
        rows.append(
            {
                "label": label,
                "value": value,
                "value_text": _number(value),
                "y": y,
                "text_y": round(y + BAR_HEIGHT * 0.7, 1),
                "width": round(float(value) / top * span, 1),
                "end": LABEL_WIDTH + round(float(value) / top * span, 1) + 6,
                "target": target,
                "target_text": None if target is None else _number(target),
                "target_x": None if target is None else LABEL_WIDTH + round(float(target) / top * span, 1),
                "missed": label in missed,
            }
        )
    description = "；".join(
        f"{r['label']} {r['value_text']}{unit}"
        + (f"（要求 {r['target_text']}）" if r["target"] is not None else "")
        for r in rows
    )
    return {
        "id": key,
        "title": title,
        "desc": description,
        "rows": rows,
        "unit": unit,
        "width": CHART_WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "height": max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP) + 4,
        "has_targets": bool(targets),
    }


def structure_charts(team: TeamStructure) -> list[dict[str, Any]]:
    """The charts of a team: age bands, education, occupation, and the counted targets."""
    s = team.structure
    education = [(LEVEL_NAME[level], s.education_count(level)) for level in EducationLevel]
    if s.education_unknown:
        education.append(("未登记", s.education_unknown))
    charts = [
        bar_chart("年龄结构", list(zip(AGE_BAND_NAMES, s.age_bands, strict=True)), key="chart-age"),
        bar_chart("学历结构", education, key="chart-education"),
        bar_chart("职业（岗位）", list(s.occupations), key="chart-occupation"),
    ]
    counted = [r for r in team.target_rows if r["gap"] != Gap.MAX_AVERAGE_AGE.value]
    basics = [
        ("女性", s.women),
        ("少数民族", s.minorities),
        ("生产、工作一线", s.front_line),
        ("新进", s.new),
    ]
    basics += [("连任", s.returning), ("大专以上学历", s.college_or_above)]
    names = {name for name, _ in basics}
    basics += [(r["name"], r["actual"]) for r in counted if r["name"] not in names]
    marks = {r["name"]: r["required"] for r in counted}
    missed = {r["name"] for r in counted if not r["met"]}
    charts.append(bar_chart("结构要求对照", basics, targets=marks, missed=missed, key="chart-targets"))
    return charts


# --- the slate for the export and the candidate request document ------------------------------


def slate_document(election: Election) -> dict[str, Any]:
    """The slate's profile rows and its structure against the targets, as plain values, for the
    .xlsx export and the candidate request (关于候选人预备人选的请示)."""
    team = slate_structure(election)
    on = team.on
    posts: dict[int, list[str]] = {}
    records: dict[int, VettingRecord | None] = {}
    for candidate in (
        Candidate.objects.filter(contest__election=election, stage__in=SLATE_STAGES)
        .select_related("contest", "vetting_record")
        .order_by("contest__position")
    ):
        posts.setdefault(candidate.member_id, []).append(candidate.contest.get_post_display())
        if candidate.contest.post == Post.COMMITTEE_MEMBER or candidate.member_id not in records:
            records[candidate.member_id] = record_of(candidate)
    returning = outgoing_members(election)
    rows = []
    for member in team.people:
        profile = profile_of(member)
        check = check_member(member, election)
        rows.append(
            {
                "name": member.name,
                "gender": member.gender,
                "ethnicity": member.ethnicity,
                "birth_date": member.birth_date,
                "age": completed_years(member.birth_date, on),
                "party_age": party_age(member.full_member_on if member.is_full else None, on),
                "education": profile.get_education_display() if profile and profile.education else "",
                "occupation": profile.occupation if profile else "",
                "current_post": profile.current_post if profile else "",
                "front_line": bool(profile and profile.front_line),
                "returning": member.pk in returning,
                "posts": "、".join(posts.get(member.pk, [])),
                "vetting": vetting_summary(records.get(member.pk)),
                "conditions_met": check.passed,
                "conditions": "符合" if check.passed else "；".join(check.reasons),
            }
        )
    s = team.structure
    structure = {
        "size": s.size,
        "seats": team.seats,
        "women": s.women,
        "minorities": s.minorities,
        "average_age": None if s.average_age is None else round(s.average_age, 1),
        "youngest": s.youngest,
        "oldest": s.oldest,
        "age_bands": dict(zip(AGE_BAND_NAMES, s.age_bands, strict=True)),
        "education": {LEVEL_NAME[level]: s.education_count(level) for level in EducationLevel}
        | ({"未登记": s.education_unknown} if s.education_unknown else {}),
        "college_or_above": s.college_or_above,
        "occupations": dict(s.occupations),
        "front_line": s.front_line,
        "returning": s.returning,
        "new": s.new,
    }
    return {
        "on": on,
        "candidates": rows,
        "structure": structure,
        "targets": team.target_rows,
        "unreachable": team.unreachable,
        "at_risk": team.at_risk,
        "conditions": conditions_text(election),
    }
