"""The scrutineers' pages of scanning: flagged sheets confirmed whole (R-BAL-4), and the test deck
that must read right before real sheets are uploaded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xuanju.counting import adjudication, testdeck
from xuanju.counting.forms_scan import ScanUploadForm, VoidSheetForm
from xuanju.counting.models import BallotPrint, ScanPage
from xuanju.counting.scanning import page_place
from xuanju.counting.views_scan import _context, _page, _round
from xuanju.elections import duties
from xuanju.forms import Form
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import user_of

CHOICES = [("for", "○ 赞成"), ("against", "× 不赞成"), ("blank", "弃权（无符号）")]


class SheetForm(Form):
    """Every box of a flagged sheet: a value per candidate box, a name per write-in row."""

    def __init__(self, *args: Any, boxes: list[adjudication.SheetBox], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.boxes = boxes
        for box in boxes:
            if box.kind == "candidate":
                self.fields[f"c{box.index}"] = forms.ChoiceField(
                    label=box.label,
                    choices=CHOICES,
                    widget=forms.RadioSelect,
                    initial=box.value or None,
                    error_messages={"required": f"请确认{box.label}的符号栏"},
                )
            else:
                self.fields[f"w{box.index}"] = forms.CharField(
                    label=f"{box.label}姓名",
                    max_length=50,
                    required=False,
                    initial=box.value,
                    help_text="按选票上写的姓名填写；没有写姓名、写的不是姓名或无法辨认的，留空，不计另选",
                )

    def rows(self) -> list[dict[str, Any]]:
        """The boxes with their fields, in the page's order (doubtful first)."""
        return [
            {"box": box, "field": self[f"c{box.index}" if box.kind == "candidate" else f"w{box.index}"]}
            for box in self.boxes
        ]

    def values(self) -> tuple[dict[int, str], dict[int, str]]:
        data = self.cleaned_data
        candidates = {b.index: data[f"c{b.index}"] for b in self.boxes if b.kind == "candidate"}
        write_ins = {b.index: data[f"w{b.index}"] for b in self.boxes if b.kind == "write_in"}
        return candidates, write_ins


@login_required
def flagged_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """The scrutineers' queue: every flagged sheet of the round, none of it counted yet (R-BAL-4)."""
    round_ = _round(request, pk)
    pages = (
        ScanPage.objects.filter(round=round_, status=ScanPage.Status.REVIEW)
        .select_related("file")
        .prefetch_related("doubts")
        .order_by("serial", "pk")
    )
    return render(
        request,
        "counting/flagged.html",
        _context(
            round_,
            pages=pages[:200],
            total=pages.count(),
            can_scrutinize=duties.may_scrutinize(user_of(request), round_),
        ),
    )


@login_required
def sheet_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One flagged sheet, whole: the image with the reading on every box, every box listed (the
    doubtful ones first) to correct, and one confirmation for the sheet (R-BAL-4)."""
    page = _page(request, pk)  # a counter sees the page; the action refuses their confirmation
    boxes = adjudication.sheet_boxes(page)
    form = SheetForm(request.POST or None, boxes=boxes)
    if request.method == "POST":
        if form.is_valid():
            candidates, write_ins = form.values()
            try:
                adjudication.confirm_sheet(user_of(request), page, candidates, write_ins)
            except ActionError as error:
                messages.error(request, f"{page_place(page)}：{error.message}")
            else:
                messages.success(request, f"已确认{page_place(page)}的整张选票并计入")
                return redirect("doubt_queue", page.round.pk)
        else:
            messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    user = user_of(request)
    return render(
        request,
        "counting/sheet_review.html",
        _context(
            page.round,
            page=page,
            form=form,
            rows=form.rows(),
            flagged=page.status == ScanPage.Status.REVIEW,
            can_scrutinize=duties.may_scrutinize(user, page.round) and page.file.uploaded_by != user.username,
            void_form=VoidSheetForm(),
        ),
    )


@login_required
def sheet_overlay(request: HttpRequest, pk: int) -> HttpResponse:
    """The registered sheet as a PNG, the reading drawn on every box."""
    page = _page(request, pk)
    data = adjudication.overlay_png(page)
    if data is None:
        raise Http404("这一页无法对准版面")
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def test_deck(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's test deck: what it holds, its result, and the upload of its scan (scrutineers)."""
    round_ = _round(request, pk)
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["scans"]]
        try:
            run = testdeck.run_test_deck(user_of(request), round_, files)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            if run.passed:
                messages.success(request, "测试票检验通过：识别结果与测试票完全一致，可以上传正式选票")
            else:
                messages.error(
                    request, f"测试票检验未通过：有 {len(run.differences)} 处差异，正式选票暂不能上传"
                )
        return redirect("test_deck", round_.pk)
    print_ = BallotPrint.objects.filter(round=round_).first()
    deck = testdeck.deck_of(print_)[1] if print_ is not None else ()
    user = user_of(request)
    return render(
        request,
        "counting/test_deck.html",
        _context(
            round_,
            form=form,
            printed=print_,
            deck=deck,
            result=testdeck.summary(round_),
            can_scrutinize=duties.may_scrutinize(user, round_),
        ),
    )


@login_required
@require_POST
def print_test_deck(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    try:
        pdf, deck = testdeck.print_test_deck(user_of(request), round_)
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("test_deck", round_.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="test-deck-round-{round_.pk}-{len(deck)}.pdf"'
    return response
