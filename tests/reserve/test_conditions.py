"""Searching the pool by the upper level's conditions (R-CAND-1, R-CAND-6), the suggestions on the
nominations page, and nominating from the pool."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.factories import client_for
from xuanju.elections import actions as election_actions
from xuanju.elections.models import Contest, Election, Nomination, Post
from xuanju.organizations.actions import ActionError, add_restriction
from xuanju.organizations.models import Member
from xuanju.reserve import actions
from xuanju.reserve.models import ReserveStatus
from xuanju.reserve.services import suggestions_for
from xuanju.rules.conditions import Failure
from xuanju.vetting.models import ElectionConditions, MemberProfile, Sanction

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world):
    """王芳 (in the fixture), 张伟 full member since 2021-07-01, 刘洋 born 1991-07-01 with a
    high-school education, 陈静 with a warning decided on 2021-07-01 — all in the village's pool."""
    p = {m.name: m for m in world.people}
    Member.objects.filter(pk=p["张伟"].pk).update(full_member_on=date(2021, 7, 1), joined_on=date(2020, 7, 1))
    Member.objects.filter(pk=p["刘洋"].pk).update(birth_date=date(1991, 7, 1))
    MemberProfile.objects.create(member=p["王芳"], education="bachelor", resides_locally=True)
    MemberProfile.objects.create(member=p["刘洋"], education="high_school", resides_locally=False)
    Sanction.objects.create(member=p["陈静"], kind="warning", decided_on=date(2021, 7, 1))
    for name in ("张伟", "刘洋", "陈静"):
        actions.put_forward("village", world.tree.village, p[name], date(2024, 3, 1), "拟培养")
    return p


def search(world, user: str = "town", **params):
    response = client_for(world.users[user]).get(
        reverse("reserve_search", args=[world.tree.village.pk]), params
    )
    assert response.status_code == 200
    matching = [r["person"].member.name for r in response.context["matching"]]
    others = {r["person"].member.name: r["reasons"] for r in response.context["others"]}
    return matching, others


def test_R_CAND_1_search_by_party_age_on_the_exact_anniversary(world, pool):
    matching, others = search(world, on="2026-07-01", min_party_age=5)
    assert "张伟" in matching
    matching, others = search(world, on="2026-06-30", min_party_age=5)
    assert "张伟" not in matching
    assert others["张伟"] == ["党龄4年，要求不少于5年（2026-07-01满）（R-CAND-1）"]
    assert {"王芳", "刘洋", "陈静"} <= set(matching)


def test_R_CAND_1_search_by_age_range_on_the_exact_birthday(world, pool):
    matching, _ = search(world, on="2026-06-30", max_age=34)
    assert matching == ["刘洋"]  # the others were born in 1980
    matching, others = search(world, on="2026-07-01", max_age=34)
    assert matching == []
    assert others["刘洋"] == ["35周岁，要求不超过34周岁（R-CAND-1）"]
    matching, others = search(world, on="2026-07-01", min_age=35, max_age=46)
    assert sorted(matching) == sorted(["刘洋", "王芳", "张伟", "陈静"])


def test_R_CAND_1_search_by_a_sanction_free_period_counts_whole_years(world, pool):
    matching, others = search(world, on="2026-06-30", sanction_free_years=5)
    assert others["陈静"] == ["2021-07-01受党纪处分，要求近5年内未受处分（R-CAND-1）"]
    matching, _ = search(world, on="2026-07-01", sanction_free_years=5)
    assert "陈静" in matching


def test_R_CAND_1_search_by_education_and_residence_explains_unknown_data(world, pool):
    matching, others = search(world, on="2026-07-01", min_education="3", must_reside_locally="on")
    assert matching == ["王芳"]
    assert others["刘洋"] == [
        "学历高中、中专，要求大学专科及以上（R-CAND-1）",
        "不在本地居住，要求在本地居住（R-CAND-1）",
    ]
    assert others["张伟"][0] == "学历未登记，要求大学专科及以上（R-CAND-1）"


def test_R_CAND_6_search_names_a_restricted_person_as_without_the_right_to_stand(world, pool):
    add_restriction("village", pool["张伟"], "detention", date(2026, 1, 1), None, "")
    matching, others = search(world, user="village", on="2026-07-01")
    assert "张伟" not in matching
    assert others["张伟"] == ["没有被选举权：被留置或逮捕，权利暂停（R-CAND-6）"]


def test_search_refuses_ages_out_of_order(world, pool):
    response = client_for(world.users["town"]).get(
        reverse("reserve_search", args=[world.tree.village.pk]),
        {"on": "2026-07-01", "min_age": 50, "max_age": 30},
    )
    assert "年龄上限小于下限" in response.content.decode()


# --- suggestions and nominating from the pool -----------------------------------------------


def approved_election(tree) -> Election:
    election = election_actions.start_election(
        "village", tree.village, TODAY + timedelta(days=30), 5, 1, readiness="已完成述职和民主评议"
    )
    election_actions.decide(
        "town", election_actions.submit_plan("village", election), "approved", "东乡组〔2026〕1号", ""
    )
    election.refresh_from_db()
    return election


