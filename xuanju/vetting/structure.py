"""The structure of a slate or a committee against the upper level's targets (R-CAND-1: 结构合理),
worded in Chinese; the decisions are :mod:`xuanju.rules.structure`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from xuanju.elections.models import Candidate, Elected, Election, Post
from xuanju.organizations.models import Member
from xuanju.rules.conditions import education_from_code
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
from xuanju.vetting.conditions import _with_records, profile_of
from xuanju.vetting.models import StructureTargets

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
