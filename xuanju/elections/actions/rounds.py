"""Rounds of voting: which round comes next, ballots entered and confirmed, closing a round,
reducing seats and write-ins, and moving the election on once its contests are filled (R-CNT)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from xuanju.audit.trail import record, record_deletion, snapshot
from xuanju.elections import duties, hooks
from xuanju.elections.actions.base import VOTING_POSTS, _check_eligible, contest_done
from xuanju.elections.actions.meeting import _require_not_voided, meeting_contests
from xuanju.elections.models import (
    RULE_POST,
    BallotEntry,
    Candidate,
    Contest,
    CountingMethod,
    Elected,
    Election,
    ElectionStatus,
    Meeting,
    MeetingRole,
    Post,
    Round,
)
from xuanju.elections.rounds import (
    contest_minimum,
    election_round,
    held_round,
    in_pre_election,
    result_document,
)
from xuanju.formats.wording import problem_text
from xuanju.organizations.models import Member
from xuanju.rules import sequence
from xuanju.rules.ballots import Ballot
from xuanju.rules.counting import Path
from xuanju.rules.names import canonical_name
from xuanju.rules.reduction import (
    ConsentReading,
    ReductionProblem,
    least_consenting,
    may_reduce_seats,
    seat_reduction_problem,
)
from xuanju.rules.tally import revote_has_tie, round_problems
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor


def _ready_to_vote(meeting: Meeting) -> None:
    if meeting.closed:
        raise ActionError("会议已经结束")
    if not meeting.roll_closed:
        raise ActionError("请先完成点名并确认到会人数超过五分之四（R-MEET-1）")
    if not meeting.procedure_adopted:
        raise ActionError("请先通过选举办法（R-MEET-3）")
    roles = set(meeting.roles.values_list("role", flat=True))
    if MeetingRole.Role.SCRUTINEER not in roles and MeetingRole.Role.CHIEF_SCRUTINEER not in roles:
        raise ActionError("请先经会议通过监票人（R-MEET-4）")
    if MeetingRole.Role.COUNTER not in roles:
        raise ActionError("请先确定计票人（R-MEET-4）")


def _pre_election_setting(contest: Contest) -> int | None:
    """How many formal candidates a pre-election of ``contest`` keeps: the congress's adopted
    procedure, for the committee only; None: no pre-election."""
    if contest.post != Post.COMMITTEE_MEMBER:
        return None
    meeting = Meeting.objects.filter(election=contest.election_id, kind=Meeting.Kind.CONGRESS).first()
    return meeting.pre_election_candidates if meeting else None


def pre_election_rounds(contest: Contest) -> list[Round]:
    """The rounds of the pre-election of ``contest`` (:func:`sequence.pre_election_stage`)."""
    rounds = list(contest.rounds.order_by("number"))
    return rounds[: len(sequence.pre_election_stage([held_round(r) for r in rounds]))]


def next_round_plan(contest: Contest) -> tuple[str, int, list[Candidate]] | None:
    """The kind, seats and candidates of the round ``contest`` needs next; None when it is done or
    its last round is still being counted. The rules decide (:func:`sequence.next_round`: pre-election,
    repeat of a void round, tie revote, further election, R-CNT-4/6/8, R-BAL-5); this loads the
    rounds and maps the candidates' keys back to the stored candidates."""
    rounds = list(contest.rounds.order_by("number").prefetch_related("candidates"))
    by_key = {c.key: c for c in contest.candidates.all()}
    finals = [c.key for c in by_key.values() if c.stage == Candidate.Stage.CANDIDATE]
    plan = sequence.next_round(
        [held_round(r) for r in rounds],
        seats=contest.seats,
        filled=contest.elected.count() + contest.seats_reduced if rounds else 0,
        formal_candidates=finals,
        pre_election_keeps=_pre_election_setting(contest) if not rounds else None,
    )
    if plan is None:
        return None
    return plan.kind.value, plan.seats, [by_key[k] for k in plan.candidates if k in by_key]


