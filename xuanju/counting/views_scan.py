"""Printing a round's sheets, uploading scans, and one scanned page as read (the scrutineers' pages
are in views_adjudicate)."""

from __future__ import annotations

from typing import Any

import cv2
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xuanju.counting import scan_batches, scanning, testdeck
from xuanju.counting.forms_scan import PrintForm, RescanForm, ScanUploadForm, VoidSheetForm
from xuanju.counting.models import BallotPrint, MarkDoubt, ScanPage
from xuanju.counting.scanning import page_place
from xuanju.counting.scope import can_scrutinize
from xuanju.counting.sheets import layout_finder
from xuanju.elections.models import Round
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import can_count, require, user_of
from xuanju.paper.pages import page_at
from xuanju.paper.read import read_sheet
from xuanju.web import add_action_error


def _context(round_: Round, **extra: Any) -> dict[str, Any]:
    election = round_.contest.election
    return {
        "round": round_,
        "contest": round_.contest,
        "meeting": round_.meeting,
        "election": election,
        "org": election.organization,
        **extra,
    }


def _decision_text(doubt: MarkDoubt | None) -> str:
    if doubt is None or not doubt.decision:
        return ""
    if doubt.decision == "void":
        return f"整张作废（{doubt.decided_by}）"
    if doubt.kind == MarkDoubt.Kind.WRITE_IN:
        return (
            f"另选：{doubt.write_in_name}（{doubt.decided_by}）"
            if doubt.write_in_name
            else f"不计另选（{doubt.decided_by}）"
        )
    return f"{scanning.MARK_NAMES[doubt.decision]}（{doubt.decided_by}）"


def _round(request: HttpRequest, pk: int, allowed: Any = can_count) -> Round:
    round_ = get_object_or_404(
        Round.objects.select_related("contest__election__organization", "meeting"), pk=pk
    )
    require(allowed(user_of(request), round_.contest.election.organization))
    return round_


