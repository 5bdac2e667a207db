"""Every change of a campaign, each one transaction with its audit record. Views authorize
(:mod:`xuanju.campaigns.access`) and call one action; a refused step raises ActionError with a
Chinese message.

- :func:`create_campaign` — the organization department sets the schedule, the shared conditions
  and structure targets (R-CAND-1), and the organizations beneath it (by kind, sector or by name).
- :func:`start_campaign` — each organization's re-election is planned through
  :func:`xuanju.elections.actions.start_election` (R-ORG-2/3/4 sizes, R-TERM-1 term) and inherits
  the conditions and targets through :mod:`xuanju.vetting.actions`; an organization with a
  re-election already under way is linked to it.
- :func:`remind_late` — one reminder (:func:`xuanju.organizations.actions.send_reminder`, R-TERM-3)
  to every organization late with a step of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xuanju.audit.trail import record, snapshot
from xuanju.campaigns import board
from xuanju.campaigns.models import Campaign, CampaignEntry
from xuanju.campaigns.progress import Side
from xuanju.display import cn_date
from xuanju.elections import actions as election_actions
from xuanju.elections.models import CLOSED_STATUSES, Election, ElectionKind
from xuanju.organizations import actions as organization_actions
from xuanju.organizations.models import Committee, Organization, Reminder
from xuanju.rules.organizations import Body, committee_size_range, required_body
from xuanju.rules.terms import Sector
from xuanju.shell import ActionError
from xuanju.shell import actor_name as _actor
from xuanju.vetting import actions as vetting_actions
from xuanju.vetting.actions import CONDITION_FIELDS, TARGET_FIELDS
from xuanju.vetting.services import CONDITIONS_OPEN

# A county's villages and communities together are a few hundred to two thousand organizations;
# the board and the statistics hold one campaign's rows in memory, so a campaign is bounded.
MAX_ORGANIZATIONS = 5000
SCHEDULE_FIELDS = ("requests_by", "candidates_by", "meetings_from", "meetings_until", "results_by")
SCHEDULE_LABELS = {
    "requests_by": "报送换届请示截止日期",
    "candidates_by": "报送候选人预备人选截止日期",
    "meetings_from": "召开选举大会开始日期",
    "meetings_until": "召开选举大会截止日期",
    "results_by": "报送选举结果截止日期",
}


@dataclass(frozen=True)
class Selection:
    """Which organizations beneath the department a campaign covers: those of the chosen kinds and
    sectors (empty: any), or — when ``organization_ids`` is given — exactly those."""

    kinds: Sequence[str] = ()
    sectors: Sequence[str] = ()
    organization_ids: Sequence[int] = ()


def beneath(owner: Organization) -> Any:
    """The active organizations strictly beneath ``owner``: those a campaign of its department may cover."""
    return Organization.objects.filter(path__startswith=owner.path, dissolved_on__isnull=True).exclude(
        pk=owner.pk
    )


def chosen_organizations(owner: Organization, selection: Selection) -> list[Organization]:
    scope = beneath(owner)
    if selection.organization_ids:
        ids = set(selection.organization_ids)
        chosen = list(scope.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise ActionError("选择的党组织中有不在本部门管辖范围内或已撤销的，请重新选择", "organizations")
    else:
        if selection.kinds:
            scope = scope.filter(kind__in=selection.kinds)
        if selection.sectors:
            scope = scope.filter(sector__in=selection.sectors)
        chosen = list(scope[: MAX_ORGANIZATIONS + 1])
    if not chosen:
        raise ActionError("没有符合条件的党组织，请调整类型、领域或直接选择党组织", "organizations")
    if len(chosen) > MAX_ORGANIZATIONS:
        raise ActionError(
            f"一次集中换届最多包括 {MAX_ORGANIZATIONS} 个党组织，请按乡镇或领域分批安排", "organizations"
        )
    return chosen


def townships_of(owner: Organization, organizations: Iterable[Organization]) -> dict[int, Organization]:
    """The township (乡镇、街道) each organization belongs to: its nearest ancestor (or itself) of the
    township sector at or below ``owner``; else the unit directly beneath ``owner`` that holds it.
    One query for all of them."""
    orgs = list(organizations)
    steplen = Organization.steplen
    paths = {org.path[: depth * steplen] for org in orgs for depth in range(owner.depth, org.depth + 1)}
    by_path = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    out = {}
    for org in orgs:
        chain = [by_path[org.path[: depth * steplen]] for depth in range(owner.depth, org.depth + 1)]
        towns = [o for o in chain if o.sector == Sector.TOWNSHIP.value]
        out[org.pk] = towns[-1] if towns else chain[1]
    return out


def check_schedule(values: dict[str, Any]) -> None:
    """The schedule's dates come in the order of the steps."""
    for name in SCHEDULE_FIELDS:
        if values.get(name) is None:
            raise ActionError(f"请填写{SCHEDULE_LABELS[name]}", name)
    for earlier, later in pairwise(SCHEDULE_FIELDS):
        if values[later] < values[earlier]:
            raise ActionError(
                f"{SCHEDULE_LABELS[later]}不能早于{SCHEDULE_LABELS[earlier]}（{cn_date(values[earlier])}）",
                later,
            )
    reply_days = values.get("reply_days", 10)
    if reply_days is None or not 1 <= reply_days <= 90:
        raise ActionError("上级批复时限应为 1 至 90 天", "reply_days")


