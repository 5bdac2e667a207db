"""Every route of the congress: refused to outsiders, shown to the organizers; who reads what.

A new route must be added to ROUTES (the completeness test fails otherwise). The integrator adds
ROUTES to tests/test_route_coverage.py.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from tests import factories as f
from tests.congress.world import TODAY, approve_plan, county_congress, elect_delegates
from tests.worlds import built_once, kept_for_the_class
from xuanju.congress import actions, urls
from xuanju.congress.models import Delegate, DelegateStatus, UnitElection

pytestmark = pytest.mark.django_db

# route name -> which object its argument is
ROUTES = {
    "congress_propose": "election",
    "congress_detail": "congress",
    "congress_edit": "congress",
    "congress_unit_define": "congress",
    "congress_allocate": "congress",
    "congress_allocation": "congress",
    "congress_allocation_export": "congress",
    "congress_adjust": "congress",
    "congress_start_units": "congress",
    "congress_composition": "congress",
    "congress_credentials_group": "congress",
    "congress_credentials": "congress",
    "congress_report": "congress",
    "congress_report_export": "congress",
    "congress_delegates": "congress",
    "congress_opening": "congress",
    "congress_preparatory": "congress",
    "congress_presidium": "congress",
    "congress_delegation": "congress",
    "congress_unit": "unit",
    "congress_unit_reelect": "unit",
    "congress_unit_by_election": "unit",
    "congress_delegate_review": "delegate",
}


def test_every_congress_route_is_listed_here():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(ROUTES)


@built_once
def world():
    return build_world()


def build_world():
    world = county_congress(total=10)
    approve_plan(world)
    actions.start_unit_elections("county", world.congress, TODAY)
    school = UnitElection.objects.get(unit__name__contains="第一中学")
    elect_delegates(school, world.school_people[:5], 4)
    actions.name_credentials_group("county", world.congress, [("李审", "leader", "")])
    delegate = Delegate.objects.filter(unit=school.unit).first()
    actions.review_delegate("county", delegate, DelegateStatus.FORMAL)
    actions.record_preparatory_meeting("county", world.congress, TODAY, "议程", True)
    objects = {
        "election": world.election,
        "congress": world.congress,
        "unit": school.unit,
        "delegate": delegate,
    }
    return world, objects


def _url(objects, name):
    return reverse(name, args=[objects[ROUTES[name]].pk])


class TestEveryCongressRoute:
    """These checks only read the congress: it is built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def world(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_world()

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_an_outsider_is_refused_everywhere(self, world, name):
        _w, objects = world
        other = f.org(None, "中共邻县委员会", "party_committee")
        outsider = f.account("neighbour", other, "org_department")
        url = _url(objects, name)
        client = Client()
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {}).status_code in (403, 405), url
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405) and (
            anonymous.status_code == 405 or "/login/" in anonymous.url
        )


def test_the_organizers_see_every_page(world):
    w, objects = world
    client = f.client_for(f.account("countyorg", w.tree.county, "secretary"))
    for name in ROUTES:
        if name == "congress_allocate":
            continue
        response = client.get(_url(objects, name))
        assert response.status_code in (200, 302), name
    assert "代表名额分配表" in client.get(_url(objects, "congress_allocation")).content.decode()


def test_who_reads_what(world):
    w, objects = world
    unit_secretary = f.client_for(f.account("schoolsec", w.tree.school, "secretary"))
    member = f.client_for(f.account("villager", w.tree.village, "member"))
    congress = objects["congress"]
    detail = reverse("congress_detail", args=[congress.pk])
    assert unit_secretary.get(detail).status_code == 200
    assert unit_secretary.get(reverse("congress_unit", args=[objects["unit"].pk])).status_code == 200
    town_unit = congress.units.get(name__contains="东乡镇")
    assert unit_secretary.get(reverse("congress_unit", args=[town_unit.pk])).status_code == 403
    assert unit_secretary.get(reverse("congress_credentials", args=[congress.pk])).status_code == 403
    assert unit_secretary.post(reverse("congress_allocate", args=[congress.pk])).status_code == 403
    # members read the formal delegates only
    page = member.get(reverse("congress_delegates", args=[congress.pk]))
    assert page.status_code == 200 and objects["delegate"].member.name in page.content.decode()
    assert member.get(detail).status_code == 403
    assert member.get(reverse("congress_composition", args=[congress.pk])).status_code == 403
