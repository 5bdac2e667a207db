"""What every page shares: Chinese dates, people by name, committees in official order."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests import factories as f
from xuanju.organizations import actions
from xuanju.organizations.actions import SeatInput


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_dates_render_in_chinese_style():
    assert render("{{ d|cn_date }}", d=date(2021, 9, 8)) == "2021年9月8日"
    moment = datetime(2021, 9, 8, 6, 5, tzinfo=ZoneInfo("UTC"))  # 14:05 in Beijing
    assert render("{{ d|cn_date }}", d=moment) == "2021年9月8日 14:05"
    assert render("{{ d|cn_date }}", d=None) == ""


def test_a_rule_code_in_a_message_becomes_a_chinese_citation_with_the_code_as_title():
    html = render("{{ m|hide_rule_codes }}", m="王芳是预备党员，没有被选举权（R-VOTE-2）<b>")
    assert "R-VOTE-2）" not in html.replace('title="R-VOTE-2"', "")
    assert (
        '<span class="rule-ref" title="R-VOTE-2">（《中国共产党基层组织选举工作条例》第五条）</span>' in html
    )
    assert "&lt;b&gt;" in html  # the text itself is escaped


@pytest.mark.django_db
def test_the_person_is_shown_by_name_not_login():
    tree = f.county_tree()
    user = f.account("town_zhang", tree.town, "org_department")
    user.display_name = "张组织"
    user.save()
    assert render("{{ who|who }}", who="town_zhang") == "张组织"
    assert render("{{ who|who }}", who="someone_gone") == "someone_gone"


@pytest.mark.django_db
def test_the_committee_is_listed_secretary_deputy_then_members_in_stroke_order():
    tree = f.county_tree()
    people = {name: f.member(tree.village, name) for name in ("王芳", "丁一", "李强", "马兰", "张伟")}
    seats = [
        SeatInput(people["王芳"], "member"),
        SeatInput(people["李强"], "deputy_secretary"),
        SeatInput(people["马兰"], "organization"),
        SeatInput(people["张伟"], "secretary"),
        SeatInput(people["丁一"], "member"),
    ]
    actions.record_committee("t", tree.village, date(2021, 9, 8), seats)
    client = Client()
    client.force_login(f.account("village", tree.village, "secretary"))
    page = client.get(reverse("organization_detail", args=[tree.village.pk])).content.decode()
    positions = [page.index(f">{name}</a></td>") for name in ("张伟", "李强", "丁一", "马兰", "王芳")]
    assert positions == sorted(positions)  # 丁(2) 马(3) 王(4) by strokes after 书记 and 副书记
    assert "2021-09-08" not in page


def test_the_site_has_a_favicon():
    page = render("{% extends 'base.html' %}")
    assert 'rel="icon"' in page and "favicon.svg" in page
