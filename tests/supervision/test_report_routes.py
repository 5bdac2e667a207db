"""Every route of reports and voiding, for an account outside the upper level: refused or "not
found", and the public pages show nothing of any report (R-SUP-2, R-SUP-3).

A new route in urls_reports must be added here (the completeness test fails otherwise).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.worlds import kept_for_the_class
from xuanju.elections import actions as election_actions
from xuanju.supervision import actions, urls_reports

pytestmark = pytest.mark.django_db

# route name -> its argument (None: no argument)
PROTECTED = {
    "report_list": None,
    "report_mine": None,
    "report_detail": "report",
    "report_accept": "report",
    "report_note": "report",
    "report_conclude": "report",
    "election_void": "election",
}
PUBLIC = {"report_new", "report_follow_up"}


def test_every_report_route_is_listed_here():
    assert {p.name for p in urls_reports.urlpatterns} == set(PROTECTED) | PUBLIC


@pytest.fixture
def objects():
    return build_objects()


def build_objects():
    tree = f.county_tree()
    election = election_actions.start_election("v", tree.village, timezone.localdate(), 0, 0, readiness="x")
    reporter = f.account("reporter_v", tree.village, "member")
    report, _ = actions.file_report(
        reporter, tree.village, election, "canvassing", "秘密内容甲", anonymous=False
    )
    outsiders = [
        f.account("school_secretary", tree.school_branch, "secretary"),
        f.account("school_inspector", tree.school, "inspector"),
        f.account("village_inspector", tree.village, "inspector"),
        f.account("village_department", tree.village, "org_department"),
    ]
    return {"report": report, "election": election}, outsiders


class TestEveryReportRoute:
    """These checks only read the reports: they are built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def objects(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_objects()

    @pytest.mark.parametrize("name", sorted(PROTECTED))
    def test_R_SUP_2_R_SUP_3_an_outsider_is_refused_on_every_route(self, objects, name):
        targets, outsiders = objects
        kind = PROTECTED[name]
        url = reverse(name, args=[targets[kind].pk] if kind else [])
        for outsider in outsiders:
            client = Client()
            client.force_login(outsider)
            for response in (client.get(url), client.post(url, {"text": "x", "reason": "x"})):
                if name == "report_mine" or (name == "report_list" and outsider.role == "inspector"):
                    assert response.status_code in (200, 405)
                    assert "秘密内容甲" not in response.content.decode()
                    assert targets["report"].reference not in response.content.decode()
                else:
                    assert response.status_code in (403, 404, 405), (url, outsider.username)
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405) and (
            anonymous.status_code == 405 or "/login/" in anonymous.url
        )


def test_R_SUP_2_the_public_pages_show_nothing_of_a_report(objects):
    targets, _ = objects
    client = Client()
    for response in (
        client.get(reverse("report_new")),
        client.get(reverse("report_new"), {"org": targets["election"].organization_id}),
        client.get(reverse("report_follow_up")),
        client.post(reverse("report_follow_up"), {"code": "0000-0000-0000-0000-0000"}),
    ):
        assert response.status_code == 200
        assert "秘密内容甲" not in response.content.decode()
