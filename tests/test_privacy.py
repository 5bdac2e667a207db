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
