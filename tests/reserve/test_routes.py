"""Every route of the reserve talent pool, for a user outside the object's subtree: refused.

A new route must be added to ROUTES (the completeness test fails otherwise). The integrator copies
ROUTES into tests/organizations/test_every_route.py.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from tests.worlds import kept_for_the_class
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Contest, Post
from xuanju.reserve import urls
from xuanju.reserve.models import ReservePerson

from .conftest import TODAY, build_world

pytestmark = pytest.mark.django_db

# route name -> which object of the village its argument is
ROUTES = {
    "reserve_pool": "org",
    "reserve_put_forward": "org",
    "reserve_search": "org",
    "reserve_depth": "org",
    "reserve_depth_export": "org",
    "reserve_person": "person",
    "reserve_assess": "person",
    "reserve_training": "person",
    "reserve_status": "person",
    "reserve_nominate": "contest",
}


def test_every_reserve_route_is_listed_here():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(ROUTES)


@pytest.fixture
def objects(world):
    return build_objects(world)


def build_objects(world):
    from datetime import timedelta

    election = election_actions.start_election(
        "village", world.tree.village, TODAY + timedelta(days=30), 5, 1
    )
    contest = Contest.objects.get(election=election, post=Post.COMMITTEE_MEMBER)
    return {"org": world.tree.village, "person": world.person, "contest": contest}


class TestEveryReserveRoute:
    """These checks only read the pool: it is built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def built(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            world = build_world()
            yield world, build_objects(world)

    @pytest.fixture
    def world(self, built):
        return built[0]

    @pytest.fixture
    def objects(self, built):
        return built[1]

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_a_secretary_of_another_branch_is_refused_at_every_reserve_route(self, world, objects, name):
        url = reverse(name, args=[objects[ROUTES[name]].pk])
        client = Client()
        client.force_login(world.users["outsider"])
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"person": world.person.pk, "count": 1}).status_code in (403, 405), url
        assert ReservePerson.objects.get().status == "in_pool"
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405) and (
            anonymous.status_code == 405 or "/login/" in anonymous.url
        )
