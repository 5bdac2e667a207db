"""The meeting and results steps: roll call, procedure, scrutineers, announcement and report; the
rounds and their counting are :mod:`xuanju.elections.views_rounds`.

Views parse, authorize and call one action; a refused step shows the action's Chinese message on the
page. Counting pages show marks and totals only, never the roll (R-SUP-1): nothing here joins a
voter to a ballot.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuanju.elections import actions
from xuanju.elections.actions import meeting_contests
from xuanju.elections.forms_meeting import (
    EXCLUSION_LABELS,
    ExclusionForm,
    MeetingOpenForm,
    ProcedureForm,
    ReductionReadingForm,
    RoleForm,
)
from xuanju.elections.models import (
    Attendance,
    Candidate,
    CountingMethod,
    Election,
    ElectionStatus,
    Meeting,
    MeetingRole,
)
from xuanju.elections.pickers import present_voters
from xuanju.elections.rounds import ballot_order
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
from xuanju.rules.meeting import has_quorum, minimum_present_for_quorum
from xuanju.rules.names import stroke_key
from xuanju.rules.reduction import ConsentReading
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
        "numbered_sheets": meeting.numbered_sheets,
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
                numbered_sheets=data.get("numbered_sheets", False),
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
