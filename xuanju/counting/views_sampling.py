"""The sampling audit page of a scanned round (抽样复核): what a sample needs before it starts, the
sheets to pull, the scrutineers' readings and the verdict (docs/sampling-audit.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xuanju.counting import sampling
from xuanju.counting.forms import VOID_REASONS, AuditReadingForm
from xuanju.counting.forms_scan import AuditStartForm
from xuanju.counting.models import SamplingAudit
from xuanju.counting.views_scan import _context, _round
from xuanju.elections import duties
from xuanju.elections.rounds import ballot_order
from xuanju.organizations.actions import ActionError
from xuanju.organizations.scope import user_of
from xuanju.web import add_action_error


def _order(key: str) -> tuple[int, ...]:
    return tuple(int(part) for part in key.split("-"))


@login_required
def sampling_audit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    user = user_of(request)
    audit = SamplingAudit.objects.filter(round=round_).first()
    candidates = ballot_order(list(round_.candidates.select_related("member")))
    start_form = AuditStartForm(request.POST if request.POST.get("step") == "start" else None)
    reading_form = AuditReadingForm(
        request.POST if request.POST.get("step") == "read" else None,
        candidates=candidates,
        numbered=round_.numbered_sheets,
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "start" and start_form.is_valid():
                data = start_form.cleaned_data
                audit = sampling.start_audit(user, round_, data["seed"], data["risk_limit"])
                messages.success(request, "已按随机种子抽取选票，请逐张调出原票复核")
                return redirect("sampling_audit", round_.pk)
            if request.POST.get("step") == "read" and audit is not None and reading_form.is_valid():
                key = reading_form.cleaned_data["key"]
                sampling.record_paper(user, audit, key, reading_form.ballot())
                messages.success(request, f"{sampling.sheet_phrase(key)}已复核")
                return redirect("sampling_audit", round_.pk)
        except ActionError as error:
            add_action_error(start_form if audit is None else reading_form, error)
    announced: int | None = None
    claims: list[tuple[str, float]] = []
    unavailable = ""
    risk_limit = int(start_form["risk_limit"].value() or 5)
    if audit is None:
        try:
            announced = sampling.announced_draws(round_, risk_limit)
            claims = sampling.margins(round_)
        except ActionError as error:
            unavailable = error.message
    draws = list(audit.draws.order_by("number")) if audit else []
    waiting = {d.key: d for d in draws if d.paper is None}
    pending = [waiting[k].label for k in sorted(waiting, key=_order)]
    return render(
        request,
        "counting/sampling.html",
        _context(
            round_,
            audit=audit,
            announced=announced,
            claims=claims,
            risk_limit=risk_limit,
            unavailable=unavailable,
            draws=draws,
            pending=pending,
            start_form=start_form,
            form=reading_form,
            candidates=candidates,
            void_reasons=VOID_REASONS,
            can_scrutinize=duties.may_scrutinize(user, round_),
        ),
    )
