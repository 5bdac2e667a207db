"""Demo of a re-election campaign (集中换届, issue 19): the town of 城关镇 re-elects its village
organizations together. Loaded after the county, its demo election (东关村, at the counting desk),
congress and the between-elections demo, through the campaign's and the elections' own actions:
the town arranges and starts the campaign, and the villages stand at different steps — one with its
request returned for changes, one waiting for the town's reply past its time, some not yet asking.

The actions date every request and reply today; so that the board shows a campaign a few weeks
under way, the demo then moves the requests' and replies' dates back to the days named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from xuanju.campaigns import actions as campaign_actions
from xuanju.campaigns.models import CampaignEntry
from xuanju.elections import actions
from xuanju.elections.models import Approval, Election
from xuanju.organizations.models import Organization

TOWN = "中共城关镇委员会"
TOWN_DEPARTMENT, SECRETARY = "town_org", "branch_sec"  # demo accounts (xuanju.demo.county.ACCOUNTS)
READINESS = "本届支部委员会已向党员大会报告工作，完成党员民主评议；换届工作方案已经支委会研究，报镇党委审批"

# Each village's step: (organization, days ago it requested, days ago the town replied, reply).
# None: the request or the reply has not happened.
STAGES: list[tuple[str, int | None, int | None, str | None]] = [
    ("中共城关镇西关村支部委员会", None, None, None),  # not yet asked: late with its request
    ("中共城关镇南街村支部委员会", 16, None, None),  # waiting for the town's reply, past its time
    ("中共城关镇北街村支部委员会", 20, 15, Approval.Decision.APPROVED),
    ("中共城关镇河口村支部委员会", 18, 15, Approval.Decision.RETURNED),  # returned for changes
    ("中共城关镇新华村总支部委员会", 15, 10, Approval.Decision.APPROVED),
    ("中共城关镇新华村第一支部委员会", 3, None, None),  # waiting for the town's reply, in time
    ("中共城关镇新华村第三支部委员会", 13, 8, Approval.Decision.APPROVED),
]


@dataclass(frozen=True)
class DemoCampaign:
    campaign_id: int
    name: str
    organizations: int
    started: int
    linked: int


def load_demo_campaign(today: date | None = None) -> DemoCampaign:
    """Arrange, start and advance the town's campaign over its villages. Call once, after the demo
    county and its election, on the same database and with the same ``today``."""
    today = today or timezone.localdate()
    town = Organization.objects.get(name=TOWN)
    campaign = campaign_actions.create_campaign(
        TOWN_DEPARTMENT,
        town,
        f"城关镇{today.year}年村党组织集中换届",
        campaign_actions.Selection(sectors=["village"]),
        secretary_heads_committee=True,
        requests_by=today - timedelta(days=14),
        candidates_by=today,
        meetings_from=today,
        meetings_until=today + timedelta(days=21),
        results_by=today + timedelta(days=30),
        reply_days=7,
        min_party_age=2,
        sanction_free_years=5,
        other="政治素质好，热心为群众服务，在群众中有较高威信",
        min_women=1,
        under_age=35,
        min_under_age=1,
        min_college_or_above=1,
        max_average_age=50,
    )
    outcome = campaign_actions.start_campaign(TOWN_DEPARTMENT, campaign)
    elections = dict(
        CampaignEntry.objects.filter(campaign=campaign, election__isnull=False).values_list(
            "organization__name", "election_id"
        )
    )
    for name, asked, replied, decision in STAGES:
        if asked is None:
            continue
        election = Election.objects.get(pk=elections[name])
        actions.edit_plan(
            SECRETARY,
            election,
            election.planned_on,
            election.committee_seats,
            election.deputy_seats,
            readiness=READINESS,
            composition=election.composition,
        )
        approval = actions.submit_plan(SECRETARY, election)
        if decision is not None:
            comments = (
                ""
                if decision == Approval.Decision.APPROVED
                else "请补充本届委员会任期内工作情况和换届准备情况"
            )
            actions.decide(
                TOWN_DEPARTMENT, approval, decision, f"城关党字〔{today.year}〕{20 + asked}号", comments
            )
        Approval.objects.filter(pk=approval.pk).update(
            submitted_on=today - timedelta(days=asked),
            decided_on=today - timedelta(days=replied) if replied is not None else None,
        )
    return DemoCampaign(
        campaign_id=campaign.pk,
        name=campaign.name,
        organizations=CampaignEntry.objects.filter(campaign=campaign).count(),
        started=outcome.started,
        linked=outcome.linked,
    )