@transaction.atomic
def open_round(
    actor: Any, contest: Contest, meeting: Meeting, issued: int, counting_method: str | None = None
) -> Round:
    """Issue the ballots of the next round of ``contest`` (R-BAL-5: never more than are present).

    The round is counted by ``counting_method``, by default the one the procedure adopted; it is
    stored on the round and audited, and no ballot enters the round by any other path (R-MEET-4)."""
    _ready_to_vote(meeting)
    method = counting_method or meeting.counting_method
    if method not in CountingMethod.values:
        raise ActionError("请选择双人录入、扫描计票或单人录入（监票人逐张确认）", "counting_method")
    if contest not in meeting_contests(meeting):
        raise ActionError(f"{contest.get_post_display()}不在这次会议上选举（R-CAND-5）")
    if contest.rounds.filter(closed=False).exists():
        raise ActionError("上一轮还没有计票结束")
    plan = next_round_plan(contest)
    if plan is None:
        raise ActionError(f"{contest.get_post_display()}已经选满，不需要再投票")
    kind, seats, candidates = plan
    if not candidates:
        raise ActionError("没有候选人可以列入选票，请按选举办法补充提名（R-CNT-6）")
    if kind == Round.Kind.TIE_REVOTE and not revote_has_tie(len(candidates), seats):
        # R-CNT-4: e.g. a tie with a write-in person, who is not on the candidates' list
        raise ActionError(
            f"再次投票只在得票相等、多于剩余名额的人之间进行：能列入选票的只有 {len(candidates)} 人，"
            f"不多于剩余的 {seats} 个名额，不能再次投票；得票相等的另选他人须先经审查列为候选人（R-CNT-4）"
        )
    if issued < 1 or issued > meeting.present:
        # R-BAL-5: sheets handed out beyond those present are a staff error corrected on the spot
        # (withdrawn and registered as unused) before the number issued is recorded
        raise ActionError(
            f"发出的选票应在 1 至实到会人数 {meeting.present} 张之间；多发的选票应当场收回并登记为未使用（R-BAL-5）",
            "issued",
        )
    number = contest.rounds.count() + 1
    round_ = Round.objects.create(
        contest=contest,
        meeting=meeting,
        number=number,
        kind=kind,
        seats=seats,
        issued=issued,
        counting_method=method,
        numbered_sheets=meeting.numbered_sheets,
    )
    round_.candidates.set(candidates)
    record(
        _actor(actor),
        "open_round",
        round_,
        after=snapshot(round_) | {"candidates": [c.key for c in candidates]},
        summary=f"{contest}：第{number}轮{round_.get_kind_display()}，发出选票{issued}张，"
        f"计票方式：{round_.get_counting_method_display()}",
    )
    return round_


def _require_open(round_: Round) -> None:
    _require_not_voided(round_.meeting.election_id)
    if round_.closed:
        raise ActionError("这一轮已经计票结束，选票记录不能再改")


