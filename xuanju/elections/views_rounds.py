"""The rounds of a meeting: opening a round, entering and confirming ballots, closing and the
result, reducing seats, confirming a write-in, and the round's export.

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
    BallotDeleteForm,
    BallotForm,
    ReduceSeatsForm,
    RoundCloseForm,
    RoundOpenForm,
    WriteInForm,
)
from xuanju.elections.models import (
    RULE_POST,
    BallotEntry,
    Contest,
    CountingMethod,
    Elected,
    Election,
    Meeting,
    Post,
    Round,
)
from xuanju.elections.pickers import members_in_stroke_order
from xuanju.elections.rounds import ballot_order, export_round, result_document, statutory_minimum
from xuanju.elections.views_meeting import reduction_wording, result_view
from xuanju.formats.wording import KIND_NAMES
from xuanju.organizations.scope import (
    can_count,
    can_manage,
    can_read,
    require,
    user_of,
)
from xuanju.organizations.services import members_named
from xuanju.rules.reduction import ConsentReading, least_consenting, seat_reduction_problem
from xuanju.web import confirmation, run_action


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