@pytest.fixture
def nominations(world):
    """An approved election of the village with a party-age condition of 3 years (ElectionConditions)
    and a pool of: 王芳 (eligible), 李强 (then put on probation), 张伟 (already nominated), 刘洋
    (full member for 2 years), 周杰 (in the town's pool only), 黄敏 (left the pool)."""
    tree = world.tree
    p = {m.name: m for m in world.people}
    election = approved_election(tree)
    ElectionConditions.objects.create(election=election, min_party_age=3)
    contest = Contest.objects.get(election=election, post=Post.COMMITTEE_MEMBER)
    Member.objects.filter(pk=p["刘洋"].pk).update(full_member_on=TODAY - timedelta(days=2 * 365))
    for name in ("李强", "张伟", "刘洋", "黄敏"):
        actions.put_forward("village", tree.village, p[name], TODAY - timedelta(days=400), "拟培养")
    add_restriction("village", p["李强"], "probation_within_party", TODAY - timedelta(days=10), None, "")
    election_actions.record_nomination("village", contest, p["张伟"], "第一党小组", 6)
    actions.put_forward("town", tree.town, p["周杰"], TODAY, "镇级后备")
    left = tree.village.reserve_people.get(member=p["黄敏"])
    actions.change_status("village", left, ReserveStatus.LEFT, TODAY, "外出务工")
    return election, contest


def test_R_CAND_1_R_CAND_6_suggestions_exclude_the_nominated_and_explain_failures(world, nominations):
    _, contest = nominations
    rows = {person.member.name: failures for person, failures in suggestions_for(contest)}
    assert set(rows) == {"王芳", "李强", "刘洋"}  # not 张伟 (nominated), 周杰 (town), 黄敏 (left)
    assert rows["王芳"] == ()
    assert [f.failure for f in rows["李强"]] == [Failure.NO_RIGHT_TO_STAND]
    assert [(f.failure, f.required, f.actual) for f in rows["刘洋"]] == [(Failure.PARTY_AGE_TOO_LOW, 3, 2)]
    assert next(p.member.name for p, _ in suggestions_for(contest)) == "王芳"  # who passes comes first


def test_R_CAND_1_without_election_conditions_the_plans_party_age_is_used(world, nominations):
    election, contest = nominations
    ElectionConditions.objects.filter(election=election).delete()
    election = Election.objects.get(pk=election.pk)
    Election.objects.filter(pk=election.pk).update(minimum_party_age=0)
    rows = {p.member.name: f for p, f in suggestions_for(Contest.objects.get(pk=contest.pk))}
    assert rows["刘洋"] == ()


def test_the_suggestions_include_words_the_reasons_and_offers_nomination(world, nominations):
    _, contest = nominations
    html = Template("{% load reserve_tags %}{% reserve_suggestions contest %}").render(
        Context({"contest": contest})
    )
    assert "从后备人才库提名" in html and "王芳" in html
    assert "留党察看" in html and "R-CAND-6" in html
    assert html.count("从后备人才库提名") == 1  # only who passes can be nominated


def test_nominating_from_the_pool_records_a_nomination_and_marks_the_person(world, nominations):
    _, contest = nominations
    url = reverse("reserve_nominate", args=[contest.pk])
    response = client_for(world.users["village"]).post(
        url, {"person": world.person.pk, "count": 3, "source": ""}
    )
    assert response.status_code == 302 and f"#contest-{contest.pk}" in response.url
    nomination = Nomination.objects.get(contest=contest, nominee=world.person.member)
    assert (nomination.source, nomination.count) == ("中共东村支部委员会后备人才库", 3)
    world.person.refresh_from_db()
    assert world.person.status == ReserveStatus.NOMINATED
    assert world.person.status_changes.last().to_status == "nominated"
    assert "王芳" not in [p.member.name for p, _ in suggestions_for(contest)]


def test_R_CAND_6_nominating_an_ineligible_reserve_person_is_refused_with_the_reason(world, nominations):
    _, contest = nominations
    restricted = world.tree.village.reserve_people.get(member__name="李强")
    client = client_for(world.users["village"])
    response = client.post(
        reverse("reserve_nominate", args=[contest.pk]), {"person": restricted.pk, "count": 1}, follow=True
    )
    assert "没有被选举权" in response.content.decode()
    assert not Nomination.objects.filter(nominee=restricted.member).exists()
    restricted.refresh_from_db()
    assert restricted.status == ReserveStatus.IN_POOL


def test_a_person_of_a_pool_above_the_election_cannot_be_nominated_from_it(world, nominations):
    _, contest = nominations
    upper = world.tree.town.reserve_people.get()
    response = client_for(world.users["village"]).post(
        reverse("reserve_nominate", args=[contest.pk]), {"person": upper.pk, "count": 1}
    )
    assert response.status_code == 404


def test_members_and_the_upper_level_cannot_nominate_from_the_pool_page(world, nominations):
    _, contest = nominations
    response = client_for(world.users["member"]).post(
        reverse("reserve_nominate", args=[contest.pk]), {"person": world.person.pk, "count": 1}
    )
    assert response.status_code == 403
    assert not Nomination.objects.filter(nominee=world.person.member).exists()


def test_R_CAND_1_nominating_from_the_pool_applies_the_election_conditions(world, nominations):
    _, contest = nominations
    junior = world.tree.village.reserve_people.get(member__name="刘洋")
    with pytest.raises(ActionError) as refused:
        actions.nominate_from_pool("village", junior, contest)
    assert "党龄 2 年，不足 3 年" in refused.value.message
    assert not Nomination.objects.filter(nominee=junior.member).exists()
