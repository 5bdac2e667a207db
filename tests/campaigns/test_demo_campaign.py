"""The demo campaign: the town of 城关镇 re-elects its villages together, and its board shows each
village at its own step — on first start, before anyone clicks."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import client_for
from xuanju.accounts.models import User
from xuanju.audit.trail import verify_chain
from xuanju.campaigns import board
from xuanju.campaigns.models import Campaign
from xuanju.campaigns.progress import RowStatus, State, StepKey
from xuanju.campaigns.statistics import progress_table
from xuanju.campaigns.structure import TEAM_POSTS, campaign_structure
from xuanju.demo.campaign import load_demo_campaign
from xuanju.demo.county import load_demo
from xuanju.demo.election import BRANCH, load_demo_election
from xuanju.elections.models import Approval, Elected, Election, ElectionStatus, Meeting
from xuanju.organizations.models import Committee

pytestmark = pytest.mark.django_db
INDEX = {key: number for number, key in enumerate(StepKey)}


def test_the_demo_campaign_shows_villages_at_different_steps():
    today = timezone.localdate()
    load_demo(today)
    load_demo_election(today)
    demo = load_demo_campaign(today)
    campaign = Campaign.objects.get(pk=demo.campaign_id)
    rows = {row.organization: row for row in board.rows(campaign, today)}
    # Every village organization of the town, none elsewhere.
    assert demo.organizations == len(rows) == 9
    assert all("城关镇" in name for name in rows)
    assert demo.linked == 1 and demo.started == 8  # 东关村's election was under way already

    dongguan = rows[BRANCH]
    assert dongguan.cells[INDEX[StepKey.MEETING]].state is State.DONE
    assert dongguan.status is RowStatus.ON_TRACK

    xiguan = rows["中共城关镇西关村支部委员会"]
    assert xiguan.status is RowStatus.LATE_THEM and xiguan.blocker.step.key is StepKey.PLAN_REQUEST

    nanjie = rows["中共城关镇南街村支部委员会"]
    assert nanjie.status is RowStatus.LATE_US and nanjie.blocker.step.key is StepKey.PLAN_REPLY
    assert nanjie.late_days == 16 - 7  # requested 16 days ago, 7 days to reply

    hekou = rows["中共城关镇河口村支部委员会"]
    assert hekou.status is RowStatus.LATE_THEM
    assert hekou.cells[INDEX[StepKey.PLAN_REQUEST]].note == "退回修改"

    # 新华村总支 and 新华村第三支部 held their meetings today: results approved, committees seated.
    for name in ("中共城关镇新华村总支部委员会", "中共城关镇新华村第三支部委员会"):
        assert rows[name].status is RowStatus.COMPLETED
        election = Election.objects.get(organization__name=name, campaign_entries__campaign=campaign)
        assert election.status == ElectionStatus.COMPLETED
        seated = Committee.objects.get(organization__name=name, is_current=True)
        assert seated.elected_on == today
        elected = Elected.objects.filter(contest__election=election, contest__post__in=TEAM_POSTS)
        assert set(seated.seats.values_list("member_id", flat=True)) == set(
            elected.values_list("member_id", flat=True)
        )
    # 北街村 has sent its candidates up: the town's reply is owed.
    beijie = rows["中共城关镇北街村支部委员会"]
    assert beijie.cells[INDEX[StepKey.CANDIDATES_REQUEST]].state is State.DONE
    assert beijie.status is RowStatus.ON_TRACK and beijie.done == 3
    assert verify_chain()[1] is None

    # The progress table of the demo: one township, its total from the records themselves.
    townships, total = progress_table(list(rows.values()))
    assert [t.label for t in townships] == ["城关镇"] and townships[0].counts == total.counts
    plans = Approval.objects.filter(election__campaign_entries__campaign=campaign, kind=Approval.Kind.PLAN)
    sent = plans.exclude(decision="returned").values("election").distinct().count()
    replied = plans.filter(decision="approved").values("election").distinct().count()
    meetings = Meeting.objects.filter(election__campaign_entries__campaign=campaign, kind="members").count()
    assert total.counts[:4] == (9, 9, sent, replied) == (9, 9, 6, 4)
    assert total.counts[6] == meetings == 3

    # The structure of the new teams: the two elected teams, everyone elected counted once.
    structure = campaign_structure(campaign)
    people = (
        Elected.objects.filter(
            contest__election__campaign_entries__campaign=campaign, contest__post__in=TEAM_POSTS
        )
        .values("member_id")
        .distinct()
        .count()
    )
    assert (structure.elected.teams, structure.elected.people) == (2, people)
    assert structure.slates.teams == 2  # 东关村's and 北街村's open slates

    town = client_for(User.objects.get(username="town_org"))
    page = town.get(reverse("campaign_board", args=[campaign.pk])).content.decode()
    assert "等待我方批复" in page and "等待该组织" in page and "退回修改" in page
    assert "集中换届" in town.get(reverse("campaign_list")).content.decode()
