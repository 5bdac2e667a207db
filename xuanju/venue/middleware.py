"""Venue mode serves the meeting and nothing else: the pages of the meeting (roll call, procedure,
scrutineers and counters, rounds, counting desk, scanning and adjudication, board, count report,
plenary), the election's page, its documents, signing in and the meeting's accounts. The rest of the
web application (organization tree, roster, candidate preparation, supervision, vetting, reserve,
congress, the admin) answers 403 with a Chinese message: what the package fixed (candidates, roll)
cannot be changed at the venue, and what belongs to the county stays at home.

Not used at all (MiddlewareNotUsed) on a data folder that is not a venue's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# Views by the module that defines them, and single views by URL name.
ALLOWED_MODULES = (
    "xuanju.elections.views_meeting",
    "xuanju.counting.",
    "xuanju.documents.",
    "django.contrib.auth.",
)
ALLOWED_NAMES = frozenset(
    {
        "inbox",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "election_list",
        "election_detail",
        "meeting_accounts",
        "account_detail",
        "account_reset",
        "account_active",
    }
)
REFUSED = "会场模式只用于本次会议：这个页面请在中心系统中使用"


def allowed(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 as anywhere else
    module = getattr(match.func, "__module__", "") or ""
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    return match.url_name in ALLOWED_NAMES or module.startswith(ALLOWED_MODULES)


class VenueOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        state = Path(settings.VENUE_DIR) / "state.json"
        if not state.is_file():
            raise MiddlewareNotUsed
        self.election_id = int(json.loads(state.read_text(encoding="utf-8"))["election_id"])
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.venue_mode = True  # type: ignore[attr-defined]  # templates hide the central-only steps
        if request.path_info == reverse("home"):  # the laptop holds one election: its page is home
            return redirect("election_detail", self.election_id)
        if allowed(request.path_info):
            return self.get_response(request)
        raise PermissionDenied(REFUSED)