@login_required
def print_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's ballot sheets as one PDF: issued plus reserve, each with its serial (R-BAL-1)."""
    round_ = _round(request, pk)
    existing = BallotPrint.objects.filter(round=round_).first()
    initial = (
        {"reserve": existing.reserve, "paper": existing.paper, "large_print": existing.large_print}
        if existing
        else None
    )
    form = PrintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pdf, print_ = scanning.print_round(
                user_of(request), round_, data["reserve"], data["paper"] or None, data["large_print"]
            )
        except ActionError as error:
            add_action_error(form, error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            name = f"ballots-round-{round_.pk}-{print_.sheets}.pdf"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(request, "counting/print.html", _context(round_, form=form, existing=existing))


@login_required
def scan_round(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload scanned pages of the round: each file is checked from its headers and stored here,
    and read page by page in the background (xuanju.counting.scan_batches); the page shows the
    progress of every batch and what became of each page read."""
    round_ = _round(request, pk)
    form = ScanUploadForm(request.POST or None, request.FILES or None, numbered=round_.numbered_sheets)
    if request.method == "POST" and form.is_valid():
        user = user_of(request)
        queued: list[str] = []
        total = 0
        for upload in form.cleaned_data["scans"]:
            try:
                file = scan_batches.store_upload(
                    user, round_, upload.name, upload.read(), form.cleaned_data.get("sheets")
                )
            except ActionError as error:
                messages.error(request, error.message)
                continue
            queued.append(file.filename)
            total += file.pages
            scan_batches.enqueue(file)
        if queued:
            messages.success(
                request, f"已上传 {len(queued)} 个文件（共 {total} 页），正在逐页识别，进度见下方"
            )
        return redirect("scan_round", round_.pk)
    pages = ScanPage.objects.filter(round=round_).select_related("file").order_by("-pk")
    counts = {status: pages.filter(status=status).count() for status in ScanPage.Status.values}
    return render(
        request,
        "counting/scan.html",
        _context(
            round_,
            form=form,
            printed=BallotPrint.objects.filter(round=round_).first(),
            pages=pages[:200],
            counts=counts,
            flagged=counts[ScanPage.Status.REVIEW],
            deck=testdeck.summary(round_),
            progress=scan_batches.progress(round_),
            batches=scan_batches.batch_counts(round_) if not round_.numbered_sheets else [],
            suspects=pages.filter(status=ScanPage.Status.SUSPECT).order_by("pk"),
        ),
    )


@login_required
@never_cache
def scan_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress of the round's batches as JSON, polled by xuanju/static/xuanju/scan_progress.js."""
    round_ = _round(request, pk)
    return JsonResponse(scan_batches.progress(round_), json_dumps_params={"ensure_ascii": False})


def _page(request: HttpRequest, pk: int, allowed: Any = can_count) -> ScanPage:
    page = get_object_or_404(
        ScanPage.objects.select_related("round__contest__election__organization", "round__meeting", "file"),
        pk=pk,
    )
    require(allowed(user_of(request), page.round.contest.election.organization))
    return page


def _names(round_: Round) -> list[str]:
    return [c.member.name for c in ballot_order(list(round_.candidates.select_related("member")))]


def _marks_table(page: ScanPage) -> list[dict[str, Any]]:
    names = _names(page.round)
    decided = {(d.kind, d.index): d for d in page.doubts.all()}
    rows = []
    for mark in page.reading:
        kind = mark["kind"]
        if kind == "candidate":
            label = names[mark["index"]] if mark["index"] < len(names) else f"第{mark['index'] + 1}位"
            doubt = decided.get(("candidate", mark["index"]))
        else:
            label = f"另选他人第{mark['index'] + 1}行（{'姓名' if kind == 'write_in_name' else '符号栏'}）"
            doubt = decided.get(("write_in", mark["index"]))
            if mark["value"] == "blank" and mark["doubt"] is None:
                continue
        rows.append(
            {
                "label": label,
                # A doubtful box shows no machine guess, so as not to lead the scrutineer's eye.
                "value": "存疑" if mark["doubt"] else scanning.MARK_NAMES.get(mark["value"], mark["value"]),
                "confidence": mark["confidence"],
                "doubt": mark["doubt"],
                "decision": _decision_text(doubt),
            }
        )
    return rows


@login_required
def scan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One scanned page beside its reading, and how it was counted or why not."""
    page = _page(request, pk)
    return render(
        request,
        "counting/scan_page.html",
        _context(
            page.round,
            page=page,
            marks=_marks_table(page),
            void_form=VoidSheetForm(),
            rescan_form=RescanForm(),
            place=page_place(page),
            resembles=page.resembles,
            resembles_place=page_place(page.resembles) if page.resembles else "",
            can_scrutinize=can_scrutinize(user_of(request), page.round.contest.election.organization),
        ),
    )


@login_required
@require_POST
def scan_page_rescan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scrutineers' answer for a page held as a possible rescan: the same sheet or another."""
    page = _page(request, pk)  # the action refuses a counter with the reason (R-MEET-4)
    form = RescanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择是否同一张选票")
        return redirect("scan_page", page.pk)
    try:
        page = scanning.decide_rescan(user_of(request), page, form.cleaned_data["same_sheet"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{page_place(page)}：{page.get_status_display()}")
    return redirect("scan_round", page.round_id)


@login_required
def scan_page_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The page as scanned (as a JPEG for the browser), or as registered with every box outlined:
    green accepted, red left to a scrutineer."""
    page = _page(request, pk)
    image: Any = page_at(bytes(page.file.content), page.file.filename, page.page_number - 1)
    print_ = BallotPrint.objects.filter(round=page.round).first()
    if request.GET.get("boxes") and print_ is not None:
        reading = read_sheet(image, layout_finder(print_))
        if reading.registered is not None:
            image = cv2.cvtColor(reading.registered, cv2.COLOR_GRAY2BGR)
            scale = reading.px_per_mm
            for mark in reading.marks:
                r = mark.box.rect
                colour = (40, 40, 220) if mark.doubt else (40, 160, 40)
                top_left = (round(r.x * scale), round(r.y * scale))
                bottom_right = (round(r.right * scale), round(r.bottom * scale))
                cv2.rectangle(image, top_left, bottom_right, colour, 3)
    _, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    response = HttpResponse(bytes(data), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def doubt_cutout(request: HttpRequest, pk: int) -> HttpResponse:
    doubt = get_object_or_404(
        MarkDoubt.objects.select_related("page__round__contest__election__organization"), pk=pk
    )
    require(can_count(user_of(request), doubt.page.round.contest.election.organization))
    response = HttpResponse(bytes(doubt.cutout), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def scan_page_void(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(request, pk)  # the action refuses a counter with the reason (R-MEET-4)
    form = VoidSheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明作废原因")
        return redirect("scan_page", page.pk)
    try:
        scanning.void_scanned_sheet(user_of(request), page, form.cleaned_data["void_reason"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{page_place(page)}的选票已作为废票计入")
    return redirect("scan_page", page.pk)
