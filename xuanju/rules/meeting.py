"""The electing meeting: who is entitled, quorum, scrutineers (选举大会, R-MEET)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ExclusionReason(StrEnum):
    """Situations in which a member may be left out of those entitled to attend (应到会), R-MEET-2."""

    LONG_ILLNESS = "long_illness"  # 患病不能表达本人意志
    ABROAD = "abroad"  # 出国半年以上
    SERVING_SENTENCE = "serving_sentence"  # 受刑事处分正在服刑
    AWAY_WITHOUT_TRANSFER = "away_without_transfer"  # 外出半年以上未转组织关系
    OTHER_APPROVED = "other_approved"  # 其他经上级同意的情形


@dataclass(frozen=True)
class Exclusion:
    """One member left out of the entitled count, with the approvals R-MEET-2 requires."""

    member_id: str
    reason: ExclusionReason
    upper_level_consent: bool
    meeting_approval: bool


class ExclusionProblem(StrEnum):
    NO_UPPER_LEVEL_CONSENT = "no_upper_level_consent"
    NO_MEETING_APPROVAL = "no_meeting_approval"
    NOT_A_VOTER = "not_a_voter"
    DUPLICATE = "duplicate"


def exclusion_problems(
    voters: Iterable[str], exclusions: Iterable[Exclusion]
) -> list[tuple[str, ExclusionProblem]]:
    """Why each exclusion may not be applied: it needs consent above and approval by the meeting.

    R-MEET-2: both approvals are required; an exclusion of someone who has no vote, or a second one
    for the same member, is a mistake in the roll.
    """
    voter_ids = set(voters)
    seen: set[str] = set()
    problems: list[tuple[str, ExclusionProblem]] = []
    for exclusion in exclusions:
        if exclusion.member_id not in voter_ids:
            problems.append((exclusion.member_id, ExclusionProblem.NOT_A_VOTER))
        elif exclusion.member_id in seen:
            problems.append((exclusion.member_id, ExclusionProblem.DUPLICATE))
        if not exclusion.upper_level_consent:
            problems.append((exclusion.member_id, ExclusionProblem.NO_UPPER_LEVEL_CONSENT))
        if not exclusion.meeting_approval:
            problems.append((exclusion.member_id, ExclusionProblem.NO_MEETING_APPROVAL))
        seen.add(exclusion.member_id)
    return problems


def entitled_count(voters: Iterable[str], exclusions: Iterable[Exclusion]) -> int:
    """Voters entitled to attend (应到会有选举权人数) after the approved exclusions (R-MEET-2).

    Exclusions that lack either approval are ignored: the member stays entitled.
    """
    voter_ids = set(voters)
    excluded = {
        e.member_id
        for e in exclusions
        if e.upper_level_consent and e.meeting_approval and e.member_id in voter_ids
    }
    return len(voter_ids - excluded)


def has_quorum(present: int, entitled: int) -> bool:
    """R-MEET-1: the meeting may elect only if more than 4/5 of those entitled are present."""
    return present * 5 > entitled * 4


def minimum_present_for_quorum(entitled: int) -> int:
    """The least number present that makes a quorum (R-MEET-1): more than 4/5 of ``entitled``."""
    return entitled * 4 // 5 + 1


def may_be_scrutineer(is_candidate: bool, has_vote: bool, approved_by_meeting: bool) -> bool:
    """R-MEET-4: scrutineers (监票人) are voters who are not candidates, approved by the meeting."""
    return has_vote and not is_candidate and approved_by_meeting
