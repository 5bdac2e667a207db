"""The meeting and results steps: roll call, procedure, scrutineers, rounds, counting, announcement.

Views parse, authorize and call one action; a refused step shows the action's Chinese message on the
page. Counting pages show marks and totals only, never the roll (R-SUP-1): nothing here joins a
voter to a ballot.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuanju.elections import actions, duties, hooks
from xuanju.elections.actions import meeting_contests
from xuanju.elections.forms_meeting import (
    EXCLUSION_LABELS,
    BallotDeleteForm,
    BallotForm,
    ExclusionForm,
    MeetingOpenForm,
    ProcedureForm,
    ReduceSeatsForm,
    ReductionReadingForm,
    RoleForm,
    RoundCloseForm,
    RoundOpenForm,
    WriteInForm,
)
from xuanju.elections.models import (
    RULE_POST,
    Attendance,
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
from xuanju.elections.pickers import members_in_stroke_order, present_voters
from xuanju.elections.rounds import ballot_order, export_round, result_document, statutory_minimum
from xuanju.formats.election import shown_threshold
from xuanju.formats.wording import BASE_NAMES, KIND_NAMES, STATUS_NAMES
from xuanju.organizations.models import Member
from xuanju.organizations.scope import (
    can_count,
    can_manage,
    can_oversee,
    can_read,
    require,
    user_of,
)
from xuanju.organizations.services import members_named
from xuanju.rules.meeting import has_quorum, minimum_present_for_quorum
from xuanju.rules.names import stroke_key
from xuanju.rules.reduction import ConsentReading, least_consenting
from xuanju.rules.tally import seat_reduction_problem
from xuanju.web import confirmation, run_action


def role_rank(role: MeetingRole) -> tuple[int, int]:
    """总监票人, 监票人, 计票人, as they are announced."""
    return list(MeetingRole.Role.values).index(role.role), role.pk


# --- helpers ------------------------------------------------------------------------------


def _election(request: HttpRequest, pk: int, allowed: Any = can_read) -> Election:
    election = get_object_or_404(Election.objects.select_related("organization"), pk=pk)
    require(allowed(user_of(request), election.organization))
    return election


def _meeting(request: HttpRequest, pk: int, allowed: Any = can_read) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("election__organization"), pk=pk)
    require(allowed(user_of(request), meeting.election.organization))
    return meeting


def _round(request: HttpRequest, pk: int, allowed: Any = can_read) -> Round:
    round_ = get_object_or_404(
        Round.objects.select_related("contest__election__organization", "meeting"), pk=pk
    )
    require(allowed(user_of(request), round_.contest.election.organization))
    return round_


def _members_of(election: Election) -> Any:
    """Members on the roll of the election's organization and beneath it (of the unit, for a unit's
    election of delegates: actions.candidate_pool)."""
    return members_in_stroke_order(actions.candidate_pool(election))


def _open_meeting_of(election: Election, contest: Contest | None = None) -> Meeting | None:
    """The meeting now in session (that votes on ``contest``): the plenary once it is open, else
    the members' meeting; of the two first plenaries, the one whose posts ``contest`` is."""
    open_meetings = election.meetings.filter(closed=False).order_by("-pk")
    if contest is not None:
        return next((m for m in open_meetings if contest in meeting_contests(m)), None)
    return open_meetings.first()


def result_view(document: dict[str, Any]) -> dict[str, Any]:
    """A ``xuanju.result/1`` document with its codes worded for a page (xuanju.formats.wording)."""
    names = {p["id"]: p["name"] for p in document["tally"]}
    rows = [
        p | {"rank": rank, "tied": p["id"] in document["tied"]}
        for rank, p in enumerate(document["tally"], start=1)
    ]
    next_round = document.get("next_round")
    return {
        "doc": document,
        "rows": rows,
        "status_name": STATUS_NAMES[document["status"]],
        "kind_name": KIND_NAMES[document["kind"]],
        "base_name": BASE_NAMES[document["majority_base"]],
        "elected_names": [names[i] for i in document["elected_in_stroke_order"]],
        "next_kind": KIND_NAMES[next_round["kind"]] if next_round else "",
        "next_names": [names.get(i, i) for i in next_round["candidates"]] if next_round else [],
        # R-CNT-8: a pre-election and its later rounds place formal candidates (older results
        # carry no stage: only their first round is known to be one)
        "pre_election": document.get("stage") == "pre_election" or document["kind"] == "pre_election",
        "threshold": shown_threshold(document),  # R-CNT-4: none where no majority applies
    }


