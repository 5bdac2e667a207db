"""Every route of the organizations app, for a user outside the object's subtree: refused.

A new route must be added to ROUTES (the completeness test fails otherwise), so no page can slip
out of the scope checks.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from tests import factories as f
from xuanju.organizations import actions
from xuanju.organizations.models import Committee, Restriction

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

# route name -> which object of the village its argument is (None: no argument, own data only)
ROUTES = {
    "organization_detail": "org",
    "organization_create": "org",
    "organization_edit": "org",
    "organization_move": "org",
    "organization_merge": "org",
    "organization_dissolve": "org",
    "member_list": "org",
    "member_create": "org",
    "committee_record": "org",
    "monitor_org": "org",
    "reminder_send": "org",
    "member_detail": "member",
    "member_edit": "member",
    "member_transfer": "member",
    "member_remove": "member",
    "restriction_end": "restriction",
    "adjustment_create": "committee",
    "committee_divisions": "committee",
    "adjustment_document": "adjustment",
    "reminder_read": "reminder",
    "roster_import": "org",
    "roster_preview": "org+token",
    "roster_export": "org",
    "roster_template": "org",
}
OWN_DATA_ONLY = {"home", "organization_list", "monitor", "reminder_list"}


def organization_route_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        module = getattr(pattern, "urlconf_name", None)
        if getattr(module, "__name__", "").startswith("xuanju.organizations"):
            names.update(p.name for p in module.urlpatterns if isinstance(p, URLPattern))
    return names


def test_every_route_is_listed_here():
    assert organization_route_names() == set(ROUTES) | OWN_DATA_ONLY


@pytest.fixture
def village_objects():
    tree = f.county_tree()
    member = f.member(tree.village)
    f.committee(tree.village, TODAY - timedelta(days=5 * 365 + 10))
    committee = Committee.objects.get(organization=tree.village, is_current=True)
    adjustment = actions.record_term_adjustment(
        "t", committee, "delay", committee.term_end + timedelta(days=90), TODAY, tree.town, "文号", "理由"
    )
    restriction = Restriction.objects.create(member=member, kind="detention", start=TODAY)
    reminder = actions.send_reminder("t", tree.town, tree.village, "请按期换届")
    objects = {
        "org": tree.village,
        "member": member,
        "committee": committee,
        "adjustment": adjustment,
        "restriction": restriction,
        "reminder": reminder,
    }
    outsider = f.account("school", tree.school_branch, "secretary")
    return objects, outsider


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_secretary_of_another_branch_is_refused_everywhere(village_objects, name):
    objects, outsider = village_objects
    kind = ROUTES[name]
    args = [objects["org"].pk, "0" * 32] if kind == "org+token" else [objects[kind].pk]
    url = reverse(name, args=args)
    client = Client()
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 405), url
    assert client.post(url, {}).status_code in (403, 405), url
    anonymous = Client().get(url)
    assert anonymous.status_code in (302, 405) and (
        anonymous.status_code == 405 or "/login/" in anonymous.url
    )


def test_the_own_data_pages_show_nothing_of_the_village(village_objects):
    objects, outsider = village_objects
    client = Client()
    client.force_login(outsider)
    for name in OWN_DATA_ONLY:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200
        assert objects["org"].name not in response.content.decode(), name
