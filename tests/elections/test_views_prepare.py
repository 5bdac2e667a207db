"""The preparation pages: plan, request and reply, nomination, candidates — who may see and act,
and that a refused step shows the Chinese reason and saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import close_counted
from tests.elections.test_flow import NAMES, prepare, run_meeting
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus, Meeting, Nomination, Post
from xuanju.rules.names import sort_names

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@built_once
def world():
    """A village branch of 20 full members (so it has a committee) and the accounts around it."""
    tree, people = f.village_due_for_reelection(TODAY)
    users = {
        "town": f.account("town", tree.town, "org_department"),
        "village": f.account("village", tree.village, "secretary"),
        "member": f.account("member", tree.village, "member"),
        "inspector": f.account("inspector", tree.county, "inspector"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    return tree, people, users


def start(tree, seats: int = 5, deputies: int = 1) -> Election:
    return actions.start_election(
        "village", tree.village, TODAY + timedelta(days=30), seats, deputies, readiness="已完成述职和民主评议"
    )


def approved(tree) -> Election:
    election = start(tree)
    actions.decide("town", actions.submit_plan("village", election), "approved", "东乡组〔2026〕1号", "")
    election.refresh_from_db()
    return election


def contest_pk(election: Election, post: str) -> int:
    return election.contests.get(post=post).pk


def add(client: Client, election: Election, post: str, person, stage: str = "provisional", **extra):
    pk = contest_pk(election, post)
    data = {"add": pk, f"a{pk}-member": person.pk, f"a{pk}-stage": stage, f"a{pk}-vetting": "考察合格"}
    data.update({f"a{pk}-{k}": v for k, v in extra.items()})
    return client.post(reverse("election_candidates", args=[election.pk]), data)


# --- who may see and act ------------------------------------------------------------------


def test_every_page_is_refused_outside_the_subtree(world):
    tree, _, users = world
    election = approved(tree)
    approval = election.approvals.get()
    outsider = client_for(users["outsider"])
    pages = [
        reverse("election_start", args=[tree.village.pk]),
        reverse("election_request_preview", args=[election.pk]),
        reverse("election_request", args=[approval.pk]),
        reverse("approval_decide", args=[approval.pk]),
        reverse("election_nominations", args=[election.pk]),
        reverse("election_candidates", args=[election.pk]),
    ]
    for url in pages:
        assert outsider.get(url).status_code == 403, url
    for name in ("election_submit_plan", "election_submit_candidates"):
        assert outsider.post(reverse(name, args=[election.pk])).status_code == 403
    edit = reverse("election_plan_edit", args=[election.pk])
    assert outsider.get(edit).status_code == 403 and outsider.post(edit).status_code == 403


def test_the_right_role_sees_every_page(world):
    tree, _, users = world
    village, town = client_for(users["village"]), client_for(users["town"])
    assert village.get(reverse("election_start", args=[tree.village.pk])).status_code == 200
    election = start(tree)
    approval = actions.submit_plan("village", election)
    for user in ("village", "member", "inspector", "town"):
        client = client_for(users[user])
        for url in (
            reverse("election_detail", args=[election.pk]),
            reverse("election_request", args=[approval.pk]),
            reverse("election_request_preview", args=[election.pk]),
            reverse("election_nominations", args=[election.pk]),
            reverse("election_candidates", args=[election.pk]),
        ):
            assert client.get(url).status_code == 200, (user, url)
    assert town.get(reverse("approval_decide", args=[approval.pk])).status_code == 200


@pytest.mark.parametrize("user", ["member", "inspector"])
def test_a_plain_member_or_inspector_cannot_act(world, user):
    tree, people, users = world
    client = client_for(users[user])
    assert client.get(reverse("election_start", args=[tree.village.pk])).status_code == 403
    assert (
        client.post(
            reverse("election_start", args=[tree.village.pk]),
            {
                "planned_on": TODAY,
                "committee_seats": 5,
                "deputy_seats": 1,
                "readiness": "x",
                "minimum_party_age": 0,
            },
        ).status_code
        == 403
    )
    election = start(tree)
    assert client.post(reverse("election_submit_plan", args=[election.pk])).status_code == 403
    approval = actions.submit_plan("village", election)
    response = client.post(reverse("approval_decide", args=[approval.pk]), {"decision": "approved"})
    assert response.status_code == 403
    actions.decide("town", approval, "approved", "", "")
    committee = contest_pk(election, Post.COMMITTEE_MEMBER)
    response = client.post(
        reverse("election_nominations", args=[election.pk]),
        {
            "contest": committee,
            f"n{committee}-member": people[0].pk,
            f"n{committee}-source": "x",
            f"n{committee}-count": 3,
        },
    )
    assert response.status_code == 403
    assert add(client, election, Post.COMMITTEE_MEMBER, people[0]).status_code == 403
    assert client.post(reverse("election_submit_candidates", args=[election.pk])).status_code == 403
    assert not Nomination.objects.exists() and not Candidate.objects.exists()
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLAN_APPROVED


def test_R_RPT_4_the_organization_cannot_approve_its_own_request(world):
    tree, _, users = world
    approval = actions.submit_plan("village", start(tree))
    village = client_for(users["village"])
    assert village.get(reverse("approval_decide", args=[approval.pk])).status_code == 403
    assert (
        village.post(reverse("approval_decide", args=[approval.pk]), {"decision": "approved"}).status_code
        == 403
    )
    approval.refresh_from_db()
    assert approval.decision == Approval.Decision.PENDING


# --- the whole preparation through the pages ----------------------------------------------


def test_R_RPT_1_R_RPT_2_R_CAND_2_plan_request_reply_nomination_candidates_review(world):
    tree, people, users = world
    village, town, member = (
        client_for(users["village"]),
        client_for(users["town"]),
        client_for(users["member"]),
    )

    # the plan, pre-filled with what the rules propose (R-ORG-2, R-TERM-1)
    page = village.get(reverse("election_start", args=[tree.village.pk])).content.decode()
    assert '应设委员会<span class="rule-ref" title="R-ORG-2">（' in page and "任期 5 年" in page
    response = village.post(
        reverse("election_start", args=[tree.village.pk]),
        {
            "planned_on": (TODAY + timedelta(days=30)).isoformat(),
            "committee_seats": 5,
            "deputy_seats": 1,
            "readiness": "已完成述职和民主评议",
            "composition": "至少一名女党员",
            "minimum_party_age": 0,
        },
    )
    election = Election.objects.get(organization=tree.village)
    assert response.status_code == 302 and response.url == reverse("election_detail", args=[election.pk])
    assert election.has_committee and election.term_years == 5
    submit_url = reverse("election_submit_plan", args=[election.pk])
    assert submit_url in village.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert submit_url not in member.get(reverse("election_detail", args=[election.pk])).content.decode()

    # the request (请示, R-RPT-1)
    response = village.post(reverse("election_submit_plan", args=[election.pk]))
    approval = election.approvals.get()
    assert response.url == reverse("election_request", args=[approval.pk])
    document = member.get(response.url).content.decode()
    for text in (
        "关于召开党员大会进行换届选举的请示",
        "中共东乡镇委员会：",
        "已完成述职和民主评议",
        "至少一名女党员",
        "妥否，请批示",
    ):
        assert text in document
    detail = town.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert reverse("approval_decide", args=[approval.pk]) in detail
    assert (
        '等待上级批复<span class="rule-ref" title="R-RPT-4">（'
        in village.get(reverse("election_detail", args=[election.pk])).content.decode()
    )

    # the reply (批复, R-RPT-4)
    response = town.post(
        reverse("approval_decide", args=[approval.pk]),
        {"decision": "approved", "document": "东乡组〔2026〕1号"},
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLAN_APPROVED

    # nomination (R-CAND-4)
    committee = contest_pk(election, Post.COMMITTEE_MEMBER)
    url = reverse("election_nominations", args=[election.pk])
    for person, count in zip(people[:6], (12, 11, 10, 9, 8, 7), strict=True):
        response = village.post(
            url,
            {
                "contest": committee,
                f"n{committee}-member": person.pk,
                f"n{committee}-source": "第一党小组",
                f"n{committee}-count": count,
            },
        )
        assert response.status_code == 302
    assert Nomination.objects.count() == 6
    assert "推荐人数" in village.get(url).content.decode()

    # provisional candidates: 5 for 5 seats is not competitive (R-CAND-2)
    candidates_url = reverse("election_candidates", args=[election.pk])
    for candidate in Candidate.objects.filter(contest_id=committee).exclude(member=people[5]):
        response = village.post(
            candidates_url,
            {
                "candidate": candidate.pk,
                f"k{candidate.pk}-stage": "provisional",
                f"k{candidate.pk}-vetting": "考察合格",
                f"k{candidate.pk}-profile": "群众基础好",
            },
        )
        assert response.status_code == 302
    assert add(village, election, Post.SECRETARY, people[0], order=1).status_code == 302
    assert add(village, election, Post.DEPUTY_SECRETARY, people[1], order=1).status_code == 302
    page = village.get(candidates_url).content.decode()
    assert "应选 5 人，预备人选 5 人，差额选举的预备人选至少 6 人" in page
    response = village.post(reverse("election_submit_candidates", args=[election.pk]), follow=True)
    assert '至少6人<span class="rule-ref" title="R-CAND-2">（' in response.content.decode()
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLAN_APPROVED and election.approvals.count() == 1

    sixth = Candidate.objects.get(contest_id=committee, member=people[5])
    village.post(candidates_url, {"candidate": sixth.pk, f"k{sixth.pk}-stage": "provisional"})
    page = village.get(candidates_url).content.decode()
    assert '应选 5 人，预备人选 6 人，差额 20%，符合 <span class="rule-ref" title="R-CAND-2">' in page
    assert '应选 1 人，预备人选 1 人，等额选举，符合 <span class="rule-ref" title="R-CAND-3">' in page
    assert "<b>王芳</b>" not in member.get(candidates_url).content.decode()  # not before the review
    response = village.post(reverse("election_submit_candidates", args=[election.pk]))
    review = election.approvals.get(kind=Approval.Kind.CANDIDATES)
    assert response.url == reverse("election_request", args=[review.pk])

    # the upper level reviews them, vetting notes included (R-RPT-2)
    page = town.get(reverse("approval_decide", args=[review.pk])).content.decode()
    assert "关于委员会委员候选人预备人选的请示" in page and "考察合格" in page
    assert "考察合格" not in member.get(reverse("election_request", args=[review.pk])).content.decode()
    town.post(
        reverse("approval_decide", args=[review.pk]),
        {"decision": "approved", "document": "东乡组〔2026〕2号"},
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.CANDIDATES_APPROVED
    assert Candidate.objects.filter(contest_id=committee, stage=Candidate.Stage.CANDIDATE).count() == 6
    page = member.get(candidates_url).content.decode()
    assert "<b>王芳</b>" in page and "考察合格" not in page and "群众基础好" in page


def test_R_NAME_candidates_are_listed_in_surname_stroke_order(world):
    tree, people, users = world
    election = approved(tree)
    village = client_for(users["village"])
    for person in reversed(people[:6]):
        add(village, election, Post.COMMITTEE_MEMBER, person)
    page = village.get(reverse("election_candidates", args=[election.pk])).content.decode()
    positions = [page.index(f"<b>{name}</b>") for name in sort_names(NAMES[:6])]
    assert positions == sorted(positions)


# --- refused input shows the reason and saves nothing -------------------------------------


def test_R_ORG_2_nine_committee_seats_for_a_branch_are_refused_with_the_reason(world):
    tree, _, users = world
    response = client_for(users["village"]).post(
        reverse("election_start", args=[tree.village.pk]),
        {
            "planned_on": TODAY.isoformat(),
            "committee_seats": 9,
            "deputy_seats": 1,
            "readiness": "x",
            "minimum_party_age": 0,
        },
    )
    assert response.status_code == 200
    assert (
        "支部委员会一般为 3 至 5 人" in response.content.decode() and "R-ORG-2" in response.content.decode()
    )
    assert not Election.objects.exists()


def test_R_ORG_2_a_small_branch_is_told_it_elects_a_secretary_only(world):
    tree, _, _ = world
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    for _ in range(5):
        f.member(small)
    secretary = f.account("west", small, "secretary")
    page = client_for(secretary).get(reverse("election_start", args=[small.pk])).content.decode()
    assert "不设委员会" in page and 'name="committee_seats" value="0"' in page


def test_R_RPT_4_a_return_needs_comments_and_leaves_the_request_pending(world):
    tree, _, users = world
    approval = actions.submit_plan("village", start(tree))
    response = client_for(users["town"]).post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "returned"}
    )
    assert response.status_code == 200 and "退回或不同意时请写明意见" in response.content.decode()
    approval.refresh_from_db()
    assert approval.decision == Approval.Decision.PENDING
    client_for(users["town"]).post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "returned", "comments": "请补充结构要求"}
    )
    approval.election.refresh_from_db()
    assert approval.election.status == ElectionStatus.PLANNING
    page = (
        client_for(users["village"])
        .get(reverse("election_detail", args=[approval.election_id]))
        .content.decode()
    )
    assert "请补充结构要求" in page and reverse("election_submit_plan", args=[approval.election_id]) in page


def test_R_RPT_4_nomination_before_the_plan_is_approved_is_refused(world):
    tree, people, users = world
    election = start(tree)
    committee = contest_pk(election, Post.COMMITTEE_MEMBER)
    response = client_for(users["village"]).post(
        reverse("election_nominations", args=[election.pk]),
        {
            "contest": committee,
            f"n{committee}-member": people[0].pk,
            f"n{committee}-source": "x",
            f"n{committee}-count": 3,
        },
    )
    assert response.status_code == 200 and "R-RPT-4" in response.content.decode()
    assert not Nomination.objects.exists()


def test_R_VOTE_2_a_probationary_member_cannot_be_nominated(world):
    tree, _, users = world
    probationary = f.member(tree.village, "赵六", full=False)
    election = approved(tree)
    committee = contest_pk(election, Post.COMMITTEE_MEMBER)
    url = reverse("election_nominations", args=[election.pk])
    village = client_for(users["village"])
    assert "赵六" not in village.get(url).content.decode()
    response = village.post(
        url,
        {
            "contest": committee,
            f"n{committee}-member": probationary.pk,
            f"n{committee}-source": "x",
            f"n{committee}-count": 3,
        },
    )
    assert response.status_code == 200 and "请从列表中选择符合条件的党员" in response.content.decode()
    assert not Nomination.objects.exists()


def test_R_CAND_4_the_nomination_tally_is_not_shown_to_a_plain_member(world):
    tree, people, users = world
    election = approved(tree)
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    actions.record_nomination("village", committee, people[4], "第一党小组", 17)
    url = reverse("election_nominations", args=[election.pk])
    organizer = client_for(users["village"]).get(url).content.decode()
    assert "陈静" in organizer and ">17<" in organizer
    for user in ("member", "inspector"):
        page = client_for(users[user]).get(url).content.decode()
        # (the count as a table cell: a bare "17" can turn up inside the random CSRF token)
        assert (
            "陈静" not in page and ">17<" not in page and "第一党小组" not in page and "推荐人数" not in page
        )
        assert '不向党员公开<span class="rule-ref" title="R-CAND-4">（' in page


# --- the results report, as the upper level reads it --------------------------------------


def test_R_CNT_7_the_results_report_shows_every_round_with_its_votes(world):
    tree, people, users = world
    election, people = prepare((tree, people))
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    actions.appoint("village", meeting, people[10], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    round_ = actions.open_round("village", committee, meeting, issued=20)
    key = {c.member.name: c.key for c in round_.candidates.all()}
    actions.record_ballot("village", round_, [key[n] for n in NAMES[:5]], [key["杨帆"]], [], count=20)
    close_counted(round_, returned=20)
    elected = [e.member for e in committee.elected.select_related("member")]
    plenary = run_meeting(election, elected, Meeting.Kind.PLENARY, elected)
    actions.appoint("village", plenary, people[2], "scrutineer")
    actions.appoint("village", plenary, people[3], "counter")
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        race = actions.open_round("village", election.contests.get(post=post), plenary, issued=5)
        actions.record_ballot("village", race, [race.candidates.get().key], [], [], count=5)
        close_counted(race, returned=5)
    approval = actions.submit_results("village", election)
    page = client_for(users["town"]).get(reverse("approval_decide", args=[approval.pk])).content.decode()
    assert "关于选举结果的报告" in page and "正式选举" in page and "选举完成" in page
    assert "杨帆" in page and "王芳（20 票）" in page
    response = client_for(users["town"]).post(
        reverse("approval_decide", args=[approval.pk]), {"decision": "approved"}
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED


def test_R_MEET_5_R_CAND_4_members_see_the_candidates_and_their_profiles_only_after_the_review(world):
    tree, people, users = world
    election = approved(tree)
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate(
            "village", committee, person, "provisional", vetting="考察合格", profile=f"{person.name}的简历"
        )
    for post, person in ((Post.SECRETARY, people[0]), (Post.DEPUTY_SECRETARY, people[1])):
        actions.set_candidate("village", election.contests.get(post=post), person, "provisional")
    url = reverse("election_candidates", args=[election.pk])
    member = client_for(users["member"])
    assert "王芳的简历" not in member.get(url).content.decode()
    actions.decide("town", actions.submit_candidates("village", election), "approved", "", "")
    page = member.get(url).content.decode()
    assert "王芳的简历" in page and "陈静的简历" in page and "考察合格" not in page
    assert "考察合格" in client_for(users["town"]).get(url).content.decode()