# --- meetings -----------------------------------------------------------------------------


def next_meeting_kind(election: Election) -> str:
    """The members' meeting (or the congress, R-DEL-1) first; the first plenary once the committee
    is elected (R-CAND-5)."""
    return Meeting.Kind.PLENARY if election.status == ElectionStatus.PLENARY else election.voting_meeting_kind


def plenaries_to_open(election: Election) -> list[str]:
    """The first plenaries still to hold once the committee (and the discipline commission) is
    elected: the committee's, and the commission's where the congress elected one (R-CAND-5)."""
    if election.status != ElectionStatus.PLENARY or not election.has_committee:
        return []
    held = set(election.meetings.values_list("kind", flat=True))
    posts = set(election.contests.values_list("post", flat=True))
    return [kind for kind, (body, _) in actions.PLENARIES.items() if body in posts and kind not in held]


def _kind_to_open(request: HttpRequest, election: Election) -> str:
    """The meeting the organizer asked to open (the discipline commission's plenary beside the
    committee's), else the next one."""
    asked = request.POST.get("kind") or request.GET.get("kind")
    return asked if asked in plenaries_to_open(election) else next_meeting_kind(election)


MEETING_INTRO = {
    Meeting.Kind.MEMBERS: "召开后按有选举权的党员名单点名（R-VOTE-1）。",
    Meeting.Kind.CONGRESS: "代表经资格审查成为正式代表后召开，按正式代表名单点名；到会代表须超过应到会代表的五分之四（R-DEL-6、R-MEET-1）。",
    Meeting.Kind.PLENARY: "新一届委员会第一次全体会议选举书记、副书记（R-CAND-5）。",
    Meeting.Kind.DISCIPLINE_PLENARY: "新一届纪律检查委员会第一次全体会议从纪委委员中选举书记（、副书记），报上级党组织批准（R-CAND-5、R-RPT-3）。",
}


