"""Vetting records (考察): validation, and seen by the organizers and the upper level only."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from tests import factories as f
from tests.vetting.conftest import build_village
from tests.worlds import kept_for_the_class
from xuanju.organizations.actions import ActionError
from xuanju.vetting import actions, urls
from xuanju.vetting.models import Sanction, VettingRecord, VettingTalk
from xuanju.vetting.services import assessment_rows, incompetent_concern, vetting_summary

pytestmark = pytest.mark.django_db
SECRET = "曾在村务中优亲厚友"  # a finding no member may ever read
TALK = "老党员代表反映其作风踏实"


@pytest.fixture
def vetted(village):
    return build_vetted(village)


def build_vetted(village):
    candidate = village.contest().candidates.get(member=village.people[0])
    client = f.client_for(village.accounts["secretary"])
    response = client.post(
        reverse("candidate_vetting", args=[candidate.pk]),
        {
            "form": "record",
            "v-political_findings": SECRET,
            "v-political_verdict": "concern",
            "v-ability_verdict": "pass",
            "v-assessment_participants": "30",
            "v-rated_excellent": "12",
            "v-rated_competent": "6",
            "v-rated_basically_competent": "1",
            "v-rated_incompetent": "11",
            "v-conclusion": "建议暂缓列为预备人选",
            "v-team": "张三、李四",
            "v-vetted_on": "2026-05-10",
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.post(
        reverse("candidate_vetting", args=[candidate.pk]),
        {"form": "talk", "t-talked_on": "2026-05-09", "t-with_whom": "老党员代表", "t-summary": TALK},
    )
    return village, candidate


def test_R_CAND_1_a_vetting_record_with_assessment_and_talks(vetted):
    village, candidate = vetted
    record = VettingRecord.objects.get(candidate=candidate)
    assert record.political_verdict == "concern" and record.team == "张三、李四"
    assert VettingTalk.objects.get(record=record).with_whom == "老党员代表"
    assert incompetent_concern(record)  # 11 of 30 is more than a third
    rows = {r["label"]: r for r in assessment_rows(record)}
    assert rows["不称职"]["percent"] == 36.7 and rows["未表态"]["count"] == 0
    assert vetting_summary(record) == "建议暂缓列为预备人选；需关注：政治关、民主测评不称职票超过三分之一"
    page = f.client_for(village.accounts["town"]).get(reverse("candidate_vetting", args=[candidate.pk]))
    text = page.content.decode()
    assert SECRET in text and TALK in text and "“不称职”票超过参加测评人数的三分之一" in text


def test_R_CAND_1_a_third_exactly_is_no_concern_and_counts_cannot_exceed_participants(vetted):
    village, candidate = vetted
    record = actions.save_vetting("village", candidate, assessment_participants=30, rated_incompetent=10)
    assert not incompetent_concern(record)
    with pytest.raises(ActionError, match="超过参加测评的 30 人"):
        actions.save_vetting(
            "village", candidate, assessment_participants=30, rated_excellent=25, rated_incompetent=6
        )
    response = f.client_for(village.accounts["secretary"]).post(
        reverse("candidate_vetting", args=[candidate.pk]),
        {"form": "record", "v-assessment_participants": "5", "v-rated_excellent": "6"},
    )
    assert response.status_code == 200 and "超过参加测评的 5 人" in response.content.decode()
    assert VettingRecord.objects.get(candidate=candidate).assessment_participants == 30


@pytest.mark.parametrize("role", ["member", "counter", "scrutineer", "inspector", "outsider"])
def test_R_CAND_4_vetting_is_never_shown_to_members_counters_scrutineers_or_outsiders(vetted, role):
    village, candidate = vetted
    talk = VettingTalk.objects.get()
    client = f.client_for(village.accounts[role])
    election = village.election
    for name, arg in [
        ("candidate_vetting", candidate.pk),
        ("election_vetting", election.pk),
        ("election_conditions", election.pk),
        ("election_structure", election.pk),
        ("election_committee_structure", election.pk),
        ("election_slate_export", election.pk),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code in (403, 404), (role, name)
    assert client.post(reverse("vetting_talk_delete", args=[talk.pk])).status_code in (403, 404)
    assert (
        client.post(reverse("candidate_vetting", args=[candidate.pk]), {"form": "record"}).status_code == 403
    )
    assert VettingTalk.objects.filter(pk=talk.pk).exists()
    # …nor in any page of the election they can open
    for name in ("election_detail", "election_candidates", "election_nominations", "election_notices"):
        response = client.get(reverse(name, args=[election.pk]))
        text = response.content.decode()
        assert SECRET not in text and TALK not in text and "建议暂缓" not in text, (role, name)


def test_R_CAND_1_the_organizers_and_the_upper_level_may_edit_the_vetting(vetted):
    village, candidate = vetted
    for role in ("secretary", "town"):
        response = f.client_for(village.accounts[role]).post(
            reverse("candidate_vetting", args=[candidate.pk]),
            {"form": "record", "v-conclusion": f"{role}：考察合格", "v-assessment_participants": "0"},
        )
        assert response.status_code == 302
        assert VettingRecord.objects.get(candidate=candidate).conclusion == f"{role}：考察合格"


def test_R_CAND_1_profiles_and_sanctions_are_kept_by_those_who_manage_the_roster(village):
    member = village.people[3]
    url = reverse("member_profile", args=[member.pk])
    for role in ("member", "counter", "scrutineer", "inspector", "outsider"):
        client = f.client_for(village.accounts[role])
        assert client.get(url).status_code == 403, role
        assert client.post(url, {"form": "profile", "p-occupation": "x"}).status_code == 403, role
    client = f.client_for(village.accounts["secretary"])
    response = client.post(
        url,
        {
            "form": "profile",
            "p-education": "college",
            "p-occupation": "农民",
            "p-front_line": "on",
            "p-current_post": "村民小组长",
            "p-residence": "本村",
            "p-resides_locally": "true",
        },
    )
    assert response.status_code == 302
    member.profile.refresh_from_db()
    assert (member.profile.education, member.profile.resides_locally, member.profile.front_line) == (
        "college",
        True,
        True,
    )
    response = client.post(
        url,
        {
            "form": "sanction",
            "s-kind": "warning",
            "s-decided_on": "2024-03-01",
            "s-document": "东纪〔2024〕3号",
        },
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get(member=member)
    assert sanction.decided_on == date(2024, 3, 1)
    assert "2024年3月1日" in client.get(url).content.decode()
    assert (
        f.client_for(village.accounts["member"])
        .post(reverse("sanction_delete", args=[sanction.pk]))
        .status_code
        == 403
    )
    assert client.post(reverse("sanction_delete", args=[sanction.pk])).status_code == 302
    assert not Sanction.objects.exists()


# --- every route, for an outsider -------------------------------------------------------------

ROUTES = {
    "election_conditions": "election",
    "election_conditions_edit": "election",
    "election_vetting": "election",
    "candidate_vetting": "candidate",
    "vetting_talk_delete": "talk",
    "election_structure": "election",
    "election_committee_structure": "election",
    "election_structure_targets": "election",
    "election_slate_export": "election",
    "member_profile": "member",
    "sanction_delete": "sanction",
}


def test_every_vetting_route_is_listed_here():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(ROUTES)


class TestEveryVettingRoute:
    """These checks only read the vetted village: it is built once for them all (tests/worlds.py)."""

    @pytest.fixture(scope="class")
    def vetted(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_vetted(build_village())

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_R_CAND_1_a_secretary_of_another_branch_is_refused_at_every_vetting_route(self, vetted, name):
        village, candidate = vetted
        sanction = actions.add_sanction("village", village.people[2], "warning", date(2024, 3, 1))
        objects = {
            "election": village.election,
            "candidate": candidate,
            "talk": VettingTalk.objects.get(),
            "member": village.people[2],
            "sanction": sanction,
        }
        url = reverse(name, args=[objects[ROUTES[name]].pk])
        client = f.client_for(village.accounts["outsider"])
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {}).status_code in (403, 405), url
        assert VettingTalk.objects.exists() and Sanction.objects.exists()
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405) and (
            anonymous.status_code == 405 or "/login/" in anonymous.url
        )


def test_R_CAND_1_every_vetting_page_opens_for_the_organizers_and_the_upper_level(vetted):
    village, candidate = vetted
    election = village.election
    pages = [
        ("election_conditions", election.pk),
        ("election_vetting", election.pk),
        ("candidate_vetting", candidate.pk),
        ("election_structure", election.pk),
        ("election_committee_structure", election.pk),
        ("member_profile", village.people[0].pk),
    ]
    for role in ("secretary", "town"):
        client = f.client_for(village.accounts[role])
        for name, arg in pages:
            assert client.get(reverse(name, args=[arg])).status_code == 200, (role, name)
    town = f.client_for(village.accounts["town"])
    for name in ("election_conditions_edit", "election_structure_targets"):
        assert town.get(reverse(name, args=[election.pk])).status_code == 200, name
