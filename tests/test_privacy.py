"""R-SUP-1: nothing the system records may re-link a voter to a ballot — no login times or addresses."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client
from django.urls import reverse

from tests import factories as f
from xuanju.server import server_options


@pytest.mark.django_db
def test_R_SUP_1_a_successful_login_leaves_no_address_or_time_behind():
    tree = f.county_tree()
    f.account("village", tree.village, "secretary")
    response = Client().post(reverse("login"), {"username": "village", "password": f.PASSWORD})
    assert response.status_code == 302
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0


def test_R_SUP_1_the_server_keeps_no_request_log():
    options = server_options("127.0.0.1", 8000, 2)
    assert options["accesslog"] is None


def test_R_SUP_1_a_ballot_row_carries_no_time_and_an_unnumbered_sheet_no_number():
    """A ballot entry holds marks and how it was counted, no time of any kind; on unnumbered sheets
    (the default) not even the serial that says in which order sheets left the stack."""
    from django.db import models

    from xuanju.elections.models import BallotEntry, Meeting, Round
    from xuanju.paper.sheet_id import SheetId, parse_sheet_id

    timed = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
    assert not [f.name for f in BallotEntry._meta.get_fields() if isinstance(f, timed)]
    assert Meeting._meta.get_field("numbered_sheets").get_default() is False
    assert Round._meta.get_field("numbered_sheets").get_default() is False
    payload = SheetId("17", "42", None, "3fa2b9c0").payload()
    assert payload == "XJ1/17/42/3fa2b9c0"
    assert parse_sheet_id(payload) == SheetId("17", "42", None, "3fa2b9c0")
