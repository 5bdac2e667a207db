"""The counting desk: two counters read every paper ballot (甲录入, 乙录入), a scrutineer decides
where they differ, and every printed sheet is accounted for.

Views parse, authorize (can_count; can_scrutinize for a decision) and call one action, which
commits before the page acknowledges anything. The desk shows sheet numbers and marks only —
never the roll, never a voter (R-SUP-1).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xuanju.counting import actions
from xuanju.counting.desk import conflict_keys, next_key, pending, sheet_account
from xuanju.counting.forms import CLEAR, VOID_REASONS, ReadingForm, SheetCountForm, SheetNoteForm
from xuanju.counting.models import BallotPrint, DeskEntry
from xuanju.counting.readings import (
    DESK_BATCH,
    MARK_SIGNS,
    conflict_text,
    is_sheet,
    key_label,
    normalize_key,
    place_of,
)
from xuanju.counting.scope import can_scrutinize
from xuanju.elections.models import Candidate, Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import can_count, require, user_of
from xuanju.web import add_action_error

RECENT = 8


def counting_round(request: HttpRequest, pk: int, allowed: Any = can_count) -> Round:
    round_ = get_object_or_404(
        Round.objects.select_related("contest__election__organization", "meeting"), pk=pk
    )
    require(allowed(user_of(request), round_.contest.election.organization))
    return round_


def _candidates(round_: Round) -> list[Candidate]:
    return ballot_order(list(round_.candidates.select_related("member")))


def _context(round_: Round, **extra: Any) -> dict[str, Any]:
    election = round_.contest.election
    return {
        "round": round_,
        "contest": round_.contest,
        "election": election,
        "org": election.organization,
        "meeting": round_.meeting,
        "desk_batch": DESK_BATCH,
        **extra,
    }


def mark_rows(entry: DeskEntry, candidates: list[Candidate]) -> list[dict[str, str]]:
    """Each candidate with the mark this reading gives them."""
    return [
        {
            "name": c.member.name,
            "sign": MARK_SIGNS[
                "for"
                if c.key in entry.marks_for
                else "against"
                if c.key in entry.marks_against
                else "abstain"
            ],
        }
        for c in candidates
    ]


def _conflicts(round_: Round) -> list[dict[str, str]]:
    return [
        {
            "key": k,
            "label": key_label(k),
            "text": conflict_text(k),
            "url": reverse("desk_conflict", args=[round_.pk, k]),
        }
        for k in conflict_keys(round_)
    ]


# --- overview and sheet accounting --------------------------------------------------------


def _overview(
    request: HttpRequest,
    round_: Round,
    note_form: SheetNoteForm | None = None,
    count_form: SheetCountForm | None = None,
) -> HttpResponse:
    user = user_of(request)
    return render(
        request,
        "counting/overview.html",
        _context(
            round_,
            account=sheet_account(round_),
            printed=BallotPrint.objects.filter(round=round_).first(),
            conflicts=_conflicts(round_),
            waiting={slot: len(pending(round_, slot)) for slot in DeskEntry.Slot.values},
            note_form=note_form or SheetNoteForm(),
            count_form=count_form or _count_form(round_),
            can_scrutinize=can_scrutinize(user, round_.contest.election.organization),
        ),
    )


@login_required
def counting_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's front page: the two entry slots, disputes, and the accounting of the sheets."""
    return _overview(request, counting_round(request, pk))


