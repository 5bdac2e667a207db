"""The campaign pages: arranging one through the form, starting and reminding through the board,
the board's filters, sorting, paging and its queries, and every route refused to outsiders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from tests.campaigns.world import TODAY, build, county_campaign, schedule, village
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.campaigns import actions, tasks, urls
from xuanju.campaigns.models import Campaign
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Election
from xuanju.organizations.models import Reminder

pytestmark = pytest.mark.django_db

# Every route of the campaigns app: what its argument is (None: no argument).
ROUTES = {
    "campaign_list": None,
    "campaign_create": None,
    "campaign_board": "campaign",
    "campaign_start": "campaign",
    "campaign_remind": "campaign",
    "campaign_progress_xlsx": "campaign",
    "campaign_progress_pdf": "campaign",
}


def test_every_campaign_route_is_listed_here():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(ROUTES)


@built_once
def world():
    return build()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_route_is_refused_outside_the_campaign(world, name):
    campaign = county_campaign(world)
    url = reverse(name, args=[campaign.pk]) if ROUTES[name] else reverse(name)
    outsider = client_for(world.accounts["outsider"])  # a branch secretary
    assert outsider.get(url).status_code in (403, 405), url
    assert outsider.post(url, {"confirm": "1"}).status_code in (403, 405), url
    if ROUTES[name]:
        # The department of another township sees nothing of the county's campaign.
        other = client_for(world.accounts["other_town"])
        assert other.get(url).status_code in (403, 405), url
        assert other.post(url, {"confirm": "1"}).status_code in (403, 405), url
    assert not Election.objects.exists() and not Reminder.objects.exists()
    anonymous = Client().get(url)
    assert anonymous.status_code == 405 or "/login/" in anonymous.url


def test_the_inspector_reads_the_board_but_does_not_start_it(world):
    campaign = county_campaign(world)
    inspector = client_for(world.accounts["inspector"])
    page = inspector.get(reverse("campaign_board", args=[campaign.pk])).content.decode()
    assert "启动集中换届" not in page and world.villages["东村"].name in page
    assert inspector.post(reverse("campaign_start", args=[campaign.pk]), {"confirm": "1"}).status_code == 403


def test_a_department_arranges_and_starts_a_campaign_through_the_pages(world):
    town = client_for(world.accounts["town"])
    assert "集中换届" in town.get(reverse("campaign_list")).content.decode()  # the navigation too
    form = {
        "name": "东乡镇村党组织换届",
        **{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in schedule().items()},
        "min_party_age": 2,
        "sectors": ["village"],
        "min_women": 1,
    }
    bad = town.post(
        reverse("campaign_create"), {**form, "results_by": (TODAY - timedelta(days=5)).isoformat()}
    )
    assert bad.status_code == 200 and "不能早于" in bad.content.decode()
    response = town.post(reverse("campaign_create"), form)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaign_board", args=[campaign.pk])
    assert {e.organization for e in campaign.entries.all()} == {
        world.villages["东村"],
        world.villages["南村"],
    }
    ask = town.post(reverse("campaign_start", args=[campaign.pk]))
    assert "请确认" in ask.content.decode() and not Election.objects.exists()
    town.post(reverse("campaign_start", args=[campaign.pk]), {"confirm": "1"})
    assert Election.objects.filter(campaign_entries__campaign=campaign).count() == 2
    remind = town.post(reverse("campaign_remind", args=[campaign.pk]), follow=True)
    assert "已向 2 个逾期的党组织发出提醒" in remind.content.decode()


def test_a_department_may_choose_the_organizations_one_by_one(world):
    town = client_for(world.accounts["town"])
    form = {
        "name": "南村换届",
        **{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in schedule().items()},
        "min_party_age": 0,
        "organizations": [str(world.villages["南村"].pk)],
        "sectors": ["school"],  # ignored when organizations are chosen
    }
    assert town.post(reverse("campaign_create"), form).status_code == 302
    assert [e.organization for e in Campaign.objects.get().entries.all()] == [world.villages["南村"]]
    # An organization of another township is not even offered.
    form["organizations"] = [str(world.villages["西一村"].pk)]
    refused = town.post(reverse("campaign_create"), form)
    assert refused.status_code == 200 and "不在可用的选项中" in refused.content.decode()
    assert Campaign.objects.count() == 1


def test_a_large_campaign_is_started_by_the_worker(world, monkeypatch):
    monkeypatch.setattr(tasks, "START_IN_REQUEST", 3)  # the four villages are "many"
    monkeypatch.setattr(tasks, "BATCH", 3)  # started in two batches
    campaign = county_campaign(world)
    response = client_for(world.accounts["county"]).post(
        reverse("campaign_start", args=[campaign.pk]), {"confirm": "1"}, follow=True
    )
    assert "4 个党组织的换届已交由后台逐个发起" in response.content.decode()
    # The tests' task backend runs the task at once; the worker would run it the same way.
    assert Election.objects.filter(campaign_entries__campaign=campaign).count() == 4
    campaign.refresh_from_db()
    assert campaign.started_by == "county"
    assert AuditRecord.objects.filter(action="start_campaign").count() == 2  # one per batch


def test_R_TERM_3_many_late_organizations_are_reminded_by_the_worker(world, monkeypatch):
    monkeypatch.setattr(tasks, "REMIND_IN_REQUEST", 2)  # the three late villages are "many"
    monkeypatch.setattr(tasks, "REMIND_BATCH", 2)  # reminded in two batches
    campaign = county_campaign(world)
    actions.start_campaign(world.accounts["county"], campaign)
    south = Election.objects.get(organization=world.villages["南村"])
    election_actions.edit_plan("test", south, south.planned_on, 3, 0, readiness="已完成述职")
    election_actions.submit_plan("test", south)  # waiting for us: not reminded
    county = client_for(world.accounts["county"])
    url = reverse("campaign_remind", args=[campaign.pk])
    response = county.post(url, follow=True)
    assert "3 个逾期党组织的提醒已交由后台逐个发送" in response.content.decode()
    # The tests' task backend runs the task at once; the worker would run it the same way.
    reminded = Reminder.objects.filter(sent_by=world.county)
    assert {r.organization for r in reminded} == {world.villages["东村"], world.villages["西一村"]}
    assert {r.sender_name for r in reminded} == {"county"}
    batches = AuditRecord.objects.filter(action="remind_campaign_late").order_by("pk")
    assert batches.count() == 2  # one audit record per batch
    assert sum(b.after["sent"] for b in batches) == 2
    # 西二村 has no committee on record to remind about: named in the batch's record.
    assert [name for b in batches for name in b.after["skipped"]] == [world.villages["西二村"].name]
    # Asking again the same day reminds nobody twice.
    county.post(url)
    assert reminded.count() == 2


def test_the_board_filters_by_township_and_status_and_sorts(world):
    campaign = county_campaign(world)
    actions.start_campaign(world.accounts["county"], campaign)
    south = Election.objects.get(organization=world.villages["南村"])
    election_actions.edit_plan("test", south, south.planned_on, 3, 0, readiness="已完成述职")
    election_actions.submit_plan("test", south)
    county = client_for(world.accounts["county"])
    url = reverse("campaign_board", args=[campaign.pk])

    def shown(**params):
        page = county.get(url, params)
        return [row.organization for row in page.context["page_obj"]]

    names = {key: org.name for key, org in world.villages.items()}
    assert shown(township=world.west.pk) == [names["西一村"], names["西二村"]]
    assert shown(status="late_them") == [names["东村"], names["西一村"], names["西二村"]]
    assert shown(status="on_track") == [names["南村"]]
    assert shown(status="late_them", township=world.east.pk) == [names["东村"]]
    assert shown(sort="-progress")[0] == names["南村"]
    assert shown(sort="township")[:2] == [names["东村"], names["南村"]]
    page = county.get(url).content.decode()
    assert "等待该组织：报送换届请示，已逾期 2 天" in page


def test_the_board_pages_and_its_queries_do_not_grow_with_the_organizations(world):
    campaign = county_campaign(world)
    actions.start_campaign(world.accounts["county"], campaign)
    county = client_for(world.accounts["county"])
    url = reverse("campaign_board", args=[campaign.pk])
    county.get(url)  # the session and the account, once
    with CaptureQueriesContext(connection) as few:
        county.get(url)
    for number in range(55):
        village(world.east, f"中共东乡镇第{number:02d}村支部委员会", members=3, committee=False)
    bigger = actions.create_campaign(
        world.accounts["county"], world.county, "更多", actions.Selection(sectors=["village"]), **schedule()
    )
    actions.start_campaign(world.accounts["county"], bigger)
    big_url = reverse("campaign_board", args=[bigger.pk])
    with CaptureQueriesContext(connection) as many:
        response = county.get(big_url)
    assert len(many) == len(few)
    page = response.context["page_obj"]
    assert page.paginator.count == 59 and len(page.object_list) == 50
    assert len(county.get(big_url, {"page": 2}).context["page_obj"].object_list) == 9