@login_required
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk, can_manage)
    kind = _kind_to_open(request, election)
    existing = election.meetings.filter(kind=kind).first()
    if existing is not None:
        messages.error(request, f"{existing.get_kind_display()}已经召开")
        return redirect("meeting_detail", existing.pk)
    form = MeetingOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opened = run_action(
            request,
            lambda: actions.open_meeting(user_of(request), election, kind, form.cleaned_data["held_on"]),
            form=form,
            success=lambda meeting: f"{meeting.get_kind_display()}已召开，请点名",
        )
        if opened is not None:
            return redirect("meeting_roll", opened.value.pk)
    title = f"召开{Meeting.Kind(kind).label}"
    return render(
        request,
        "form.html",
        {
            "title": title,
            "form": form,
            "org": election.organization,
            "cancel_url": reverse("election_detail", args=[election.pk]),
            "submit": title,
            "intro": MEETING_INTRO[Meeting.Kind(kind)],
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    election = meeting.election
    user = user_of(request)
    contests = []
    for contest in meeting_contests(meeting):
        rounds = [
            {"round": r, "status": STATUS_NAMES.get((r.result or {}).get("status", ""), "")}
            for r in contest.rounds.filter(meeting=meeting).order_by("number")
        ]
        contests.append(
            {
                "contest": contest,
                "rounds": rounds,
                "done": actions.contest_done(contest),
                "plan": actions.next_round_plan(contest),
                "seats_left": contest.seats - contest.elected.count() - contest.seats_reduced,
            }
        )
    return render(
        request,
        "elections/meeting_detail.html",
        {
            "meeting": meeting,
            "election": election,
            "org": election.organization,
            "contests": contests,
            "roles": sorted(meeting.roles.select_related("member"), key=role_rank),
            "can_manage": can_manage(user, election.organization),
            "can_count": can_count(user, election.organization),
        },
    )


def _roll_page(
    request: HttpRequest, meeting: Meeting, exclusion_form: ExclusionForm | None = None
) -> HttpResponse:
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("member__organization"))
    rows.sort(key=lambda a: (stroke_key(a.member.name), a.member_id))
    on_roll = [a for a in rows if not a.excluded_reason]
    entitled = len(on_roll)
    present = sum(1 for a in on_roll if a.present)
    members = Member.objects.filter(pk__in=[a.member_id for a in on_roll]).select_related("organization")
    reasons = {k.value: v for k, v in EXCLUSION_LABELS.items()}
    return render(
        request,
        "elections/meeting_roll.html",
        {
            "meeting": meeting,
            "election": meeting.election,
            "org": meeting.election.organization,
            "rows": [{"a": a, "reason": reasons.get(a.excluded_reason, a.excluded_reason)} for a in rows],
            "entitled": entitled,
            "present": present,
            "minimum": minimum_present_for_quorum(entitled),
            "quorum": has_quorum(present, entitled),  # R-MEET-1
            "exclusion_form": exclusion_form or ExclusionForm(members=members.order_by("name")),
        },
    )


@login_required
def meeting_roll(request: HttpRequest, pk: int) -> HttpResponse:
    """Roll call: who of the voters is present (R-MEET-1); no proxies (R-VOTE-5)."""
    meeting = _meeting(request, pk, can_manage)
    if request.method == "POST":
        rows = Attendance.objects.filter(meeting=meeting, excluded_reason="")
        if "all" in request.POST:
            ids = list(rows.values_list("member_id", flat=True))
        else:
            try:
                ids = [int(v) for v in request.POST.getlist("present")]
            except ValueError:
                messages.error(request, "到会名单有误，请重新勾选")
                return redirect("meeting_roll", meeting.pk)
        run_action(
            request,
            lambda: actions.mark_present(user_of(request), meeting, ids),
            success=lambda count: f"已记录到会 {count} 人",
        )
        return redirect("meeting_roll", meeting.pk)
    return _roll_page(request, meeting)


@login_required
@require_POST
def meeting_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a member out of those entitled, with consent and the meeting's approval (R-MEET-2)."""
    meeting = _meeting(request, pk, can_manage)
    members = Member.objects.filter(
        pk__in=Attendance.objects.filter(meeting=meeting, excluded_reason="").values("member_id")
    )
    form = ExclusionForm(request.POST, members=members)
    if form.is_valid():
        data = form.cleaned_data
        excluded = run_action(
            request,
            lambda: actions.exclude_from_entitled(
                user_of(request), meeting, data["member"], data["reason"], data["consent"]
            ),
            form=form,
            success=f"{data['member'].name}不计入应到会人数",
        )
        if excluded is not None:
            return redirect("meeting_roll", meeting.pk)
    return _roll_page(request, meeting, form)


@login_required
@require_POST
def meeting_roll_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, can_manage)
    ask = confirmation(
        request,
        "结束点名",
        "结束点名后，应到会和实到会人数即告确定，不能再登记到会或请假，以此计算是否达到法定人数（R-MEET-1）。",
        reverse("meeting_roll", args=[meeting.pk]),
        "确认结束点名",
    )
    if ask is not None:
        return ask
    closed = run_action(
        request,
        lambda: actions.close_roll(user_of(request), meeting),
        success=lambda _: f"点名结束：应到会 {meeting.entitled} 人，实到 {meeting.present} 人",
    )
    if closed is None:
        return redirect("meeting_roll", meeting.pk)
    return redirect("meeting_procedure", meeting.pk)


