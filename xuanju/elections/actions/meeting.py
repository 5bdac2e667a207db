"""The meetings that vote: opening, roll call and quorum, procedure, scrutineers and tellers
(R-MEET)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.elections import by_election, hooks
from xuanju.elections.actions.base import PLENARIES, VOTING_POSTS, _members_of, _require_status
from xuanju.elections.models import (
    Attendance,
    Candidate,
    Contest,
    CountingMethod,
    Election,
    ElectionKind,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Post,
)
from xuanju.organizations.models import Member
from xuanju.organizations.services import rights_of
from xuanju.rules.candidates import minimum_candidates
from xuanju.rules.meeting import has_quorum, minimum_present_for_quorum
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor


def meeting_contests(meeting: Meeting) -> list[Contest]:
    """The contests this meeting votes on: the committee (and at a congress the discipline
    commission) at the members' meeting or the congress, the secretary and deputies at the plenary
    (R-CAND-5); all of them where a branch has no committee, and a unit's delegates at its members'
    meeting (R-DEL-5)."""
    election = meeting.election
    contests = list(election.contests.all())
    if not election.has_committee:
        return contests  # the members' meeting elects the secretary (or the delegates) directly
    if meeting.kind in PLENARIES:  # each first plenary its own posts (R-CAND-5)
        _, posts = PLENARIES[Meeting.Kind(meeting.kind)]
        return [c for c in contests if c.post in posts]
    return [c for c in contests if c.post in VOTING_POSTS]


@transaction.atomic
def open_meeting(actor: Any, election: Election, kind: str, held_on: date) -> Meeting:
    """Open the members' meeting, the delegates' congress, or the new committee's first plenary
    (R-CAND-5), with its roll.

    A committee elected at a congress (R-DEL-1) is elected by the congress, never a members'
    meeting, and the other way round. The congress opens only once the congress app says it may
    (its delegates formal after the credentials review, R-DEL-6); its roll is the delegates, so the
    quorum is over them (R-MEET-1). A unit's election of delegates calls the unit's full members
    (R-DEL-5). Everyone on a roll must hold the right to vote that day (R-VOTE-1..4)."""
    if Meeting.objects.filter(election=election, kind=kind).exists():
        raise ActionError("这次会议已经召开过了")
    if held_on > timezone.localdate():
        raise ActionError("会议日期不能晚于今天：会议召开时再在系统中开始", "held_on")
    if kind in (Meeting.Kind.MEMBERS, Meeting.Kind.CONGRESS):
        if kind != election.voting_meeting_kind:
            raise ActionError(
                "本次换届由党员代表大会选举，不召开党员大会选举（R-DEL-1）"
                if election.at_congress
                else "本次选举由党员大会进行，不是党员代表大会（R-DEL-1）"
            )
        _require_status(
            election, ElectionStatus.CANDIDATES_APPROVED, why="须在上级同意候选人后召开选举大会（R-RPT-4）"
        )
        congress = hooks.congress()
        if kind == Meeting.Kind.CONGRESS:
            if congress is None:
                raise ActionError("党员代表大会的代表尚未产生，不能召开（R-DEL-6）")
            reason = congress.congress_ready(election)
            if reason:
                raise ActionError(reason)
        listed = congress.voters(election, held_on) if congress else None
        if listed is None:
            if kind == Meeting.Kind.CONGRESS:
                raise ActionError("没有正式代表的名单，不能召开党员代表大会（R-DEL-6）")
            listed = list(_members_of(election.organization).prefetch_related("restrictions"))
        voters = [m for m in listed if rights_of(m, held_on).can_vote]  # R-VOTE-1..4
        election.status = ElectionStatus.MEETING
    elif kind in PLENARIES:
        _require_status(
            election, ElectionStatus.PLENARY, why="须在选出委员会后召开第一次全体会议（R-CAND-5）"
        )
        # the committee's plenary, or the discipline commission's, of their newly elected members
        body, _ = PLENARIES[Meeting.Kind(kind)]
        committee = Contest.objects.filter(election=election, post=body).first()
        if committee is None:
            raise ActionError("本次换届没有选举纪律检查委员会，不召开其全体会议")
        voters = [e.member for e in committee.elected.select_related("member") if e.member is not None]
        if election.kind == ElectionKind.BY_ELECTION:  # the sitting members with the by-elected
            voters = by_election.plenary_voters(election)
        elif len(voters) < committee.seats - committee.seats_reduced:
            raise ActionError("还有当选的另选他人未确认身份，请先确认（R-CNT-2）")
    else:
        raise ActionError("请选择要召开的会议")
    meeting = Meeting.objects.create(election=election, kind=kind, held_on=held_on)
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in voters)
    election.save(update_fields=["status"])
    record(
        _actor(actor),
        "open_meeting",
        meeting,
        after=snapshot(meeting) | {"voters": len(voters)},
        summary=f"{election}：召开{meeting.get_kind_display()}",
    )
    return meeting


def _require_not_voided(election_id: int) -> None:
    """A voided election keeps its records as they were (R-SUP-3)."""
    if Election.objects.filter(pk=election_id, status=ElectionStatus.VOIDED).exists():
        raise ActionError("这次选举已被上级宣布无效，记录不能再改（R-SUP-3）")


def _require_open_roll(meeting: Meeting) -> None:
    _require_not_voided(meeting.election_id)
    if meeting.roll_closed:
        raise ActionError("点名已经结束，不能再修改")


@transaction.atomic
def mark_present(actor: Any, meeting: Meeting, member_ids: list[int]) -> int:
    """Record who answered the roll call (no proxy: only those present count, R-VOTE-5)."""
    _require_open_roll(meeting)
    rows = Attendance.objects.filter(meeting=meeting)
    unknown = set(member_ids) - set(rows.values_list("member_id", flat=True))
    if unknown:
        raise ActionError("有人不在本次会议有选举权的名单上")
    rows.update(present=False)
    count = rows.filter(member_id__in=member_ids).update(present=True)
    record(_actor(actor), "mark_present", meeting, after={"present": count})
    return count


@transaction.atomic
def exclude_from_entitled(
    actor: Any, meeting: Meeting, member: Member, reason: str, consent: str
) -> Attendance:
    """Leave a member out of those entitled to attend, with the approvals (R-MEET-2)."""
    _require_open_roll(meeting)
    if not consent.strip():
        raise ActionError("须写明上级党组织同意和会议通过的情况（R-MEET-2）", "consent")
    entry = Attendance.objects.filter(meeting=meeting, member=member).first()
    if entry is None:
        raise ActionError(f"{member.name}不在本次会议有选举权的名单上")
    entry.excluded_reason, entry.exclusion_consent, entry.present = reason, consent.strip(), False
    entry.save()
    record(
        _actor(actor),
        "exclude_from_entitled",
        entry,
        after=snapshot(entry),
        summary=f"{member.name}不计入应到会人数",
    )
    return entry


@transaction.atomic
def close_roll(actor: Any, meeting: Meeting) -> Meeting:
    """Count those entitled and present and check the quorum (R-MEET-1/2)."""
    _require_open_roll(meeting)
    rows = Attendance.objects.filter(meeting=meeting)
    meeting.entitled = rows.filter(excluded_reason="").count()
    meeting.present = rows.filter(excluded_reason="", present=True).count()
    if not has_quorum(meeting.present, meeting.entitled):  # R-MEET-1
        raise ActionError(
            f"应到会{meeting.entitled}人，实到{meeting.present}人，未超过五分之四"
            f"（至少须到{minimum_present_for_quorum(meeting.entitled)}人），不能进行选举（R-MEET-1）"
        )
    meeting.roll_closed = True
    meeting.save(update_fields=["entitled", "present", "roll_closed"])
    record(
        _actor(actor), "close_roll", meeting, after={"entitled": meeting.entitled, "present": meeting.present}
    )
    return meeting


@transaction.atomic
def adopt_procedure(
    actor: Any,
    meeting: Meeting,
    majority_base: str,
    tie_revote_needs_majority: bool,
    votes_for: int,
    pre_election_candidates: int | None = None,
    pre_election_needs_majority: bool = True,
    issued_over_present_voids: bool = False,
    counting_method: str = CountingMethod.DOUBLE_ENTRY,
    numbered_sheets: bool = False,
) -> Meeting:
    """The meeting adopts the election procedure (选举办法) by vote before voting (R-MEET-3), with
    its counting parameters: the majority base (R-CNT-1), whether a tie revote needs a majority
    (R-CNT-4), whether a pre-election does (R-CNT-8, default yes) and whether ballots issued beyond
    those present void a round (R-BAL-5, default no).

    The procedure fixes how the paper ballots are counted (``counting_method``, default 双人录入):
    every round opens with it unless the round chooses another (R-MEET-4). It also fixes whether
    the sheets carry serials (``numbered_sheets``, default no: every sheet of a round identical,
    accounted for by counts, R-BAL-5; see docs/ballots.md).

    A congress may adopt a pre-election (预选) of the committee: the first round keeps the
    ``pre_election_candidates`` with the most for-votes as the formal candidates, fewer than the
    candidates and still at least the seats plus the 20% surplus (R-CAND-2); the formal election
    follows over them (:func:`next_round_plan`)."""
    if not meeting.roll_closed:
        raise ActionError("请先完成点名（R-MEET-1）")
    if meeting.rounds.exists():
        raise ActionError("已经开始投票，选举办法不能再改")
    if pre_election_candidates is not None:
        if meeting.kind != Meeting.Kind.CONGRESS:
            raise ActionError("只有党员代表大会的选举办法可以规定预选", "pre_election_candidates")
        committee = Contest.objects.get(election=meeting.election_id, post=Post.COMMITTEE_MEMBER)
        listed = committee.candidates.filter(stage=Candidate.Stage.CANDIDATE).count()
        least = minimum_candidates(committee.seats)
        if not least <= pre_election_candidates < listed:
            raise ActionError(
                f"委员应选{committee.seats}人、候选人{listed}人：预选产生的正式候选人须少于{listed}人，"
                f"且不少于{least}人（差额不少于 20%，R-CAND-2）",
                "pre_election_candidates",
            )
    if votes_for * 2 <= meeting.present:
        raise ActionError(
            f"选举办法须经到会有选举权的{meeting.voter_word}过半数通过（{meeting.present}人中至少{meeting.present // 2 + 1}人）",
            "votes_for",
        )
    meeting.majority_base = majority_base
    meeting.tie_revote_needs_majority = tie_revote_needs_majority
    meeting.pre_election_candidates = pre_election_candidates
    meeting.pre_election_needs_majority = pre_election_needs_majority
    meeting.issued_over_present_voids = issued_over_present_voids
    if counting_method not in CountingMethod.values:
        raise ActionError("请选择双人录入、扫描计票或单人录入（监票人逐张确认）", "counting_method")
    meeting.counting_method = counting_method
    meeting.numbered_sheets = numbered_sheets
    meeting.procedure_adopted = True
    meeting.procedure_votes = f"到会{meeting.present}人，{votes_for}人赞成"
    meeting.save()
    record(_actor(actor), "adopt_procedure", meeting, after=snapshot(meeting), summary="通过选举办法")
    return meeting


@transaction.atomic
def appoint(actor: Any, meeting: Meeting, member: Member, role: str) -> MeetingRole:
    """Name a scrutineer or counter; scrutineers are voters who are not candidates (R-MEET-4)."""
    if not meeting.procedure_adopted:
        raise ActionError("监票人、计票人在通过选举办法后由会议表决通过（R-MEET-3、R-MEET-4）")
    contests = meeting_contests(meeting)
    standing = Candidate.objects.filter(
        contest__in=contests, member=member, stage=Candidate.Stage.CANDIDATE
    ).exists()
    if standing:
        raise ActionError(f"{member.name}是本次选举的候选人，不能担任监票人或计票人（R-MEET-4）", "member")
    # R-MEET-4: scrutineers are proposed from the voters present — ticked at this meeting's roll
    # call (members, the new committee at its plenary, formal delegates at a congress).
    roll = Attendance.objects.filter(meeting=meeting, member=member, excluded_reason="").first()
    if role != MeetingRole.Role.COUNTER and (roll is None or not roll.present):
        why = "点名时未到会" if roll is not None else "不是本次会议有选举权的人员"
        raise ActionError(
            f"{member.name}{why}，不能担任监票人：监票人从到会的{meeting.voter_word}中提出（R-MEET-4）",
            "member",
        )
    entry = MeetingRole.objects.create(meeting=meeting, member=member, role=role)
    record(
        _actor(actor),
        "appoint",
        entry,
        after=snapshot(entry),
        summary=f"{member.name}任{entry.get_role_display()}",
    )
    return entry


@transaction.atomic
def dismiss(actor: Any, role: MeetingRole) -> None:
    """Take back a scrutineer or counter named by mistake, before any ballot is issued."""
    if role.meeting.rounds.exists():
        raise ActionError("已经开始投票，监票人、计票人不能再更换")
    record_deletion(_actor(actor), "dismiss", role)
