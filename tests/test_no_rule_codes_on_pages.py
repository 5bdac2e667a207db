"""No rule code (R-…) in the text users read: pages cite the Regulations in Chinese, and keep the
code for developers only in a hover title.

The test walks the application as its users do — from the home page, following every link on the
pages it reaches (GET only, within the site) — for a village branch in the middle of its election,
as the branch's secretary and as the township's organization department, and fails on any page
whose visible text (not tags, attributes or comments) contains a rule code.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counting.world import open_round_world
from tests.worlds import built_once
from xuanju.organizations.models import Member

pytestmark = pytest.mark.django_db
RULE_CODE = re.compile(r"R-[A-Z]{2,}")
MAX_PAGES = 120
SKIP = ("/logout/", "/admin/", "/export", "/template/", ".pdf", ".docx", ".xlsx", "/download")


class VisibleText(HTMLParser):
    """Text nodes outside <script>, <style> and <textarea> (a form's own input is the user's), and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "textarea"):
            self.hidden += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Every page reached from ``start``: its visible lines holding a rule code."""
    found: dict[str, list[str]] = {}
    queue, seen = list(start), set(start)
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = VisibleText()
        parser.feed(response.content.decode())
        lines = [t.strip() for t in parser.text if RULE_CODE.search(t)]
        if lines:
            found[url] = lines
        for href in parser.links:
            link = urldefrag(href)[0]
            parsed = urlparse(link)
            if parsed.netloc or not link.startswith("/") or any(s in link for s in SKIP):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert pages > 10, "the walk reached too few pages to mean anything"
    return found


@built_once
def world():
    today = timezone.localdate()
    world = open_round_world(today)
    village = world.election.organization
    Member.objects.filter(pk=world.people[-1].pk).update(status="probationary", full_member_on=None)
    town = type(village).objects.get_parent(village)
    f.account("town_dept", town, "org_department")
    return world


@pytest.mark.parametrize("username", ["village", "town_dept"])
def test_no_page_shows_a_rule_code(world, username):
    client = Client()
    client.force_login(world.accounts["secretary"] if username == "village" else _user(username))
    start = [
        reverse("home"),
        reverse("election_detail", args=[world.election.pk]),
        reverse("member_detail", args=[world.people[-1].pk]),
    ]
    found = crawl(client, start)
    assert found == {}, "rule codes in visible text:\n" + "\n".join(
        f"{url}: {lines[:3]}" for url, lines in found.items()
    )


def _user(username: str):
    from xuanju.accounts.models import User

    return User.objects.get(username=username)


def test_the_code_stays_for_developers_in_the_title():
    from django.template import Context, Template

    html = Template('{% rule "R-VOTE-2" "（）" %}').render(Context())
    assert 'title="R-VOTE-2"' in html
    assert "《中国共产党基层组织选举工作条例》第五条" in html