@login_required
def meeting_procedure(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting votes the election procedure before any ballot (R-MEET-3)."""
    meeting = _meeting(request, pk, can_manage)
    reading_form = ReductionReadingForm(
        request.POST if "reduction_reading" in request.POST else None,
        initial={"reduction_reading": meeting.reduction_reading},
    )
    if reading_form.is_bound:  # R-CNT-5: how the procedure reads 半数以上
        if reading_form.is_valid():
            written = run_action(
                request,
                lambda: actions.set_reduction_reading(
                    user_of(request), meeting, reading_form.cleaned_data["reduction_reading"]
                ),
                form=reading_form,
                success=lambda _: "已写入选举办法：" + reduction_wording(meeting),
            )
            if written is not None:
                return redirect("meeting_procedure", meeting.pk)
        return _procedure_page(
            request,
            meeting,
            ProcedureForm(
                initial=_procedure_initial(meeting), congress=meeting.kind == Meeting.Kind.CONGRESS
            ),
            reading_form,
        )
    initial = {
        "majority_base": meeting.majority_base,
        "tie_revote_needs_majority": meeting.tie_revote_needs_majority,
        "pre_election_candidates": meeting.pre_election_candidates,
        "pre_election_needs_majority": meeting.pre_election_needs_majority,
        "issued_over_present_voids": meeting.issued_over_present_voids,
        "counting_method": meeting.counting_method,
    }
    form = ProcedureForm(
        request.POST or None, initial=initial, congress=meeting.kind == Meeting.Kind.CONGRESS
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adopted = run_action(
            request,
            lambda: actions.adopt_procedure(
                user_of(request),
                meeting,
                data["majority_base"],
                data["tie_revote_needs_majority"],
                data["votes_for"],
                data.get("pre_election_candidates"),
                # R-CNT-8: absent for a members' meeting, which holds no pre-election
                data.get("pre_election_needs_majority", True),
                data["issued_over_present_voids"],  # R-BAL-5
                counting_method=data.get("counting_method") or CountingMethod.DOUBLE_ENTRY,
            ),
            form=form,
            success="选举办法已通过",
        )
        if adopted is not None:
            return redirect("meeting_roles", meeting.pk)
    return _procedure_page(request, meeting, form, reading_form)


def reduction_wording(meeting: Meeting) -> str:
    """How the meeting's procedure reads the consent to reduce the seats, in words (R-CNT-5)."""
    return f"减少名额须经{actions.REDUCTION_READINGS[ConsentReading(meeting.reduction_reading)]}选举人同意"


def _procedure_initial(meeting: Meeting) -> dict[str, Any]:
    return {
        "majority_base": meeting.majority_base,
        "tie_revote_needs_majority": meeting.tie_revote_needs_majority,
        "pre_election_candidates": meeting.pre_election_candidates,
    }


def _procedure_page(
    request: HttpRequest, meeting: Meeting, form: ProcedureForm, reading_form: ReductionReadingForm
) -> HttpResponse:
    return render(
        request,
        "elections/meeting_procedure.html",
        {
            "meeting": meeting,
            "election": meeting.election,
            "org": meeting.election.organization,
            "form": form,
            "reading_form": reading_form,
            "reduction_wording": reduction_wording(meeting),
            "voting_started": meeting.rounds.exists(),
        },
    )


@login_required
def meeting_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """Scrutineers and counters: approved by the meeting, never a candidate (R-MEET-4)."""
    meeting = _meeting(request, pk, can_manage)
    org = meeting.election.organization
    standing = set(
        Candidate.objects.filter(
            contest__in=meeting_contests(meeting), stage=Candidate.Stage.CANDIDATE
        ).values_list("member_id", flat=True)
    )
    form = RoleForm(request.POST or None, members=present_voters(meeting), standing=standing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        appointed = run_action(
            request,
            lambda: actions.appoint(user_of(request), meeting, data["member"], data["role"]),
            form=form,
            success=lambda entry: f"{entry.member.name}任{entry.get_role_display()}",
        )
        if appointed is not None:
            return redirect("meeting_roles", meeting.pk)
    return render(
        request,
        "elections/meeting_roles.html",
        {
            "meeting": meeting,
            "election": meeting.election,
            "org": org,
            "form": form,
            "roles": sorted(meeting.roles.select_related("member"), key=role_rank),
        },
    )


@login_required
@require_POST
def role_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a scrutineer or counter named by mistake (before any ballot is issued)."""
    role = get_object_or_404(MeetingRole.objects.select_related("meeting__election__organization"), pk=pk)
    require(can_manage(user_of(request), role.meeting.election.organization))
    run_action(request, lambda: actions.dismiss(user_of(request), role), success="已撤销")
    return redirect("meeting_roles", role.meeting_id)


@login_required
def meeting_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidates' CVs, records, strengths and weaknesses, shown before the vote (R-MEET-5)."""
    election = _election(request, pk)
    contests = [
        {
            "contest": contest,
            "candidates": ballot_order(
                list(contest.candidates.filter(stage=Candidate.Stage.CANDIDATE).select_related("member"))
            ),
        }
        for contest in election.contests.all()
    ]
    return render(
        request,
        "elections/meeting_candidates.html",
        {"election": election, "org": election.organization, "contests": contests},
    )


# --- rounds -------------------------------------------------------------------------------


@login_required
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the ballots of the round the contest needs next (R-CNT-4/6, R-BAL-5)."""
    contest = get_object_or_404(Contest.objects.select_related("election__organization"), pk=pk)
    election = contest.election
    require(can_manage(user_of(request), election.organization))
    meeting = _open_meeting_of(election, contest)
    plan = actions.next_round_plan(contest)
    form = RoundOpenForm(
        request.POST or None,
        initial={
            "issued": meeting.present if meeting else None,
            "counting_method": meeting.counting_method if meeting else CountingMethod.DOUBLE_ENTRY,
        },
    )
    if request.method == "POST" and form.is_valid():
        if meeting is None:
            form.add_error(None, "没有正在进行的选举会议，请先召开会议")
        else:
            opened = run_action(
                request,
                lambda: actions.open_round(
                    user_of(request),
                    contest,
                    meeting,
                    form.cleaned_data["issued"],
                    counting_method=form.cleaned_data.get("counting_method") or None,
                ),
                form=form,
                success=lambda round_: f"第{round_.number}轮投票开始，发出选票 {round_.issued} 张",
            )
            if opened is not None:
                return redirect("round_entry", opened.value.pk)
    candidates = ballot_order(plan[2]) if plan else []
    return render(
        request,
        "elections/round_open.html",
        {
            "contest": contest,
            "election": election,
            "org": election.organization,
            "meeting": meeting,
            "plan": plan,
            "kind_name": KIND_NAMES.get(str(plan[0]), "") if plan else "",
            "candidates": candidates,
            "form": form,
        },
    )


def _test_deck(round_: Round) -> dict[str, Any] | None:
    """The round's test deck result (测试票检验) where it is counted by scanning."""
    counting = hooks.counting()
    if counting is None or round_.counting_method != CountingMethod.SCAN:
        return None
    return counting.test_deck(round_)


def _entry_page(
    request: HttpRequest,
    round_: Round,
    ballot_form: BallotForm | None = None,
    close_form: RoundCloseForm | None = None,
    blockers: list[str] | None = None,
) -> HttpResponse:
    candidates = ballot_order(list(round_.candidates.select_related("member")))
    names = {c.key: c.member.name for c in candidates}
    entries: list[dict[str, Any]] = [
        {
            "entry": e,
            "for": [names.get(k, k) for k in e.marks_for],
            "against": [names.get(k, k) for k in e.marks_against],
        }
        for e in round_.ballots.order_by("pk")
    ]
    entered = sum(e["entry"].count for e in entries)
    user = user_of(request)
    return render(
        request,
        "elections/round_entry.html",
        {
            "round": round_,
            "single_entry": round_.counting_method == CountingMethod.SINGLE_ENTRY,
            "scan": round_.counting_method == CountingMethod.SCAN,
            "test_deck": _test_deck(round_),
            "can_enter": duties.may_enter(user, round_),  # R-MEET-4, as the actions decide
            "can_scrutinize": duties.may_scrutinize(user, round_),
            "unconfirmed": sum(1 for e in entries if not e["entry"].confirmed_by),
            "delete_form": BallotDeleteForm(),
            "blockers": actions.close_blockers(round_, entered) if blockers is None else blockers,
            "contest": round_.contest,
            "election": round_.contest.election,
            "org": round_.contest.election.organization,
            "form": ballot_form or BallotForm(candidates=candidates, seats=round_.seats),
            "close_form": close_form or RoundCloseForm(),  # counted from the box, not copied
            "entries": entries,
            "entered": entered,
            # The running count by the rules engine over the entries so far (not yet the result).
            "totals": result_view(result_document(round_)),
        },
    )


@login_required
def round_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The counting desk: one paper ballot (or a stack of identical ones) at a time (R-BAL-2..4)."""
    round_ = _round(request, pk, can_count)
    if round_.closed:
        return redirect("round_result", round_.pk)
    candidates = ballot_order(list(round_.candidates.select_related("member")))
    form = BallotForm(request.POST or None, candidates=candidates, seats=round_.seats)
    if request.method == "POST" and form.is_valid():
        recorded = run_action(
            request,
            lambda: actions.record_ballot(user_of(request), round_, **form.ballot()),
            form=form,
            success=lambda entry: f"已录入{'废票' if entry.void_reason else '选票'} {entry.count} 张",
        )
        if recorded is not None:
            return redirect("round_entry", round_.pk)
    return _entry_page(request, round_, ballot_form=form)


def _ballot(request: HttpRequest, pk: int) -> BallotEntry:
    entry = get_object_or_404(
        BallotEntry.objects.select_related("round__contest__election__organization"), pk=pk
    )
    require(can_count(user_of(request), entry.round.contest.election.organization))
    return entry


@login_required
@require_POST
def ballot_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A scrutineer confirms a single entry against the paper ballots; only then it counts (R-MEET-4)."""
    entry = _ballot(request, pk)
    run_action(
        request,
        lambda: actions.confirm_ballot(user_of(request), entry),
        success=f"已确认这条录入（{entry.count} 张）",
    )
    return redirect("round_entry", entry.round_id)


@login_required
@require_POST
def ballot_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A scrutineer deletes an entered ballot, with the reason, after one more confirmation
    (R-MEET-4, R-SUP-4). A counter is refused by the action."""
    entry = _ballot(request, pk)
    round_pk = entry.round_id
    form = BallotDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "删除已录入的选票须写明原因")
        return redirect("round_entry", round_pk)
    what = f"第{entry.sheet}号选票" if entry.sheet else f"这条录入（{entry.count} 张）"
    ask = confirmation(
        request,
        f"删除{what}",
        f"删除后{what}不再计入本轮得票，删除和原因“{form.cleaned_data['reason']}”记入审计记录；"
        "要重新计入须重新录入并经确认。",
        reverse("round_entry", args=[round_pk]),
        "确认删除",
    )
    if ask is not None:
        return ask
    run_action(
        request,
        lambda: actions.delete_ballot(user_of(request), entry, form.cleaned_data["reason"]),
        success=f"已删除{what}",
    )
    return redirect("round_entry", round_pk)


@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """End the count (a scrutineer): the page lists what still blocks it; the engine then decides.
    Asks once more, stating the consequence, before the round is fixed."""
    round_ = _round(request, pk, can_count)
    if round_.closed:
        return redirect("round_result", round_.pk)
    if request.method != "POST":
        return _entry_page(request, round_)
    form = RoundCloseForm(request.POST)
    # a counter is told so before anything else (R-MEET-4); the action checks again
    if (
        run_action(
            request, lambda: duties.require_scrutineer(user_of(request), round_, "结束计票"), form=form
        )
        is None
    ):
        return _entry_page(request, round_, close_form=form)
    if form.is_valid():
        returned = form.cleaned_data["returned"]
        blockers = actions.close_blockers(round_, returned)
        if blockers:
            form.add_error("returned", "还不能结束计票，请先处理下列事项")
            return _entry_page(request, round_, close_form=form, blockers=blockers)
        ask = confirmation(
            request,
            f"结束第{round_.number}轮计票",
            f"结束计票后，本轮 {returned} 张选票的录入即告固定，不能再录入、修改或删除，"
            "系统按选举办法计算并公布得票和当选结果。",
            reverse("round_entry", args=[round_.pk]),
            "确认结束计票",
        )
        if ask is not None:
            return ask
        closed = run_action(
            request,
            lambda: actions.close_round(user_of(request), round_, returned),
            form=form,
            success="计票结束",
        )
        if closed is not None:
            return redirect("round_result", round_.pk)
    return _entry_page(request, round_, close_form=form)


def _result_page(
    request: HttpRequest,
    round_: Round,
    reduce_form: ReduceSeatsForm | None = None,
    write_in_form: tuple[int, WriteInForm] | None = None,
) -> HttpResponse:
    user = user_of(request)
    contest = round_.contest
    org = contest.election.organization
    latest = contest.rounds.order_by("-number").first() == round_
    managing = can_manage(user, org) and not round_.meeting.closed
    plan = actions.next_round_plan(contest) if latest and round_.closed else None
    seats_left = contest.seats - contest.elected.count() - contest.seats_reduced
    result = result_view(round_.result) if round_.result else None
    reading = ConsentReading(round_.meeting.reduction_reading)
    reduce_options: dict[str, Any] = {  # R-CNT-5: the procedure's reading, and the presidium at a congress
        "least": least_consenting(round_.meeting.present, reading),
        "reading": actions.REDUCTION_READINGS[reading],
        "congress": round_.meeting.kind == Meeting.Kind.CONGRESS,
    }
    write_ins = []
    for elected in Elected.objects.filter(round=round_, member=None):
        if write_in_form and write_in_form[0] == elected.pk:
            form = write_in_form[1]
        else:
            form = WriteInForm(members=members_named(_members_of(contest.election), elected.write_in_name))
        write_ins.append({"elected": elected, "form": form})
    return render(
        request,
        "elections/round_result.html",
        {
            "round": round_,
            "contest": contest,
            "contest_filled": actions.contest_done(contest),
            "election": contest.election,
            "org": org,
            "result": result,
            "can_manage": managing,
            "can_count": can_count(user, org),
            "plan": plan if managing else None,
            "plan_kind": KIND_NAMES.get(str(plan[0]), "") if plan else "",
            "plan_names": [c.member.name for c in ballot_order(plan[2])] if plan else [],
            "open_form": RoundOpenForm(
                initial={"issued": round_.meeting.present, "counting_method": round_.meeting.counting_method}
            ),
            "reduce_form": (reduce_form or ReduceSeatsForm(**reduce_options))
            if managing
            and latest
            and seats_left > 0
            and result
            and result["doc"]["status"] == "seats_unfilled"
            and not result["pre_election"]
            # R-CNT-5, R-CAND-3: never for a secretary, nor below the statutory minimum
            and seat_reduction_problem(
                RULE_POST[Post(contest.post)], contest.elected.count(), statutory_minimum(round_)
            )
            is None
            else None,
            "seats_left": seats_left,
            "reduction_wording": reduction_wording(round_.meeting),
            "write_ins": write_ins if managing else [],
        },
    )


@login_required
def round_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's ``xuanju.result/1`` document in Chinese, and the next step it calls for."""
    round_ = _round(request, pk)
    if not round_.closed and can_count(user_of(request), round_.contest.election.organization):
        return redirect("round_entry", round_.pk)
    return _result_page(request, round_)


@login_required
@require_POST
def round_reduce_seats(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop with fewer seats, with the consent of 半数以上 of the voters as the procedure reads it, or
    at a congress by the presidium's decision (R-CNT-5)."""
    round_ = _round(request, pk, can_manage)
    meeting = round_.meeting
    reading = ConsentReading(meeting.reduction_reading)
    form = ReduceSeatsForm(
        request.POST,
        least=least_consenting(meeting.present, reading),
        reading=actions.REDUCTION_READINGS[reading],
        congress=meeting.kind == Meeting.Kind.CONGRESS,
    )
    if form.is_valid():
        reduced = run_action(
            request,
            lambda: actions.reduce_seats(
                user_of(request),
                round_.contest,
                meeting,
                form.cleaned_data["consenting"],
                by_presidium=bool(form.cleaned_data.get("by_presidium")),
            ),
            form=form,
            success=lambda contest: contest.reduction_consent,
        )
        if reduced is not None:
            return redirect("meeting_detail", round_.meeting_id)
    return _result_page(request, round_, reduce_form=form)


@login_required
@require_POST
def write_in_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the member a write-in vote elected, checking their right to stand (R-CNT-2)."""
    elected = get_object_or_404(
        Elected.objects.select_related("round__contest__election__organization", "round__meeting"), pk=pk
    )
    round_ = elected.round
    org = round_.contest.election.organization
    require(can_manage(user_of(request), org))
    form = WriteInForm(
        request.POST, members=members_named(_members_of(round_.contest.election), elected.write_in_name)
    )
    if form.is_valid():
        confirmed = run_action(
            request,
            lambda: actions.confirm_write_in(user_of(request), elected, form.cleaned_data["member"]),
            form=form,
            success=f"{elected.write_in_name}当选，被选举权已核实",
        )
        if confirmed is not None:
            return redirect("round_result", round_.pk)
    return _result_page(request, round_, write_in_form=(elected.pk, form))


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round as ``xuanju.election/1``, which ``xuanju tally`` counts to the stored result."""
    round_ = _round(request, pk, can_read if Round.objects.filter(pk=pk, closed=True).exists() else can_count)
    body = json.dumps(export_round(round_), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}.json"'
    return response


# --- announcement and report --------------------------------------------------------------


@login_required
def election_announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair announces the elected in stroke order with their votes (R-CNT-7), for a projector."""
    election = _election(request, pk)
    contests = []
    for contest in election.contests.all():
        elected: list[dict[str, Any]] = []
        rounds = contest.rounds.filter(closed=True).order_by("number")
        for round_ in rounds:
            document = round_.result or {}
            votes = {p["id"]: p for p in document.get("tally", [])}
            for key in document.get("elected_in_stroke_order", []):
                elected.append({"name": votes[key]["name"], "votes": votes[key]["for"], "round": round_})
        # Each round lists its elected in stroke order already; a stable merge keeps that order
        # across rounds (R-CNT-7, R-NAME).
        if len({e["round"].pk for e in elected}) > 1:
            elected.sort(key=lambda e: stroke_key(e["name"]))
        contests.append(
            {
                "contest": contest,
                "elected": elected,
                "rounds": [result_view(r.result) | {"round": r} for r in rounds if r.result],
            }
        )
    return render(
        request,
        "elections/meeting_announcement.html",
        {"election": election, "org": election.organization, "contests": contests},
    )


@login_required
def results_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Report the results: members for filing, secretary and deputies for approval (R-RPT-3)."""
    election = _election(request, pk, can_manage)
    if request.method == "POST":
        submitted = run_action(
            request,
            lambda: actions.submit_results(user_of(request), election),
            success="选举结果已报上级党组织",
        )
        if submitted is not None:
            return redirect("election_detail", election.pk)
    contests = [
        {
            "contest": c,
            "done": actions.contest_done(c),
            "elected": c.elected.select_related("member", "round").order_by("round__number", "-votes"),
        }
        for c in election.contests.all()
    ]
    return render(
        request,
        "elections/meeting_results_submit.html",
        {
            "election": election,
            "org": election.organization,
            "contests": contests,
            "ready": election.status in (ElectionStatus.PLENARY, ElectionStatus.MEETING)
            and all(c["done"] for c in contests),
            "can_oversee": can_oversee(user_of(request), election.organization),
        },
    )