def _check_settings(values: dict[str, Any]) -> None:
    low, high = values.get("min_age"), values.get("max_age")
    if low is not None and high is not None and high < low:
        raise ActionError("最高年龄不能低于最低年龄", "max_age")
    if (values.get("under_age") is None) != (values.get("min_under_age") is None):
        raise ActionError("年龄线和该年龄以下的人数须同时填写", "min_under_age")


@transaction.atomic
def create_campaign(
    actor: Any,
    owner: Organization,
    name: str,
    selection: Selection,
    *,
    secretary_heads_committee: bool = False,
    **values: Any,
) -> Campaign:
    """The organization department of ``owner`` arranges a campaign over organizations beneath it.

    ``values``: the schedule (SCHEDULE_FIELDS, ``reply_days``), the candidates' conditions
    (vetting's CONDITION_FIELDS) and the structure targets (TARGET_FIELDS), all shared by every
    election the campaign starts (R-CAND-1)."""
    name = name.strip()
    if not name:
        raise ActionError("请填写这次集中换届的名称", "name")
    unknown = set(values) - {*SCHEDULE_FIELDS, "reply_days", *CONDITION_FIELDS, *TARGET_FIELDS}
    if unknown:
        raise ActionError(f"无法识别的设置：{'、'.join(sorted(unknown))}")
    check_schedule(values)
    _check_settings(values)
    organizations = chosen_organizations(owner, selection)
    settings = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items() if v is not None}
    campaign = Campaign.objects.create(
        organization=owner,
        name=name,
        secretary_heads_committee=secretary_heads_committee,
        created_by=_actor(actor),
        **settings,
    )
    towns = townships_of(owner, organizations)
    CampaignEntry.objects.bulk_create(
        [CampaignEntry(campaign=campaign, organization=org, township=towns[org.pk]) for org in organizations],
        batch_size=500,
    )
    record(
        _actor(actor),
        "create_campaign",
        campaign,
        after=snapshot(campaign) | {"organizations": sorted(org.pk for org in organizations)},
        summary=f"安排集中换届“{campaign.name}”，共 {len(organizations)} 个党组织",
    )
    return campaign


# --- start -------------------------------------------------------------------------------------


