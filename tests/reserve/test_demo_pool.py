"""The demo reserve pools (xuanju.demo.pools), loaded with the demo election: people in the pools of
东关村, 城关镇 and the county, assessed and trained; the other pools empty, which the depth page shows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from tests.factories import client_for
from xuanju.accounts.models import User
from xuanju.demo.county import load_demo
from xuanju.demo.election import DemoElection, load_demo_election
from xuanju.demo.pools import BRANCH_POOL, COUNTY_POOL, EMPTY_TOWNSHIP, TOWN_POOL
from xuanju.organizations.models import Organization
from xuanju.reserve.models import ReservePerson, ReserveStatus, ReserveStatusChange
from xuanju.reserve.services import depth_rows
from xuanju.rules.voting import completed_years

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)  # as tests/counting/test_demo_election.py
POOLS = [BRANCH_POOL, TOWN_POOL, COUNTY_POOL]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> DemoElection:
    """The demo county, its election and its pools, loaded once for the module and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(TODAY)
        yield load_demo_election(TODAY)
        transaction.set_rollback(True)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_three_pools_hold_people_assessed_and_trained(demo):
    assert demo.pools == [name for name, _ in POOLS]
    assert ReservePerson.objects.count() == demo.pool_people
    for name, actor in POOLS:
        people = list(ReservePerson.objects.filter(organization__name=name).select_related("member"))
        assert 3 <= len(people) <= 6, name
        for person in people:
            assert person.put_forward_by == actor and person.reason
            assert person.member.organization.path.startswith(person.organization.path)
            assert person.put_forward_on < TODAY and completed_years(person.member.birth_date, TODAY) <= 45
            assert 1 <= person.assessments.count() <= 2 and person.trainings.count() == 1
            assert all(a.assessed_on >= person.put_forward_on for a in person.assessments.all())
    pooled = ReservePerson.objects.values_list("organization__name", flat=True)
    assert set(pooled) == {name for name, _ in POOLS}


def test_the_candidate_from_the_branch_pool_is_nominated_the_others_wait(demo):
    branch = ReservePerson.objects.filter(organization__name=BRANCH_POOL[0]).select_related("member")
    nominated = [p for p in branch if p.status == ReserveStatus.NOMINATED]
    assert [p.member.name for p in nominated] == demo.from_pool
    assert demo.from_pool[0] in demo.candidates
    assert all(p.status == ReserveStatus.IN_POOL for p in branch if p not in nominated)
    assert not {p.member.name for p in branch if p not in nominated} & set(demo.candidates)
    (change,) = ReserveStatusChange.objects.filter(person=nominated[0], to_status=ReserveStatus.NOMINATED)
    assert change.changed_by == "branch_sec"


def test_the_pool_pages_list_the_people_to_their_organizers_and_the_upper_level(demo):
    for (name, actor), readers in zip(
        POOLS,
        [("branch_sec", "town_org", "county_org"), ("town_org", "county_org"), ("county_org",)],
        strict=True,
    ):
        url = reverse("reserve_pool", args=[org(name).pk])
        people = ReservePerson.objects.filter(organization__name=name).values_list("member__name", flat=True)
        for username in readers:
            response = client_for(user(username)).get(url)
            assert response.status_code == 200, (name, username)
            page = response.content.decode()
            assert all(person in page for person in people), (name, username)
        assert actor == readers[0]
    branch = reverse("reserve_pool", args=[org(BRANCH_POOL[0]).pk])
    for username in ("member", "counter", "scrutineer", "inspector"):
        assert client_for(user(username)).get(branch).status_code == 403, username


def test_the_depth_pages_show_the_empty_pools(demo):
    township = org(EMPTY_TOWNSHIP)
    assert demo.empty_township == EMPTY_TOWNSHIP
    rows = list(depth_rows(township, TODAY))
    assert len(rows) > 5 and all(row.pool == 0 for row in rows)
    county_page = client_for(user("county_org")).get(reverse("reserve_depth", args=[township.pk]))
    assert county_page.status_code == 200
    page = county_page.content.decode()
    assert page.count("库中无人") >= len(rows) and EMPTY_TOWNSHIP in page
    town = org(TOWN_POOL[0])
    town_rows = {row.name: row.pool for row in depth_rows(town, TODAY)}
    assert town_rows[BRANCH_POOL[0]] >= 3 and town_rows[TOWN_POOL[0]] >= 3
    assert "中共城关镇西关村支部委员会" in town_rows and town_rows["中共城关镇西关村支部委员会"] == 0
    town_page = client_for(user("town_org")).get(reverse("reserve_depth", args=[town.pk]) + "?show=empty")
    assert town_page.status_code == 200
    assert "中共城关镇西关村支部委员会" in town_page.content.decode()
    assert BRANCH_POOL[0] not in town_page.content.decode()
    assert client_for(user("branch_sec")).get(reverse("reserve_depth", args=[town.pk])).status_code == 403
