"""Every account, first-run and inbox route, for an account outside its scope: refused or "not
found". A new route in xuanju/account_admin/urls.py must be added here (the completeness test fails)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counting.world import open_round_world
from tests.worlds import built_once
from xuanju.account_admin import urls
from xuanju.accounts.models import User
from xuanju.organizations.models import Organization

pytestmark = pytest.mark.django_db

# route name -> its argument (None: no argument); refused to anyone outside the manager's reach
ROUTES = {
    "account_list": None,
    "account_create": None,
    "account_detail": "account",
    "account_reset": "account",
    "account_active": "account",
    "account_bulk_secretaries": None,
    "account_bulk_members": "org",
    "meeting_accounts": "meeting",
}
# Each signed-in account sees only what waits for itself; the first-run page is gone once set up.
OWN_DATA_ONLY = {"inbox", "first_run"}
AUTH = {"login", "logout", "password_change", "password_change_done"}


def test_every_account_route_is_listed_here():
    assert {p.name for p in urls.urlpatterns} == set(ROUTES) | OWN_DATA_ONLY | AUTH


@built_once
def world():
    world = open_round_world(timezone.localdate(), issued=3)
    tree_village = world.election.organization
    town = Organization.objects.get(name="中共东乡镇委员会")
    county = Organization.objects.get(name="中共示范县委员会")
    target = f.account("town_secretary", town, "secretary")
    outsiders = [
        world.accounts["secretary"],  # the village's own secretary: no account management
        world.accounts["counter1"],
        world.accounts["member"],
        world.accounts["outsider"],  # another branch's secretary
        f.account("village_dept", tree_village, "org_department"),  # beneath the town
        f.account("school_dept", f.org(county, "中共另一镇委员会", "party_committee"), "org_department"),
        f.account("town_inspector", town, "inspector"),
    ]
    return {"account": target, "org": town, "meeting": world.meeting}, outsiders


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_an_outsider_is_refused_on_every_route(world, name):
    targets, outsiders = world
    kind = ROUTES[name]
    url = reverse(name, args=[targets[kind].pk] if kind else [])
    for outsider in outsiders:
        if name == "meeting_accounts" and outsider.username in ("village", "village_dept"):
            continue  # the meeting's organizers (its secretary, the department above) may issue them
        if kind is None and outsider.role == "org_department":
            continue  # their own subtree's pages: see test_a_department_beneath_sees_nothing_above
        client = Client()
        client.force_login(outsider)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (outsider.username, method, response.status_code)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_first_run_page_is_gone_once_an_organization_exists(world):
    client = Client()
    assert client.get(reverse("first_run")).status_code == 404
    assert client.post(reverse("first_run"), {"name": "x"}).status_code == 404


def test_the_inbox_needs_a_sign_in(world):
    response = Client().get(reverse("inbox"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_department_beneath_sees_nothing_above(world):
    targets, outsiders = world
    client = Client()
    client.force_login(next(o for o in outsiders if o.username == "village_dept"))
    listing = client.get(reverse("account_list"), {"q": "town"})
    assert listing.status_code == 200 and "town_secretary" not in listing.content.decode()
    town = targets["org"]
    page = client.get(reverse("account_create")).content.decode()
    assert town.name not in page
    client.post(
        reverse("account_create"),
        {"username": "sneak", "display_name": "某", "role": "org_department", "organization": town.pk},
    )
    client.post(reverse("account_bulk_secretaries"), {"top": town.pk, "username_prefix": "sj"})
    assert not User.objects.filter(username__startswith="sneak").exists()
    assert not User.objects.filter(username__startswith="sj").exists()