def plan_sizes(org: Organization, current_seats: int | None) -> tuple[int, int]:
    """The committee seats and deputies a started election plans: the approved size (R-ORG-4), else
    the present committee's size kept within the ranges (R-ORG-2/3/4), else the smallest lawful
    size; one deputy where there are five seats or more. A branch under seven full members elects
    its secretary only (R-ORG-2). The organization edits the plan before it requests approval."""
    full = org.full_member_count if org.kind == "branch" else org.subtree_full_member_count
    if required_body(org.kind_enum, full) is not Body.COMMITTEE:
        return 0, 0
    sizes = committee_size_range(org.kind_enum, org.sector_enum, org.has_standing_committee)
    if org.approved_committee_size:
        seats = org.approved_committee_size
    elif current_seats:
        seats = min(max(current_seats, sizes.minimum), sizes.normal_max)
    else:
        seats = sizes.minimum
    return seats, 1 if seats >= 5 else 0


def composition_text(campaign: Campaign) -> str:
    """The campaign's structure targets in words, for each plan's 结构要求 (R-RPT-1, R-CAND-1)."""
    parts = []
    if campaign.min_women:
        parts.append(f"女性至少 {campaign.min_women} 名")
    if campaign.min_minorities:
        parts.append(f"少数民族至少 {campaign.min_minorities} 名")
    if campaign.max_average_age:
        parts.append(f"平均年龄不超过 {campaign.max_average_age} 岁")
    if campaign.under_age and campaign.min_under_age:
        parts.append(f"{campaign.under_age} 岁以下至少 {campaign.min_under_age} 名")
    if campaign.min_college_or_above:
        parts.append(f"大专以上学历至少 {campaign.min_college_or_above} 名")
    if campaign.min_front_line:
        parts.append(f"生产、工作一线至少 {campaign.min_front_line} 名")
    if campaign.min_new:
        parts.append(f"新进委员至少 {campaign.min_new} 名")
    if campaign.max_returning is not None:
        parts.append(f"连任委员至多 {campaign.max_returning} 名")
    if campaign.secretary_heads_committee:
        parts.append("提倡书记通过法定程序担任村（居）民委员会主任")
    return f"按照{campaign.name}的要求：" + "；".join(parts) + "。" if parts else ""


def _has_conditions(campaign: Campaign) -> bool:
    return any(getattr(campaign, name) not in (None, "", False, 0) for name in CONDITION_FIELDS)


def _has_targets(campaign: Campaign) -> bool:
    return any(getattr(campaign, name) is not None for name in TARGET_FIELDS)


def _inherit(actor: Any, campaign: Campaign, election: Election) -> None:
    """The election takes the campaign's conditions and targets while it may still (R-CAND-1)."""
    if election.status not in CONDITIONS_OPEN:
        return
    if _has_conditions(campaign):
        vetting_actions.set_conditions(
            actor, election, **{name: getattr(campaign, name) for name in CONDITION_FIELDS}
        )
    if _has_targets(campaign):
        vetting_actions.set_structure_targets(
            actor, election, **{name: getattr(campaign, name) for name in TARGET_FIELDS}
        )


@dataclass
class StartOutcome:
    started: int = 0
    linked: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (organization, why)


