"""Arranging, starting and reminding a campaign through its actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.campaigns.world import TODAY, build, county_campaign, schedule
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.campaigns import actions
from xuanju.campaigns.models import CampaignEntry
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Election, ElectionStatus
from xuanju.organizations.models import Reminder
from xuanju.shell import ActionError
from xuanju.vetting.models import ElectionConditions, StructureTargets

pytestmark = pytest.mark.django_db


@built_once
def world():
    return build()


def test_a_campaign_by_sector_takes_every_village_beneath_with_its_township(world):
    campaign = county_campaign(world)
    entries = {
        e.organization.name: e.township
        for e in CampaignEntry.objects.select_related("organization", "township")
    }
    assert entries == {
        world.villages["东村"].name: world.east,
        world.villages["南村"].name: world.east,
        world.villages["西一村"].name: world.west,
        world.villages["西二村"].name: world.west,
    }
    assert AuditRecord.objects.filter(action="create_campaign", object_id=str(campaign.pk)).exists()


def test_a_campaign_by_kind_and_sector_together(world):
    campaign = actions.create_campaign(
        world.accounts["county"],
        world.county,
        "乡镇党委换届",
        actions.Selection(kinds=["party_committee"], sectors=["township"]),
        **schedule(),
    )
    # A township is its own township on the board.
    assert {(e.organization, e.township) for e in campaign.entries.all()} == {
        (world.east, world.east),
        (world.west, world.west),
    }


def test_a_department_chooses_only_organizations_beneath_it(world):
    town = world.accounts["town"]
    with pytest.raises(ActionError) as refused:
        actions.create_campaign(
            town,
            world.east,
            "东乡镇换届",
            actions.Selection(organization_ids=[world.villages["东村"].pk, world.villages["西一村"].pk]),
            **schedule(),
        )
    assert refused.value.field == "organizations" and "管辖范围" in refused.value.message
    with pytest.raises(ActionError):  # its own organization is not beneath it
        actions.create_campaign(
            town, world.east, "东乡镇换届", actions.Selection(organization_ids=[world.east.pk]), **schedule()
        )
    campaign = actions.create_campaign(
        town,
        world.east,
        "东乡镇换届",
        actions.Selection(organization_ids=[world.villages["南村"].pk]),
        **schedule(),
    )
    assert [e.organization for e in campaign.entries.all()] == [world.villages["南村"]]


def test_the_schedule_must_follow_the_order_of_the_steps(world):
    with pytest.raises(ActionError) as refused:
        county_campaign(world, meetings_until=TODAY + timedelta(days=15))  # before meetings_from
    assert refused.value.field == "meetings_until" and "不能早于" in refused.value.message
    with pytest.raises(ActionError) as refused:
        county_campaign(world, under_age=35)  # without how many under it
    assert refused.value.field == "min_under_age"


def test_starting_plans_each_election_with_the_campaigns_settings(world):
    campaign = county_campaign(world, min_party_age=3, max_age=55, min_women=1, under_age=35, min_under_age=1)
    campaign.secretary_heads_committee = True
    campaign.save()
    outcome = actions.start_campaign(world.accounts["county"], campaign)
    assert (outcome.started, outcome.linked, outcome.refused) == (4, 0, [])
    elections = Election.objects.filter(campaign_entries__campaign=campaign)
    assert elections.count() == 4
    for election in elections:
        assert election.status == ElectionStatus.PLANNING and election.planned_on == campaign.meetings_from
        assert "女性至少 1 名" in election.composition and "村（居）民委员会主任" in election.composition
        conditions = ElectionConditions.objects.get(election=election)
        assert (conditions.min_party_age, conditions.max_age) == (3, 55)
        targets = StructureTargets.objects.get(election=election)
        assert (targets.min_women, targets.under_age, targets.min_under_age) == (1, 35, 1)
    # R-ORG-2: a branch of four full members elects its secretary only.
    small = elections.get(organization=world.villages["西二村"])
    assert (small.has_committee, small.committee_seats) == (False, 0)
    campaign.refresh_from_db()
    assert campaign.started and AuditRecord.objects.filter(action="start_campaign").count() == 1


def test_an_election_under_way_is_linked_and_a_refusal_is_kept_on_the_entry(world):
    under_way = election_actions.start_election("test", world.villages["南村"], TODAY, 3, 0)
    campaign = county_campaign(world)
    # 西二村 is dissolved after the campaign was arranged: starting its election is refused.
    west_two = world.villages["西二村"]
    west_two.dissolved_on = TODAY
    west_two.save()
    outcome = actions.start_campaign(world.accounts["county"], campaign)
    assert (outcome.started, outcome.linked) == (2, 1)
    assert [name for name, _ in outcome.refused] == [west_two.name]
    assert campaign.entries.get(organization=world.villages["南村"]).election == under_way
    refused = campaign.entries.get(organization=west_two)
    assert refused.election is None and "已撤销" in refused.start_problem
    # Starting again leaves the started ones alone.
    again = actions.start_campaign(world.accounts["county"], campaign)
    assert (again.started, again.linked, len(again.refused)) == (0, 0, 1)


def test_reminders_go_to_the_late_organizations_once_a_day(world):
    campaign = county_campaign(world)
    actions.start_campaign(world.accounts["county"], campaign)
    # 南村 has requested: it is waiting for us, not late itself.
    south = Election.objects.get(organization=world.villages["南村"])
    election_actions.edit_plan("test", south, south.planned_on, 3, 0, readiness="已完成述职")
    election_actions.submit_plan("test", south)
    outcome = actions.remind_late(world.accounts["county"], campaign, TODAY)
    # 东村 and 西一村 are reminded; 西二村 has no committee on record to remind about.
    assert outcome.sent == 2 and [name for name, _ in outcome.skipped] == [world.villages["西二村"].name]
    reminded = Reminder.objects.filter(sent_by=world.county)
    assert {r.organization for r in reminded} == {world.villages["东村"], world.villages["西一村"]}
    assert all("报送换届请示" in r.message and "逾期 2 天" in r.message for r in reminded)
    again = actions.remind_late(world.accounts["county"], campaign, TODAY)
    assert (again.sent, again.already) == (0, 2)
    assert reminded.count() == 2
