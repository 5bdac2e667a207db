"""Rate limits of the anonymous routes per address window, without keeping the address (R-SUP-1,
R-SUP-2), and request body limits per route (forms small, uploads as large as their route allows)."""

from __future__ import annotations

import time

import pytest
from django.core import serializers
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories as f
from xuanju.hosting import hosting
from xuanju.limits import body
from xuanju.limits.models import WindowCount
from xuanju.limits.rate import count_request, limit_of
from xuanju.supervision.models import Report

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


@pytest.fixture
def village():
    return f.county_tree().village


def _report(client: Client, org, address: str = ADDRESS, **extra: str):
    return client.post(
        f"{reverse('report_new')}?org={org.pk}",
        {"category": "vote_buying", "content": "选举前有人挨家送红包", "identity": "anonymous"},
        REMOTE_ADDR=address,
        **extra,
    )


@pytest.mark.rule("R-SUP-2")
def test_the_anonymous_report_form_is_limited_per_address_and_others_are_not_affected(village):
    limit, length = limit_of("report_new")
    assert (limit, length) == (5, 600)
    client = Client()
    for _ in range(limit):
        assert _report(client, village).status_code == 200
    refused = _report(client, village)
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode() and refused["Retry-After"] == "600"
    assert Report.objects.count() == limit  # the refused report was not filed
    assert client.get(f"{reverse('report_new')}?org={village.pk}").status_code == 200  # reading is free
    assert _report(Client(), village, address="198.51.100.1").status_code == 200


@pytest.mark.rule("R-SUP-1")
def test_R_SUP_1_the_counts_keep_no_address_and_end_with_their_window(village):
    for _ in range(3):
        _report(Client(), village)
    rows = serializers.serialize("json", WindowCount.objects.all())
    assert ADDRESS not in rows and "203.0.113" not in rows
    assert WindowCount.objects.get().count == 3
    # The next window: the same address gets an unrelated key and the old count is gone.
    later = time.time() + 600
    assert count_request("report_new", ADDRESS, now=later) == 1
    assert WindowCount.objects.count() == 1
    assert "203.0.113" not in serializers.serialize("json", WindowCount.objects.all())


def test_the_follow_up_lookup_is_limited_per_address():
    limit, _length = limit_of("report_follow_up")
    client = Client()
    for _ in range(limit):
        response = client.post(reverse("report_follow_up"), {"code": "ABCD-EFGH-JKLM"}, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200
    response = client.post(reverse("report_follow_up"), {"code": "ABCD-EFGH-JKLM"}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429


def test_behind_the_proxy_the_forwarded_address_is_counted(village):
    proxied = hosting({"XUANJU_PROXY": "1"})
    with override_settings(HOSTING=proxied):
        for n in range(6):
            # every request comes from the proxy's own address; the clients differ
            assert (
                _report(Client(), village, "10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                == 200
            )
    # without XUANJU_PROXY the header is not believed: all six would be one address
    for _ in range(5):
        _report(Client(), village, "10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert _report(Client(), village, "10.0.0.3", HTTP_X_FORWARDED_FOR="198.51.100.100").status_code == 429


def _post_of(size: int, url: str, client: Client | None = None):
    return (client or Client()).generic(
        "POST", url, b"x" * size, content_type="application/x-www-form-urlencoded"
    )


def test_a_form_body_over_its_limit_is_refused_with_413_before_it_is_read(village):
    response = _post_of(body.FORM_BYTES + 1, reverse("login"))
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert _post_of(body.FORM_BYTES + 1, f"{reverse('report_new')}?org={village.pk}").status_code == 413
    assert _post_of(1000, reverse("login")).status_code == 200  # small: on to the login form as usual


def test_an_upload_route_takes_a_larger_body_up_to_its_own_limit(village):
    secretary = f.client_for(f.account("sec", village, "secretary"))
    url = reverse("roster_import", args=[village.pk])
    # 5 MB is over the form limit but within the roster's: the view answers (its form reports the
    # missing file), the middleware does not refuse it.
    response = _post_of(5 * 1024 * 1024, url, secretary)
    assert response.status_code != 413
    assert _post_of(body.UPLOAD_BYTES["roster_import"] + 1, url, secretary).status_code == 413
    assert body.UPLOAD_BYTES["scan_round"] > body.UPLOAD_BYTES["roster_import"] > body.FORM_BYTES
