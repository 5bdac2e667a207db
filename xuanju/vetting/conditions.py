"""The upper level's conditions (R-CAND-1, R-CAND-6) checked for a member over stored data and
worded in Chinese; the decisions are :mod:`xuanju.rules.conditions`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xuanju.elections.models import Candidate, Election, Nomination
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
from xuanju.rules.voting import NoRightReason
from xuanju.vetting.models import (
    Education,
    ElectionConditions,
    MemberProfile,
    Sanction,
)

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