def check_ballot(
    round_: Round,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> Ballot:
    """The reading of one paper ballot (or ``count`` identical ones) as the rules engine sees it;
    ActionError when the engine could not count it (R-BAL-2..4). Stores nothing."""
    _require_open(round_)
    ballot = Ballot(
        for_=tuple(marks_for),
        against=tuple(marks_against),
        write_in=tuple(w.strip() for w in write_ins),
        count=count,
        void_reason=void_reason.strip() or None,
    )
    probe = election_round(round_, extra=[ballot], only_extra=True)
    problems = round_problems(probe)
    if problems:
        raise ActionError("；".join(problem_text(p) for p in problems))
    return ballot


def store_ballot(
    actor: Any,
    round_: Round,
    ballot: Ballot,
    sheet: int | None = None,
    source: str = BallotEntry.Source.MANUAL,
    entered_by: str = "",
    confirmed_by: str = "",
) -> BallotEntry:
    """Store a reading :func:`check_ballot` accepted, inside the caller's transaction: the one path
    by which a ballot enters the count, whether typed once, agreed by two counters, decided by a
    scrutineer or scanned. A sheet serial is counted once (constraint ``one_entry_per_sheet``)."""
    if sheet is not None and BallotEntry.objects.filter(round=round_, sheet=sheet).exists():
        raise ActionError(f"第{sheet}号选票已经计入本轮，同一张选票不能计两次")
    try:
        with transaction.atomic():
            entry = BallotEntry.objects.create(
                round=round_,
                marks_for=list(ballot.for_),
                marks_against=list(ballot.against),
                write_ins=list(ballot.write_in),
                count=ballot.count,
                void_reason=ballot.void_reason or "",
                sheet=sheet,
                source=source,
                entered_by=entered_by,
                confirmed_by=confirmed_by,
            )
    except IntegrityError as error:  # a concurrent entry of the same sheet won the race
        raise ActionError(f"第{sheet}号选票已经计入本轮，同一张选票不能计两次") from error
    # The audit record says a ballot was entered and by whom; its content is in the entry, and
    # neither holds anything about the voter (R-SUP-1).
    after: dict[str, Any] = {"round": round_.pk, "count": ballot.count}
    if source != BallotEntry.Source.MANUAL:
        after |= {"source": source, "sheet": sheet}
    record(_actor(actor), "record_ballot", entry, after=after)
    return entry


@transaction.atomic
def record_ballot(
    actor: Any,
    round_: Round,
    marks_for: list[str],
    marks_against: list[str],
    write_ins: list[str],
    count: int = 1,
    void_reason: str = "",
) -> BallotEntry:
    """A counter enters one paper ballot (or ``count`` identical ones) in a round counted by single
    entry; it counts once a scrutineer has confirmed it (:func:`confirm_ballot`, R-MEET-4).
    Refused in a round counted at the double-entry desk or by scanning, and to an account that
    scrutinized in the round. Committed before it is acknowledged."""
    round_ = _locked_round(round_)
    duties.require_path(round_, Path.SINGLE)
    duties.require_counter(actor, round_)
    ballot = check_ballot(round_, marks_for, marks_against, write_ins, count, void_reason)
    return store_ballot(actor, round_, ballot, entered_by=_actor(actor))


def _locked_round(round_: Round) -> Round:
    """The round's row locked, so that entries, confirmations and the close of one round run one
    after another (on PostgreSQL; SQLite serializes writers anyway)."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    # Keep the caller's contest (and its election): what the action moves on, the caller sees.
    locked.contest = round_.contest
    _require_open(locked)
    return locked


@transaction.atomic
def confirm_ballot(actor: Any, entry: BallotEntry) -> BallotEntry:
    """A scrutineer confirms a single entry (one ballot or a group) against the paper ballots: only
    then does it count. Never by the counter who entered it, nor by anyone who entered ballots in
    the round (R-MEET-4). A void ballot, however entered, is confirmed the same way: the counters
    record the reason, a scrutineer confirms it (R-BAL-4)."""
    round_ = _locked_round(entry.round)
    entry = BallotEntry.objects.get(pk=entry.pk)
    if not entry.void_reason:
        duties.require_path(round_, Path.SINGLE)
    duties.require_scrutineer(actor, round_, "确认录入的选票")
    if entry.confirmed_by:
        raise ActionError(f"这条录入已由 {entry.confirmed_by} 确认")
    entry.confirmed_by = _actor(actor)
    entry.save(update_fields=["confirmed_by"])
    record(
        _actor(actor),
        "confirm_ballot",
        entry,
        after={"round": round_.pk, "count": entry.count, "entered_by": entry.entered_by},
        summary=f"监票人确认第{round_.number}轮的一条录入（{entry.count} 张）",
    )
    return entry


@transaction.atomic
def delete_ballot(actor: Any, entry: BallotEntry, reason: str = "") -> None:
    """A scrutineer deletes a ballot already entered, with the reason, while the round is open
    (R-MEET-4, R-SUP-4: the deleted entry stays in the audit trail). A counter never may: a
    double-entry ballot deleted turns back into a difference for a scrutineer to decide, a scanned
    sheet may be scanned again, a single entry must be entered and confirmed again."""
    round_ = _locked_round(entry.round)
    entry = BallotEntry.objects.get(pk=entry.pk)
    duties.require_scrutineer(actor, round_, "删除已录入的选票")
    if not reason.strip():
        raise ActionError("请写明删除这张选票的原因", "reason")
    counting = hooks.counting()
    if counting is not None:
        counting.ballot_deleted(entry)
    label = f"第{entry.sheet}号选票" if entry.sheet else f"一条录入（{entry.count} 张）"
    record_deletion(
        _actor(actor),
        "delete_ballot",
        entry,
        summary=f"监票人删除第{round_.number}轮{label}：{reason.strip()}",
    )


def close_blockers(round_: Round, returned: int) -> list[str]:
    """Everything that still stops ``round_`` from closing with ``returned`` ballots, in Chinese
    (R-BAL-4/5, R-MEET-4); empty when it may close. The close page lists them."""
    counting = hooks.counting()
    if counting is not None:
        return counting.close_blockers(round_, returned)
    entered = sum(round_.ballots.values_list("count", flat=True))  # pragma: no cover - app always installed
    return [] if entered == returned else [f"已录入选票{entered}张，与收回的{returned}张不符"]


@transaction.atomic
def close_round(actor: Any, round_: Round, returned: int) -> Round:
    """A scrutineer ends the count: the rules engine counts the round and records who is elected;
    the round is then fixed. A pre-election's result names the formal candidates, not anyone elected.

    Refused to a counter and to anyone who entered ballots in the round (R-MEET-4), and while
    anything in :func:`close_blockers` remains: sheets unaccounted for, desk readings waiting or
    differing, scanned doubts open, single entries unconfirmed, entered ≠ returned (R-BAL-4/5)."""
    given, round_ = round_, _locked_round(round_)
    if returned < 0:
        raise ActionError("收回选票数不能为负", "returned")
    duties.require_scrutineer(actor, round_, "结束计票")
    blockers = close_blockers(round_, returned)
    if blockers:
        raise ActionError("还不能结束计票：" + "；".join(blockers), "returned")
    round_.returned = returned
    probe = election_round(round_)
    document = result_document(round_, probe)
    round_.result = document
    round_.closed = True
    round_.save(update_fields=["returned", "result", "closed"])
    given.returned, given.result, given.closed = round_.returned, round_.result, round_.closed
    by_key = {c.key: c for c in round_.candidates.all()}
    votes = {p["id"]: p["for"] for p in document["tally"]}
    names = {p["id"]: p["name"] for p in document["tally"]}  # a write-in's spelling as shown (R-NAME-5)
    # A pre-election and its tie revotes place formal candidates and elect nobody (next_round_plan).
    placed = [] if in_pre_election(round_) else document["elected"]
    for key in placed:
        candidate = by_key.get(key)
        Elected.objects.create(
            contest=round_.contest,
            round=round_,
            member=candidate.member if candidate else None,
            write_in_name="" if candidate else names[key],
            votes=votes[key],
        )
    record(
        _actor(actor),
        "close_round",
        round_,
        after={"returned": returned, "status": document["status"], "elected": document["elected"]},
        summary=f"{round_.contest}：第{round_.number}轮计票结束（{document['status']}）",
    )
    _advance(actor, round_.contest.election)
    return round_


REDUCTION_READINGS = {  # how the procedure reads "半数以上选举人同意" (R-CNT-5, xuanju.rules.reduction)
    ConsentReading.AT_LEAST_HALF: "半数以上（含半数）",
    ConsentReading.MORE_THAN_HALF: "过半数",
}


@transaction.atomic
def set_reduction_reading(actor: Any, meeting: Meeting, reading: str) -> Meeting:
    """Fix in the election procedure how "半数以上选举人同意" to reduce the seats is read (R-CNT-5):
    half of the voters present included (the default, the Regulations' usage of 以上) or more than
    half. Part of the procedure the meeting votes on (R-MEET-3), so it can change only until the
    first ballot is issued."""
    _require_not_voided(meeting.election_id)
    if reading not in {r.value for r in ConsentReading}:
        raise ActionError("请选择“半数以上（含半数）”或“过半数”", "reduction_reading")
    if meeting.closed:
        raise ActionError("会议已经结束")
    if meeting.rounds.exists():
        raise ActionError("已经开始投票，选举办法不能再改", "reduction_reading")
    before = snapshot(meeting)
    meeting.reduction_reading = reading
    meeting.save(update_fields=["reduction_reading"])
    record(
        _actor(actor),
        "set_reduction_reading",
        meeting,
        before=before,
        after=snapshot(meeting),
        summary=f"选举办法：减少名额须经{REDUCTION_READINGS[ConsentReading(reading)]}选举人同意",
    )
    return meeting


@transaction.atomic
def reduce_seats(
    actor: Any, contest: Contest, meeting: Meeting, consenting: int | None, by_presidium: bool = False
) -> Contest:
    """Instead of a further election, reduce the seats with the consent of "半数以上" of the voters
    present, read as the procedure adopted it (``Meeting.reduction_reading``, default half included,
    :mod:`xuanju.rules.reduction`) — or, at a delegates' congress, by the presidium's decision
    (``by_presidium``, recorded as such), never below the statutory minimum (R-CNT-5)."""
    if meeting.closed:
        raise ActionError("会议已经结束")
    if contest not in meeting_contests(meeting):
        raise ActionError(f"{contest.get_post_display()}不在这次会议上选举")
    if contest.rounds.filter(closed=False).exists():
        raise ActionError("还有一轮没有计票结束")
    filled = contest.elected.count()
    left = contest.seats - filled - contest.seats_reduced
    if left <= 0:
        raise ActionError("没有空缺名额")
    if by_presidium and meeting.kind != Meeting.Kind.CONGRESS:
        raise ActionError("只有党员代表大会可以由大会主席团决定减少名额（R-CNT-5）", "by_presidium")
    if not by_presidium and (consenting is None or not 0 <= consenting <= meeting.present):
        raise ActionError(f"同意的人数应在 0 至实到会人数 {meeting.present} 之间", "consenting")
    reading = ConsentReading(meeting.reduction_reading)
    # R-CNT-5: the same minimum the engine is given for the round (elections.rounds)
    minimum = contest_minimum(contest) or 1
    field = "by_presidium" if by_presidium else "consenting"
    reduction = seat_reduction_problem(RULE_POST[Post(contest.post)], filled, minimum)  # R-CNT-5
    if reduction is ReductionProblem.EQUAL_ELECTION_POST:
        raise ActionError(
            f"{contest.get_post_display()}的职数由上级批准、可以等额选举，不能减少名额，须另行选举（R-CNT-5、R-CAND-3）",
            field,
        )
    if reduction is ReductionProblem.BELOW_MINIMUM:
        raise ActionError(
            f"已当选 {filled} 人，少于规定的最少人数 {minimum} 人，不能减少名额，须另行选举（R-CNT-5）", field
        )
    if not may_reduce_seats(filled, minimum, consenting or 0, meeting.present, reading, by_presidium):
        raise ActionError(
            f"减少名额须经到会选举人{REDUCTION_READINGS[reading]}同意：实到会{meeting.present}人，"
            f"至少须{least_consenting(meeting.present, reading)}人同意（R-CNT-5）",
            "consenting",
        )
    contest.seats_reduced += left
    contest.reduced_by_presidium = by_presidium
    contest.reduction_consent = (
        f"经大会主席团决定减少{left}个名额"
        if by_presidium
        else f"到会{meeting.present}人，{consenting}人同意减少{left}个名额"
        f"（选举办法规定须经{REDUCTION_READINGS[reading]}选举人同意）"
    )
    contest.save(update_fields=["seats_reduced", "reduced_by_presidium", "reduction_consent"])
    record(_actor(actor), "reduce_seats", contest, after=snapshot(contest), summary=contest.reduction_consent)
    _advance(actor, contest.election)
    return contest


@transaction.atomic
def confirm_write_in(actor: Any, elected: Elected, member: Member) -> Elected:
    """Name the member a write-in vote elected, after checking their right to stand (R-CNT-2, R-CAND-6)."""
    if elected.member_id is not None:
        raise ActionError("这位当选人已经确认")
    election = elected.contest.election
    if canonical_name(member.name) != canonical_name(elected.write_in_name):  # R-NAME-5
        raise ActionError(f"所选党员的姓名与选票上写的“{elected.write_in_name}”不一致", "member")
    _check_eligible(member, election, elected.contest)
    elected.member = member
    elected.save(update_fields=["member"])
    record(
        _actor(actor),
        "confirm_write_in",
        elected,
        after=snapshot(elected),
        summary=f"另选他人{member.name}当选，资格已核实",
    )
    _advance(actor, election)
    return elected


def _advance(actor: Any, election: Election) -> None:
    """Move the election on once every contest of the current meeting is filled: to the plenary
    once the committee (and the discipline commission) is elected; a unit's election of delegates
    is complete once its delegates are, and they go to the congress's credentials review (R-DEL-6:
    no plenary, no report of results, no committee installed)."""
    contests = list(election.contests.all())
    if election.status != ElectionStatus.MEETING:
        return
    if election.is_delegates:
        if all(contest_done(c) for c in contests):
            election.status = ElectionStatus.COMPLETED
            election.save(update_fields=["status"])
            Meeting.objects.filter(election=election).update(closed=True)
            record(
                _actor(actor),
                "delegates_elected",
                election,
                after={"status": election.status},
                summary=f"{election}：代表已选出，交代表资格审查（R-DEL-6）",
            )
            congress = hooks.congress()
            if congress is not None:
                congress.delegates_elected(election)
    elif election.has_committee and all(contest_done(c) for c in contests if c.post in VOTING_POSTS):
        election.status = ElectionStatus.PLENARY
        election.save(update_fields=["status"])
        Meeting.objects.filter(election=election, kind=election.voting_meeting_kind).update(closed=True)