@login_required
@require_POST
def sheet_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Note serials of sheets left unused or spoiled and exchanged (ranges like “41-45、47”)."""
    round_ = counting_round(request, pk)
    form = SheetNoteForm(request.POST)
    if form.is_valid():
        serials, state = form.cleaned_data["serials"], form.cleaned_data["state"]
        try:
            if state == CLEAR:
                n = actions.clear_sheet_notes(user_of(request), round_, serials)
                messages.success(request, f"已撤销 {n} 张选票的登记")
            else:
                n = actions.note_sheets(user_of(request), round_, serials, state)
                messages.success(request, f"已登记 {n} 张选票")
        except ActionError as error:
            add_action_error(form, error)
        else:
            return redirect("counting_overview", round_.pk)
    return _overview(request, round_, form)


def _count_form(round_: Round) -> SheetCountForm:
    printed = BallotPrint.objects.filter(round=round_).first()
    return SheetCountForm(
        initial={"spoiled": printed.spoiled if printed else 0, "unused": printed.unused if printed else 0}
    )


@login_required
@require_POST
def sheet_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """How many unnumbered sheets were spoiled and exchanged, and how many were not handed out."""
    round_ = counting_round(request, pk)
    form = SheetCountForm(request.POST)
    if form.is_valid():
        try:
            actions.count_sheets(
                user_of(request), round_, form.cleaned_data["spoiled"], form.cleaned_data["unused"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, "已登记作废换发和未发出的张数")
            return redirect("counting_overview", round_.pk)
    return _overview(request, round_, count_form=form)


# --- the desk -----------------------------------------------------------------------------


def _desk_page(request: HttpRequest, round_: Round, slot: int, form: ReadingForm) -> HttpResponse:
    candidates = _candidates(round_)
    mine = list(DeskEntry.objects.filter(round=round_, slot=slot).order_by("-pk")[:RECENT])
    user = user_of(request)
    waiting_here = [e.key for e in pending(round_, 3 - slot)]  # read by the other slot only
    disputed = set(conflict_keys(round_))
    return render(
        request,
        "counting/desk.html",
        _context(
            round_,
            slot=slot,
            slot_name=DeskEntry.Slot(slot).label,
            other_slot=3 - slot,
            other_name=DeskEntry.Slot(3 - slot).label,
            form=form,
            candidates=candidates,
            recent=[
                {
                    "entry": e,
                    "label": key_label(e.key),
                    "marks": mark_rows(e, candidates),
                    "state": "已计入"
                    if e.ballot_id
                    else "两次不一致，待监票人裁定"
                    if e.key in disputed
                    else "等待另一席录入",
                    "withdrawable": e.entered_by == user.username
                    and not e.ballot_id
                    and e.key not in disputed,
                }
                for e in mine
            ],
            waiting_here=waiting_here,
            waiting_there=[e.key for e in pending(round_, slot)],
            conflicts=_conflicts(round_),
            void_reasons=VOID_REASONS,
            account=sheet_account(round_),
        ),
    )


@login_required
def counting_desk(request: HttpRequest, pk: int, slot: int) -> HttpResponse:
    """Keyboard-first double entry: sheet number, one key per candidate, Enter (R-BAL-2..4)."""
    round_ = counting_round(request, pk)
    if slot not in DeskEntry.Slot.values:
        raise Http404("录入席只有甲、乙两席")
    if round_.closed:
        messages.info(request, "这一轮已经计票结束")
        return redirect("round_result", round_.pk)
    candidates = _candidates(round_)
    if request.method != "POST":
        form = ReadingForm(
            candidates=candidates,
            numbered=round_.numbered_sheets,
            initial={"key": next_key(round_, slot), "count": 1},
        )
        return _desk_page(request, round_, slot, form)
    form = ReadingForm(request.POST, candidates=candidates, numbered=round_.numbered_sheets)
    if form.is_valid():
        try:
            entry = actions.enter_at_desk(
                user_of(request), round_, form.cleaned_data["key"], slot, **form.ballot()
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            label = key_label(entry.key)
            if entry.ballot_id:
                messages.success(request, f"{label}两次录入一致，已计入")
            elif DeskEntry.objects.filter(round=round_, key=entry.key).count() == 2:
                messages.error(request, conflict_text(entry.key))
            else:
                messages.success(request, f"{label}已录入（{entry.get_slot_display()}），等待另一席录入")
            return redirect("counting_desk", round_.pk, slot)
    return _desk_page(request, round_, slot, form)


@login_required
@require_POST
def desk_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a reading not yet counted: one's own, or any as a scrutineer."""
    entry = get_object_or_404(
        DeskEntry.objects.select_related("round__contest__election__organization"), pk=pk
    )
    org = entry.round.contest.election.organization
    user = user_of(request)
    require(can_count(user, org))
    slot, round_pk = entry.slot, entry.round_id
    try:
        actions.withdraw_desk_entry(user, entry, as_scrutineer=can_scrutinize(user, org))
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"已撤回{key_label(entry.key)}的{entry.get_slot_display()}")
    if request.POST.get("back") == "overview":
        return redirect("counting_overview", round_pk)
    return redirect("counting_desk", round_pk, slot)


def _pull_text(key: str) -> str:
    """Where the scrutineers find an unnumbered sheet: its batch, and its place counted from the top."""
    place = place_of(key)
    if place is None:
        return ""
    batch, position = place
    return f"请从第{batch}批选票中，保持原来的顺序，从上往下数出第{position}张（第{batch}批第{position}张）"


# --- disputes -----------------------------------------------------------------------------


@login_required
def desk_conflict(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Both readings side by side, differences marked; a scrutineer records the true reading."""
    round_ = counting_round(request, pk)
    org = round_.contest.election.organization
    user = user_of(request)
    scrutineer = can_scrutinize(user, org)  # the action refuses a counter with the reason (R-MEET-4)
    try:
        key = normalize_key(key, round_.numbered_sheets)
    except ValueError as error:
        raise Http404(str(error)) from error
    readings = sorted(
        DeskEntry.objects.filter(round=round_, key=key, ballot__isnull=True), key=lambda e: e.slot
    )
    if len(readings) != 2 or round_.closed:
        messages.info(request, f"{key_label(key)}没有待裁定的不一致录入")
        return redirect("counting_overview", round_.pk)
    candidates = _candidates(round_)
    form = ReadingForm(
        request.POST or None,
        candidates=candidates,
        with_key=False,
        numbered=round_.numbered_sheets,
        initial={"count": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.resolve_conflict(user, round_, key, **form.ballot())
        except ActionError as error:
            add_action_error(form, error)
        else:
            messages.success(request, f"已按监票人核对的原票计入{key_label(key)}，可以继续录入")
            return redirect("counting_overview", round_.pk)
    first, second = readings
    rows = []
    for c, a, b in zip(candidates, mark_rows(first, candidates), mark_rows(second, candidates), strict=True):
        rows.append(
            {"name": c.member.name, "a": a["sign"], "b": b["sign"], "differs": a["sign"] != b["sign"]}
        )
    extras = [
        ("另选他人", "、".join(sorted(first.write_ins)) or "—", "、".join(sorted(second.write_ins)) or "—"),
        ("张数", str(first.count), str(second.count)),
        ("废票原因", first.void_reason or "—", second.void_reason or "—"),
    ]
    return render(
        request,
        "counting/conflict.html",
        _context(
            round_,
            key=key,
            sheet=is_sheet(key),
            pull=_pull_text(key),
            label=key_label(key),
            readings=readings,
            rows=rows,
            extras=[{"name": n, "a": a, "b": b, "differs": a != b} for n, a, b in extras],
            form=form,
            candidates=candidates,
            can_scrutinize=scrutineer,
            void_reasons=VOID_REASONS,
        ),
    )
