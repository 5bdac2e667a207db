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
from tests.worlds import built_once, kept_for_the_class
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
    "tree_import": "org",
    "tree_preview": "org+token",
    "tree_template": "org",
    "seat_resign": "seat",
    "seat_remove": "seat",
    "committee_appoint": "committee",
    "committee_history": "org",
    "committee_history_export": "org",
}
OWN_DATA_ONLY = {"home", "organization_list", "monitor", "reminder_list", "tree_import_start"}


def organization_route_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        module = getattr(pattern, "urlconf_name", None)
        if getattr(module, "__name__", "").startswith("xuanju.organizations"):
            names.update(p.name for p in module.urlpatterns if isinstance(p, URLPattern))
    return names


def test_every_route_is_listed_here():
    assert organization_route_names() == set(ROUTES) | OWN_DATA_ONLY


@built_once
def village_objects():
    return build_village_objects()


def build_village_objects():
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
        "seat": committee.seats.first(),
    }
    outsider = f.account("school", tree.school_branch, "secretary")
    return objects, outsider


class TestEveryOrganizationRoute:
    """These checks only read the village: it is built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def village_objects(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_village_objects()

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_a_secretary_of_another_branch_is_refused_everywhere(self, village_objects, name):
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


# --- the counting desk (xuanju.counting) --------------------------------------------------

# route name -> its arguments, from the round's objects
COUNTING_ROUTES = {
    "counting_overview": "round",
    "sheet_notes": "round",
    "sheet_counts": "round",
    "counting_desk": "round+slot",
    "desk_conflict": "round+key",
    "desk_withdraw": "desk_entry",
    "count_board": "round",
    "count_board_data": "round",
    "count_report": "round",
    "print_ballots": "round",
    "scan_round": "round",
    "scan_progress": "round",
    "doubt_queue": "round",
    "sampling_audit": "round",
    "scan_page": "scan_page",
    "scan_page_image": "scan_page",
    "scan_page_void": "scan_page",
    "scan_page_rescan": "scan_page",
    "doubt_cutout": "doubt",
    "scan_sheet_review": "scan_page",
    "scan_sheet_overlay": "scan_page",
    "test_deck": "round",
    "print_test_deck": "round",
}


def counting_route_names() -> set[str]:
    from xuanju.counting import urls

    return {p.name for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name}


def test_every_counting_route_is_listed_here():
    assert counting_route_names() == set(COUNTING_ROUTES)


def build_counting_objects():
    from tests.counting.world import open_round_world
    from xuanju.counting import actions as counting_actions
    from xuanju.elections.models import CountingMethod

    # scanning, with the double-entry desk for the sheets the scanner cannot read (R-MEET-4)
    world = open_round_world(TODAY, method=CountingMethod.SCAN)
    keys = world.keys()
    counting_actions.enter_at_desk(world.accounts["counter1"], world.round, "12", 1, keys[:1], [], [])
    counting_actions.enter_at_desk(world.accounts["counter2"], world.round, "12", 2, [], keys[:1], [])
    from tests.counting.scans import print_round, scanned_sheet
    from xuanju.counting import scanning
    from xuanju.paper.synthetic import Drawn

    sheet = scanned_sheet(print_round(world.round), 3, {0: Drawn.CHECK})
    scanning.scan_upload("counter1", world.round, "scan.jpg", sheet)
    return world


class TestEveryCountingRoute:
    """These checks only read the round: it is built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def counting_objects(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_counting_objects()

    @pytest.mark.parametrize("name", sorted(COUNTING_ROUTES))
    def test_a_secretary_of_another_branch_is_refused_at_every_counting_route(self, counting_objects, name):
        from xuanju.counting.models import DeskEntry, MarkDoubt, ScanPage

        world = counting_objects
        kind = COUNTING_ROUTES[name]
        args: list[object] = {
            "round": [world.round.pk],
            "round+slot": [world.round.pk, 1],
            "round+key": [world.round.pk, "12"],
            "desk_entry": [DeskEntry.objects.first().pk],
            "scan_page": [ScanPage.objects.get().pk],
            "doubt": [MarkDoubt.objects.get().pk],
        }[kind]
        url = reverse(name, args=args)
        client = Client()
        client.force_login(world.accounts["outsider"])
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"reading": "o.....", "count": "1", "key": "1"}).status_code in (403, 405), (
            url
        )
        assert DeskEntry.objects.count() == 2 and MarkDoubt.objects.get().decision == ""
        assert ScanPage.objects.get().status == ScanPage.Status.REVIEW
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405) and (
            anonymous.status_code == 405 or "/login/" in anonymous.url
        )
