"""The documents of a meeting: its procedure (选举办法), its scrutineers and tellers, and its roll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xuanju.documents.content.common import (
    _PLENARIES,
    _PLENARY_NAMES,
    _REASONS,
    NotAvailable,
    Ref,
    _common,
    _names,
    cn_date,
)
from xuanju.documents.kinds import Kind
from xuanju.documents.markup import cell
from xuanju.elections.actions import (
    REDUCTION_READINGS,
    meeting_contests,
)
from xuanju.elections.models import (
    Attendance,
    Candidate,
    Election,
    Meeting,
    MeetingRole,
)
from xuanju.formats.wording import BASE_NAMES
from xuanju.organizations.models import Organization
from xuanju.rules.meeting import minimum_present_for_quorum
from xuanju.rules.names import stroke_key
from xuanju.rules.reduction import ConsentReading


def _meetings(election: Election) -> list[Meeting]:
    return sorted(election.meetings.all(), key=lambda m: (m.kind in _PLENARIES, m.pk))


def _meeting_name(meeting: Meeting) -> str:
    return _PLENARY_NAMES.get(Meeting.Kind(meeting.kind), meeting.get_kind_display())


def commission_name(org: Organization) -> str:
    """The organization's discipline commission by name: 中共某某委员会 → 中共某某纪律检查委员会."""
    return f"{org.name.removesuffix('委员会')}纪律检查委员会"


def _meeting_refs(kind: Kind, ready: Callable[[Meeting], bool]) -> Callable[[Election], list[Ref]]:
    def refs(election: Election) -> list[Ref]:
        return [
            Ref(kind, m.pk, f"{kind.label}（{_meeting_name(m)}）", m.held_on)
            for m in _meetings(election)
            if ready(m)
        ]

    return refs


def _meeting(election: Election, item: int | None) -> Meeting:
    meeting = election.meetings.filter(pk=item).first() if item is not None else None
    if meeting is None:
        raise NotAvailable
    return meeting


def _meeting_common(election: Election, meeting: Meeting) -> dict[str, Any]:
    return _common(election, meeting.held_on) | {
        "meeting": _meeting_name(meeting),
        "held_on": cn_date(meeting.held_on),
        "entitled": meeting.entitled,
        "present": meeting.present,
        "quorum": minimum_present_for_quorum(meeting.entitled),
    }


def _contest_lines(meeting: Meeting) -> list[dict[str, Any]]:
    lines = []
    for contest in sorted(meeting_contests(meeting), key=lambda c: c.position):
        count = contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).count()
        lines.append(
            {
                "post": contest.get_post_display(),
                "seats": contest.seats,
                "candidates": count,
                "competitive": count > contest.seats,
            }
        )
    return lines


def _procedure(election: Election, item: int | None) -> dict[str, Any]:
    """The election procedure the meeting adopted (R-MEET-3): quorum (R-MEET-1), ballot marks and
    write-ins (R-BAL-2), valid, invalid and void ballots (R-BAL-3/4/5), the majority base and the
    tie revote (R-CNT-1/4), further election (R-CNT-5/6) and the vote that adopted it."""
    meeting = _meeting(election, item)
    if not meeting.procedure_adopted:
        raise NotAvailable
    return _meeting_common(election, meeting) | {
        "contests": _contest_lines(meeting),
        "base_name": BASE_NAMES[meeting.majority_base],
        "base_is_entitled": meeting.majority_base == "entitled",
        "tie_revote_needs_majority": meeting.tie_revote_needs_majority,
        # R-CNT-8: the pre-election the congress adopted, and whether it needs a majority
        "pre_election": meeting.pre_election_candidates or 0,
        "pre_election_needs_majority": meeting.pre_election_needs_majority,
        "issued_over_present_voids": meeting.issued_over_present_voids,  # R-BAL-5
        "votes": cell(meeting.procedure_votes),
        "plenary": meeting.kind in _PLENARIES,
        # R-CNT-5: how the procedure reads 半数以上, and the presidium's power at a congress
        "reduction_consent": REDUCTION_READINGS[ConsentReading(meeting.reduction_reading)],
        "presidium_may_reduce": meeting.kind == Meeting.Kind.CONGRESS,
        "congress": meeting.kind == Meeting.Kind.CONGRESS,
    }


def _roles(election: Election, item: int | None) -> dict[str, Any]:
    meeting = _meeting(election, item)
    roles = list(meeting.roles.select_related("member"))
    if not roles:
        raise NotAvailable

    def named(role: str) -> list[str]:
        return _names(cell(r.member.name) for r in roles if r.role == role)

    return _meeting_common(election, meeting) | {
        "chief": named(MeetingRole.Role.CHIEF_SCRUTINEER),
        "scrutineers": named(MeetingRole.Role.SCRUTINEER),
        "counters": named(MeetingRole.Role.COUNTER),
    }


def _roll(election: Election, item: int | None) -> dict[str, Any]:
    """Entitled, excluded with reasons and consent (R-MEET-2), present and the quorum (R-MEET-1).
    The roll is about attendance only; it is never set beside any ballot (R-SUP-1)."""
    meeting = _meeting(election, item)
    if not meeting.roll_closed:
        raise NotAvailable
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member"))
    excluded = [a for a in rows if a.excluded_reason]
    return _meeting_common(election, meeting) | {
        "on_roll": len(rows),
        "excluded": [
            {
                "name": cell(a.member.name),
                "reason": cell(_REASONS.get(a.excluded_reason, a.excluded_reason)),
                "consent": cell(a.exclusion_consent),
            }
            for a in sorted(excluded, key=lambda a: stroke_key(a.member.name))
        ],
        "absent": _names(cell(a.member.name) for a in rows if not a.excluded_reason and not a.present),
        "absent_count": meeting.entitled - meeting.present,
        "quorum_met": meeting.present * 5 > meeting.entitled * 4,  # R-MEET-1
    }