@transaction.atomic
def start_campaign(actor: Any, campaign: Campaign, entry_ids: Sequence[int] | None = None) -> StartOutcome:
    """Plan each organization's re-election with the campaign's settings (the meeting planned for
    the campaign's first meeting day). An organization whose re-election is already under way is
    linked to it; one the rules refuse keeps the reason on its entry and the others go on. Entries
    already holding an election are left alone, so starting again picks up the refused ones.
    ``entry_ids``: only these entries (the background worker starts a large campaign in batches,
    each its own transaction, so that no write waits long behind it)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    pending = CampaignEntry.objects.filter(campaign=campaign, election__isnull=True)
    if entry_ids is not None:
        pending = pending.filter(pk__in=entry_ids)
    entries = list(pending.select_related("organization"))
    org_ids = [entry.organization_id for entry in entries]
    open_elections = dict(
        Election.objects.filter(organization__in=org_ids, kind=ElectionKind.COMMITTEE)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("organization_id", "pk")
    )
    current_sizes = dict(
        Committee.objects.filter(organization__in=org_ids, is_current=True)
        .annotate(seat_count=Count("seats"))
        .values_list("organization_id", "seat_count")
    )
    outcome = StartOutcome()
    composition = composition_text(campaign)
    for entry in entries:
        org = entry.organization
        try:
            with transaction.atomic():
                if org.pk in open_elections:
                    election = Election.objects.get(pk=open_elections[org.pk])
                    outcome.linked += 1
                else:
                    seats, deputies = plan_sizes(org, current_sizes.get(org.pk))
                    election = election_actions.start_election(
                        actor,
                        org,
                        campaign.meetings_from,
                        seats,
                        deputies,
                        composition=composition,
                        minimum_party_age=campaign.min_party_age,
                    )
                    outcome.started += 1
                _inherit(actor, campaign, election)
        except ActionError as error:
            entry.start_problem = error.message[: CampaignEntry._meta.get_field("start_problem").max_length]
            outcome.refused.append((org.name, error.message))
        else:
            entry.election = election
            entry.start_problem = ""
        entry.save(update_fields=["election", "start_problem"])
    before = snapshot(campaign, ["started_at", "started_by"])
    if campaign.started_at is None:
        campaign.started_at = timezone.now()
        campaign.started_by = _actor(actor)
        campaign.save(update_fields=["started_at", "started_by"])
    record(
        _actor(actor),
        "start_campaign",
        campaign,
        before=before,
        after=snapshot(campaign, ["started_at", "started_by"])
        | {"started": outcome.started, "linked": outcome.linked, "refused": [n for n, _ in outcome.refused]},
        summary=f"启动集中换届“{campaign.name}”：发起 {outcome.started} 个，"
        f"接续已在进行的 {outcome.linked} 个，未能发起 {len(outcome.refused)} 个",
    )
    return outcome


# --- reminders ----------------------------------------------------------------------------------


@dataclass
class RemindOutcome:
    sent: int = 0
    already: int = 0  # reminded today already
    skipped: list[tuple[str, str]] = field(default_factory=list)


def reminder_text(campaign: Campaign, row: board.Row, today: date) -> str:
    assert row.blocker is not None
    cell = row.blocker.cell
    deadline = cn_date(cell.deadline) if cell.deadline else ""
    return (
        f"按照“{campaign.name}”的安排，你单位应于{deadline}前{row.blocker.step.label}，"
        f"现已逾期 {cell.days_late(today)} 天，请抓紧推进，按时完成。"
    )


def late_rows(campaign: Campaign, today: date) -> list[board.Row]:
    """The organizations of ``campaign`` late with a step of their own (a reply we owe needs no
    reminder: it is ours), in the board's order."""
    return [row for row in board.rows(campaign, today) if row.blocker and row.blocker.step.side is Side.THEM]


@transaction.atomic
def remind_late(
    actor: Any, campaign: Campaign, today: date, late: Sequence[board.Row] | None = None
) -> RemindOutcome:
    """Remind, in one go, every organization of ``campaign`` late with a step of its own, or only
    those of ``late`` (rows of :func:`late_rows`: the background worker reminds a long list in
    batches). An organization reminded by the department today is not reminded twice."""
    if late is None:
        late = late_rows(campaign, today)
    reminded_today = set(
        Reminder.objects.filter(
            sent_by=campaign.organization,
            organization__in=[row.organization_id for row in late],
            sent_at__date=today,
        ).values_list("organization_id", flat=True)
    )
    organizations = Organization.objects.in_bulk([row.organization_id for row in late])
    outcome = RemindOutcome()
    for row in late:
        if row.organization_id in reminded_today:
            outcome.already += 1
            continue
        try:
            with transaction.atomic():
                organization_actions.send_reminder(
                    actor,
                    campaign.organization,
                    organizations[row.organization_id],
                    reminder_text(campaign, row, today),
                )
        except ActionError as error:
            outcome.skipped.append((row.organization, error.message))
        else:
            outcome.sent += 1
    record(
        _actor(actor),
        "remind_campaign_late",
        campaign,
        after={"sent": outcome.sent, "already": outcome.already, "skipped": [n for n, _ in outcome.skipped]},
        summary=f"“{campaign.name}”：提醒逾期的党组织 {outcome.sent} 个",
    )
    return outcome
