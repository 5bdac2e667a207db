"""The between-elections demo: a village's member seat vacant five months (补选不及时) and a branch
whose secretary the upper level appointed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import client_for
from xuanju.accounts.models import User
from xuanju.audit.trail import verify_chain
from xuanju.demo.between import load_demo_between
from xuanju.demo.county import load_demo
from xuanju.organizations import vacancies
from xuanju.organizations.models import CommitteeSeat, Organization, Vacancy

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_late_vacancy_and_an_appointed_secretary():
    today = timezone.localdate()
    load_demo(today)
    demo = load_demo_between(today)
    assert demo is not None
    village = Organization.objects.get(name=demo.vacant_organization)
    assert village.sector == "village"
    vacancy = Vacancy.objects.get(committee__organization=village, filled_on=None)
    assert (
        vacancy.opened_on == today - timedelta(days=150) and vacancy.former_member.name == demo.vacant_member
    )
    (row,) = [r for r in vacancies.rows(vacancies.open_vacancies_under(village)) if r.vacancy == vacancy]
    assert row.overdue and row.days_open == 150

    seat = CommitteeSeat.objects.get(
        committee__organization__name=demo.appointed_organization, post="secretary"
    )
    assert seat.source == "appointed" and seat.member.name == demo.appointed_member and seat.decision
    assert verify_chain()[1] is None

    county = client_for(User.objects.get(username="county_org"))
    monitor = county.get(reverse("monitor")).content.decode()
    assert demo.vacant_organization in monitor and "补选不及时" in monitor
    page = county.get(reverse("organization_detail", args=[seat.committee.organization_id])).content.decode()
    assert "上级指派" in page and "下次换届时应通过选举产生" in page
