"""The pages of a campaign: the list, the form that arranges one, the progress board with its
start and reminder actions, and the progress table's downloads (their own routes)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xuanju.campaigns import actions, board, statistics, tasks
from xuanju.campaigns.access import arranges_campaigns, runs_campaign, sees_campaign, sees_campaigns
from xuanju.campaigns.exports import TITLE, progress_pdf, progress_workbook
from xuanju.campaigns.forms import CampaignForm
from xuanju.campaigns.models import Campaign
from xuanju.campaigns.progress import STEPS, RowStatus
from xuanju.organizations.scope import require, user_of
from xuanju.shell import ActionError
from xuanju.web import PAGE_SIZE, confirmation, run_action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    require(sees_campaigns(user))
    campaigns = (
        Campaign.objects.select_related("organization")
        .annotate(organizations=Count("entries"))
        .order_by("-created_at", "-id")
    )
    if not user.is_superuser:
        assert user.organization is not None
        campaigns = campaigns.filter(organization__path__startswith=user.organization.path)
    return render(
        request,
        "campaigns/list.html",
        {"campaigns": campaigns[:200], "may_create": arranges_campaigns(user) is not None},
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    owner = arranges_campaigns(user)
    require(owner is not None)
    assert owner is not None
    choices = list(
        actions.beneath(owner).order_by("path").values_list("pk", "name")[: actions.MAX_ORGANIZATIONS]
    )
    form = CampaignForm(request.POST or None, owner=owner, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        selection = actions.Selection(
            kinds=data["kinds"],
            sectors=data["sectors"],
            organization_ids=[int(pk) for pk in data["organizations"]],
        )
        settings = {
            name: data[name] for name in form.Meta.fields if name not in ("name", "secretary_heads_committee")
        }
        try:
            campaign = actions.create_campaign(
                user,
                owner,
                data["name"],
                selection,
                secretary_heads_committee=data["secretary_heads_committee"],
                **settings,
            )
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, f"已安排“{campaign.name}”，共 {campaign.entries.count()} 个党组织；确认无误后请启动"
            )
            return redirect("campaign_board", campaign.pk)
    return render(request, "campaigns/create.html", {"form": form, "owner": owner})


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organization"), pk=pk)
    require(sees_campaign(user_of(request), campaign))
    return campaign


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def campaign_board(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per organization, one column per step; filter by township and status, sort, page."""
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    every = board.rows(campaign, today)
    township = _int(request.GET.get("township"))
    status = request.GET.get("status") or ""
    sort = request.GET.get("sort") or ""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    shown = board.sorted_rows(board.filtered(every, township, status), key, descending)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = {"township": township or "", "status": status}
    query = urlencode({k: v for k, v in {**keep, "sort": sort}.items() if v})
    sort_links = [
        (
            name,
            label,
            urlencode(
                {
                    k: v
                    for k, v in {**keep, "sort": name if key != name or descending else f"-{name}"}.items()
                    if v
                }
            ),
            key == name,
            descending,
        )
        for name, label in board.SORTS.items()
    ]
    counts = board.status_counts(every)
    return render(
        request,
        "campaigns/board.html",
        {
            "campaign": campaign,
            "today": today,
            "steps": STEPS,
            "step_counts": board.step_counts(every),
            "statuses": [
                (value, label, sum(counts[s] for s in kept))
                for value, (label, kept) in board.STATUS_FILTERS.items()
            ],
            "townships": board.townships(every),
            "township": township,
            "status": status,
            "page_obj": page,
            "query": f"{query}&" if query else "",
            "sort_links": sort_links,
            "total": len(every),
            "shown": len(shown),
            "late_statuses": (RowStatus.LATE_US, RowStatus.LATE_THEM),
            "runs": runs_campaign(user_of(request), campaign),
        },
    )


@login_required
@require_POST
def campaign_start(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(runs_campaign(user_of(request), campaign))
    back = reverse("campaign_board", args=[campaign.pk])
    ask = confirmation(
        request,
        f"启动“{campaign.name}”",
        f"将为 {campaign.entries.filter(election__isnull=True).count()} 个党组织发起换届选举（拟订方案阶段），"
        "并带入统一的候选人条件和班子结构要求。",
        back,
        button="启动",
    )
    if ask is not None:
        return ask
    waiting = campaign.entries.filter(election__isnull=True).count()
    if waiting > tasks.START_IN_REQUEST:
        tasks.start_campaign_task.enqueue(campaign.pk, user_of(request).username)
        messages.success(
            request, f"{waiting} 个党组织的换届已交由后台逐个发起，进度表将陆续显示；未能发起的会注明原因"
        )
        return redirect(back)
    done = run_action(request, lambda: actions.start_campaign(user_of(request), campaign))
    if done is not None:
        outcome = done.value
        messages.success(
            request, f"已发起 {outcome.started} 个党组织的换届，接续已在进行的 {outcome.linked} 个"
        )
        for name, why in outcome.refused[:10]:
            messages.error(request, f"{name}未能发起：{why}")
        if len(outcome.refused) > 10:
            messages.error(request, f"另有 {len(outcome.refused) - 10} 个党组织未能发起，原因见进度表")
    return redirect(back)


@login_required
@require_POST
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    require(runs_campaign(user_of(request), campaign))
    today = timezone.localdate()
    late = actions.late_rows(campaign, today)
    if len(late) > tasks.REMIND_IN_REQUEST:
        tasks.remind_late_task.enqueue(campaign.pk, user_of(request).username, today.isoformat())
        messages.success(
            request,
            f"{len(late)} 个逾期党组织的提醒已交由后台逐个发送；今天已提醒过的不重复发送，"
            "无法提醒的（如未登记本届委员会）记入审计记录",
        )
        return redirect(reverse("campaign_board", args=[campaign.pk]) + "?status=late_them")
    done = run_action(request, lambda: actions.remind_late(user_of(request), campaign, today, late))
    if done is not None:
        outcome = done.value
        text = f"已向 {outcome.sent} 个逾期的党组织发出提醒"
        if outcome.already:
            text += f"；{outcome.already} 个今天已提醒过，未重复发送"
        messages.success(request, text)
        for name, why in outcome.skipped[:10]:
            messages.error(request, f"{name}：{why}")
    return redirect(reverse("campaign_board", args=[campaign.pk]) + "?status=late_them")


def _table(campaign: Campaign) -> tuple[list[statistics.TableRow], statistics.TableRow]:
    return statistics.progress_table(board.rows(campaign, timezone.localdate()))


@login_required
@require_GET
def campaign_progress_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    townships, total = _table(campaign)
    data = progress_workbook(campaign, townships, total, today)
    name = f"{campaign.name}-{TITLE}-{today:%Y%m%d}.xlsx"
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def campaign_progress_pdf(request: HttpRequest, pk: int) -> FileResponse:
    campaign = _campaign(request, pk)
    today = timezone.localdate()
    townships, total = _table(campaign)
    data = progress_pdf(campaign, townships, total, today)
    name = f"{campaign.name}-{TITLE}-{today:%Y%m%d}.pdf"
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
