"""The web shell as a whole: its stylesheet is found, and it speaks Chinese to every browser."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests import factories as f


def test_the_stylesheet_is_collected():
    assert finders.find("xuanju/site.css") is not None


@pytest.mark.django_db
def test_pages_are_chinese_whatever_the_browser_asks_for():
    tree = f.county_tree()
    f.committee(tree.village, f.date(2024, 2, 24))
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(f.account("town", tree.town, "org_department"))
    page = client.get(f"/organizations/{tree.village.pk}/").content.decode()
    assert "2024年2月24日" in page and "Feb." not in page
