"""The by-election and between-elections pages: who may use them, and what they show."""

from __future__ import annotations

from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.worlds import built_once
from xuanju.elections.models import Election, ElectionKind
from xuanju.organizations import actions as org_actions
from xuanju.organizations.models import CommitteeSeat, Vacancy

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@built_once
def village():
    tree = f.county_tree()
    people = [f.member(tree.village, name) for name in f.VILLAGE_NAMES[:9]]
    committee = f.committee_of(tree.village, people[:3], TODAY - timedelta(days=400))
    org_actions.transfer_member("t", people[1], tree.school_branch, TODAY - timedelta(days=120))
    return tree, people, committee


def test_an_outsider_cannot_start_a_by_election(village):
    tree, _, _ = village
    url = reverse("by_election_start", args=[tree.village.pk])
    client = Client()
    client.force_login(f.account("school", tree.school_branch, "secretary"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"planned_on": TODAY.isoformat(), "readiness": "x"}).status_code == 403
    assert "/login/" in Client().get(url).url
    assert not Election.objects.exists()


def test_the_secretary_starts_the_by_election_of_the_vacancy(village):
    tree, _, _ = village
    client = f.client_for(f.account("sec", tree.village, "secretary"))
    page = client.get(reverse("organization_detail", args=[tree.village.pk])).content.decode()
    assert "缺额" in page and "补选不及时" in page and "已空缺 120 天" in page
    response = client.post(
        reverse("by_election_start", args=[tree.village.pk]),
        {"planned_on": TODAY.isoformat(), "readiness": "支委会研究提出补选人选"},
    )
    election = Election.objects.get()
    assert response.status_code == 302 and response.url == reverse("election_detail", args=[election.pk])
    assert election.kind == ElectionKind.BY_ELECTION
    detail = client.get(response.url).content.decode()
    assert "补选本届委员会的缺额" in detail


def test_bad_input_is_refused_with_a_chinese_message(village):
    tree, _, _ = village
    client = f.client_for(f.account("sec", tree.village, "secretary"))
    response = client.post(reverse("by_election_start", args=[tree.village.pk]), {"planned_on": "x"})
    assert response.status_code == 200 and "日期" in response.content.decode()
    assert not Election.objects.exists()


def test_the_upper_level_sees_the_vacancy_on_monitor_and_compliance(village):
    tree, _, _ = village
    client = f.client_for(f.account("town", tree.town, "org_department"))
    monitor = client.get(reverse("monitor_org", args=[tree.town.pk])).content.decode()
    assert "委员会缺额" in monitor and "李强" in monitor and "补选不及时" in monitor
    compliance = client.get(reverse("compliance") + "?kind=vacancy_late").content.decode()
    assert "补选不及时" in compliance and "中共东村支部委员会" in compliance


def test_appointment_form_refuses_an_ordinary_member_post_and_records_a_secretary(village):
    tree, people, committee = village
    client = f.client_for(f.account("town", tree.town, "org_department"))
    url = reverse("committee_appoint", args=[committee.pk])
    data = {
        "post": "member",
        "on": TODAY.isoformat(),
        "decision": "东组〔2026〕7号",
        "reason": "需要",
        "member": people[5].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "只能指派书记或副书记" in response.content.decode()
    org_actions.remove_member("t", people[0], TODAY, "病故", "death")
    response = client.post(url, data | {"post": "secretary"})
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(member=people[5])
    assert (seat.post, seat.source) == ("secretary", "appointed")
    page = client.get(reverse("organization_detail", args=[tree.village.pk])).content.decode()
    assert "上级指派" in page and "下次换届时应通过选举产生" in page
    # a village secretary may not appoint
    secretary = f.client_for(f.account("sec", tree.village, "secretary"))
    assert secretary.get(url).status_code == 403


def test_history_page_and_export(village):
    tree, _, _ = village
    client = f.client_for(f.account("town", tree.town, "org_department"))
    page = client.get(reverse("committee_history", args=[tree.village.pk])).content.decode()
    assert "出缺" in page and "组织关系转出" in page
    response = client.get(reverse("committee_history_export", args=[tree.village.pk]))
    book = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(response.streaming_content)))
    rows = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    assert rows[0][0] == "中共东村支部委员会换届及调整情况"
    assert any(row[3] == "出缺" and row[5] == "李强" and row[6] == "组织关系转出" for row in rows)
    assert Vacancy.objects.count() == 1
