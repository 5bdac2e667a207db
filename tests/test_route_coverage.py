"""Every route of the application is refused to an account outside its scope — and a new route
cannot slip in unlisted: this test fails until its name is in one of the outsider-tested lists."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts import test_routes as account_routes
from tests.audit import test_anchoring
from tests.campaigns import test_structure_views as campaign_structure_routes
from tests.campaigns import test_views as campaign_routes
from tests.congress import test_routes as congress_routes
from tests.elections import test_views_meeting
from tests.organizations import test_every_route
from tests.reserve import test_routes as reserve_routes
from tests.supervision import test_compliance, test_report_routes
from tests.vetting import test_vetting

# Routes whose outsider refusal is asserted by a test that lists its pages inline.
INLINE = {
    # tests/elections/test_views_prepare.py::test_every_page_is_refused_outside_the_subtree
    "election_start",
    "election_submit_plan",
    "election_plan_edit",
    "election_request_preview",
    "election_request",
    "approval_decide",
    "election_nominations",
    "election_candidates",
    "election_submit_candidates",
    # tests/documents/test_views.py::test_an_outsider_sees_nothing
    "election_documents",
    "election_document",
    "election_document_item",
    "document_templates",
    "document_template_edit",
    # tests/elections/test_notices.py and tests/elections/test_views_prepare.py
    "election_list",
    "election_detail",
    "election_notices",
    # tests/elections/test_by_election_views.py::test_an_outsider_cannot_start_a_by_election
    "by_election_start",
    # tests/venue/test_venue_round_trip.py::…test_the_import_page_merges_for_the_organizer_and_refuses_outsiders
    "venue_import",
    # tests/venue/test_venue_parts.py::test_the_package_page_downloads_for_the_organizer_only
    "venue_package",
}
OWN_DATA_ONLY = {"notice_list", "login", "logout", "password_change", "password_change_done"}


def _names(patterns: list[URLPattern | URLResolver], module: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            name = getattr(pattern.urlconf_name, "__name__", "")
            if name.startswith("xuanju."):
                yield from _names(pattern.url_patterns, name)
        elif pattern.name and module:
            yield module, pattern.name


def test_every_route_is_in_an_outsider_test():
    listed = (
        set(test_every_route.ROUTES)
        | test_every_route.OWN_DATA_ONLY
        | set(test_every_route.COUNTING_ROUTES)
        | set(test_views_meeting.ROUTES)
        | set(test_report_routes.PROTECTED)
        | test_report_routes.PUBLIC
        | set(test_compliance.ROUTES)
        | set(test_vetting.ROUTES)
        | set(reserve_routes.ROUTES)
        | set(congress_routes.ROUTES)
        | set(campaign_routes.ROUTES)
        | set(test_anchoring.ROUTES)
        | set(account_routes.ROUTES)
        | set(campaign_structure_routes.ROUTES)
        | account_routes.OWN_DATA_ONLY
        | INLINE
        | OWN_DATA_ONLY
    )
    unlisted = sorted(
        f"{module}:{name}" for module, name in _names(get_resolver().url_patterns) if name not in listed
    )
    assert not unlisted, f"routes without an outsider test: {unlisted}"
