"""R-CAND-5, R-RPT-3: after a congress elects the discipline commission's members, the commission's
first plenary elects its secretary (and deputies) among them; the report carries them for the upper
level's approval, and the documents name them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.documents.reading import docx_text
from tests.elections.congress_stub import StubCongress, congress  # noqa: F401  (fixture)
from tests.elections.test_congress_meeting import QUOTA, approve, vote
from xuanju.documents.files import document_file
from xuanju.documents.kinds import Kind
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, ElectionStatus, Meeting, Post
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def town(congress: StubCongress):  # noqa: F811
    tree = f.county_tree()
    people = [f.member(tree.town) for _ in range(40)]
    congress.delegates = people
    congress.plan = QUOTA
    return tree, people


def planned(tree, people) -> Election:
    """9 committee seats with 2 deputies; 4 commission seats whose plenary elects a secretary and a
    deputy; candidates approved."""
    election = actions.start_election(
        "town",
        tree.town,
        TODAY,
        9,
        2,
        readiness="已完成述职和民主评议",
        form="congress",
        discipline_seats=4,
        discipline_deputy_seats=1,
    )
    approve(actions.submit_plan("town", election))
    contests = {c.post: c for c in election.contests.all()}
    provisional = Candidate.Stage.PROVISIONAL
    for person in people[:11]:
        actions.set_candidate("town", contests[Post.COMMITTEE_MEMBER], person, provisional)
    actions.set_candidate("town", contests[Post.SECRETARY], people[0], provisional)
    for person in people[1:3]:
        actions.set_candidate("town", contests[Post.DEPUTY_SECRETARY], person, provisional)
    for person in people[12:17]:
        actions.set_candidate("town", contests[Post.DISCIPLINE_MEMBER], person, provisional)
    actions.set_candidate("town", contests[Post.DISCIPLINE_SECRETARY], people[12], provisional)
    actions.set_candidate("town", contests[Post.DISCIPLINE_DEPUTY], people[20], provisional)
    with pytest.raises(ActionError, match=r"纪委书记、副书记的预备人选.*须同时是纪委委员的预备人选"):
        actions.submit_candidates("town", election)
    actions.set_candidate("town", contests[Post.DISCIPLINE_DEPUTY], people[20], Candidate.Stage.DROPPED)
    actions.set_candidate("town", contests[Post.DISCIPLINE_DEPUTY], people[13], provisional)
    approve(actions.submit_candidates("town", election))
    election.refresh_from_db()
    return election


def congress_elects(election: Election, people) -> Meeting:
    meeting = actions.open_meeting("town", election, Meeting.Kind.CONGRESS, TODAY)
    actions.mark_present("town", meeting, [p.pk for p in people[:34]])
    actions.close_roll("town", meeting)
    actions.adopt_procedure("town", meeting, "present", False, 34, counting_method=SINGLE_ENTRY)
    actions.appoint("town", meeting, people[30], "chief_scrutineer")
    actions.appoint("town", meeting, people[31], "counter")
    for post, chosen in ((Post.COMMITTEE_MEMBER, people[:9]), (Post.DISCIPLINE_MEMBER, people[12:16])):
        round_ = actions.open_round("town", election.contests.get(post=post), meeting, issued=34)
        vote(round_, chosen, 34)
        close_counted(round_, returned=34)
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY
    return meeting


def hold_plenary(election: Election, kind: str, voters, posts) -> Meeting:
    plenary = actions.open_meeting("town", election, kind, TODAY)
    actions.mark_present("town", plenary, [p.pk for p in voters])
    actions.close_roll("town", plenary)
    actions.adopt_procedure("town", plenary, "present", False, len(voters), counting_method=SINGLE_ENTRY)
    bystanders = [p for p in voters if all(p not in chosen for _, chosen in posts)]
    actions.appoint("town", plenary, bystanders[0], "scrutineer")
    actions.appoint("town", plenary, bystanders[-1], "counter")
    for post, chosen in posts:
        race = actions.open_round("town", election.contests.get(post=post), plenary, issued=len(voters))
        vote(race, chosen, len(voters))
        close_counted(race, returned=len(voters))
    return plenary


def test_R_CAND_5_the_plan_states_the_commissions_plenary_and_its_deputies_are_bounded(town):
    tree, _ = town
    with pytest.raises(ActionError, match="纪委副书记"):
        actions.start_election(
            "town",
            tree.town,
            TODAY,
            9,
            2,
            readiness="x",
            form="congress",
            discipline_seats=3,
            discipline_deputy_seats=2,
        )
    with pytest.raises(ActionError, match="纪律检查委员会委员的"):
        actions.start_election(
            "town", tree.town, TODAY, 9, 2, readiness="x", form="congress", discipline_deputy_seats=1
        )
    election = actions.start_election(
        "town",
        tree.town,
        TODAY,
        9,
        2,
        readiness="x",
        form="congress",
        discipline_seats=4,
        discipline_deputy_seats=1,
    )
    posts = {c.post: c.seats for c in election.contests.all()}
    assert posts[Post.DISCIPLINE_SECRETARY] == 1 and posts[Post.DISCIPLINE_DEPUTY] == 1
    content = actions.plan_content(election)
    assert content["discipline_seats"] == 4 and content["discipline_deputy_seats"] == 1
    approval = actions.submit_plan("town", election)
    paragraphs, _ = docx_text(document_file(election, Kind.PLAN_REQUEST, None, "docx").data)
    assert "由纪律检查委员会第一次全体会议选举书记1名、副书记1名，报上级党组织批准" in "".join(paragraphs)
    assert approval.content["discipline_deputy_seats"] == 1


def test_R_CAND_5_R_RPT_3_the_commissions_plenary_elects_its_secretary_for_approval(town):
    tree, people = town
    election = planned(tree, people)
    with pytest.raises(ActionError, match="R-CAND-5"):  # not before the commission is elected
        actions.open_meeting("town", election, Meeting.Kind.DISCIPLINE_PLENARY, TODAY)
    congress_elects(election, people)
    committee_plenary = hold_plenary(
        election,
        Meeting.Kind.PLENARY,
        people[:9],
        [(Post.SECRETARY, people[:1]), (Post.DEPUTY_SECRETARY, people[1:3])],
    )
    commission = actions.open_meeting("town", election, Meeting.Kind.DISCIPLINE_PLENARY, TODAY)
    # its roll is the commission's new members, and it votes only on the commission's posts
    assert {a.member_id for a in commission.attendance.all()} == {p.pk for p in people[12:16]}
    assert {c.post for c in actions.meeting_contests(commission)} == {
        Post.DISCIPLINE_SECRETARY,
        Post.DISCIPLINE_DEPUTY,
    }
    actions.mark_present("town", commission, [p.pk for p in people[12:16]])
    actions.close_roll("town", commission)
    actions.adopt_procedure("town", commission, "present", False, 4, counting_method=SINGLE_ENTRY)
    with pytest.raises(ActionError, match="候选人"):  # R-MEET-4: a candidate is no scrutineer
        actions.appoint("town", commission, people[12], "scrutineer")
    actions.appoint("town", commission, people[15], "scrutineer")
    actions.appoint("town", commission, people[14], "counter")
    with pytest.raises(ActionError, match="不在这次会议上选举"):
        actions.open_round("town", election.contests.get(post=Post.SECRETARY), commission, issued=4)
    for post, chosen in ((Post.DISCIPLINE_SECRETARY, people[12:13]), (Post.DISCIPLINE_DEPUTY, people[13:14])):
        race = actions.open_round("town", election.contests.get(post=post), commission, issued=4)
        vote(race, chosen, 4)
        close_counted(race, returned=4)
    report = actions.submit_results("town", election)
    by_post = {c["post"]: c for c in report.content["contests"]}
    assert [e["name"] for e in by_post["纪委书记"]["elected"]] == [people[12].name]
    assert [e["name"] for e in by_post["纪委副书记"]["elected"]] == [people[13].name]
    assert by_post["纪委书记"]["approval"] and by_post["纪委副书记"]["approval"]
    assert not by_post["纪委委员"]["approval"] and not by_post["委员"]["approval"]

    # a returned report reopens both plenaries (R-RPT-3)
    actions.decide("county", report, Approval.Decision.RETURNED, "", "请核对得票")
    committee_plenary.refresh_from_db()
    commission.refresh_from_db()
    assert not committee_plenary.closed and not commission.closed
    approve(actions.submit_results("town", election))
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED

    org = tree.town.name.removesuffix("委员会")
    report_text = "".join(docx_text(document_file(election, Kind.RESULTS_REPORT, None, "docx").data)[0])
    assert "纪委书记" in report_text and f"{people[12].name}（4票）" in report_text
    assert "新一届纪律检查委员会委员报请备案，纪律检查委员会书记、副书记报请批准" in report_text
    reply = "".join(docx_text(document_file(election, Kind.RESULTS_REPLY, None, "docx").data)[0])
    assert f"同意{people[12].name}任{org}纪律检查委员会书记" in reply
    assert f"同意{people[13].name}任{org}纪律检查委员会副书记" in reply
    assert "新一届纪律检查委员会委员" in reply and "予以备案" in reply
    notice = "".join(docx_text(document_file(election, Kind.NOTICE, people[12].pk, "docx").data)[0])
    assert f"你当选为{org}纪律检查委员会书记，已经上级党组织批准" in notice
    minutes = "".join(docx_text(document_file(election, Kind.MINUTES, commission.pk, "docx").data)[0])
    assert "纪律检查委员会第一次全体会议" in minutes


def test_R_CAND_5_the_overview_opens_both_plenaries_and_rounds_go_to_their_own(town):
    tree, people = town
    election = planned(tree, people)
    congress_elects(election, people)
    chair = f.client_for(f.account("town", tree.town, "secretary"))
    overview = reverse("election_detail", args=[election.pk])
    text = chair.get(overview).content.decode()
    assert "召开委员会第一次全体会议" in text and "召开纪律检查委员会第一次全体会议" in text
    opened = chair.post(
        reverse("meeting_open", args=[election.pk]),
        {"kind": Meeting.Kind.DISCIPLINE_PLENARY, "held_on": TODAY.isoformat()},
    )
    commission = election.meetings.get(kind=Meeting.Kind.DISCIPLINE_PLENARY)
    assert opened.status_code == 302 and opened["Location"] == reverse("meeting_roll", args=[commission.pk])
    chair.post(reverse("meeting_open", args=[election.pk]), {"held_on": TODAY.isoformat()})
    committee_plenary = election.meetings.get(kind=Meeting.Kind.PLENARY)
    text = chair.get(overview).content.decode()
    assert "召开纪律检查委员会第一次全体会议" not in text and "召开委员会第一次全体会议" not in text
    # both plenaries open: a round goes to the plenary that elects its post
    for meeting, voters in ((commission, people[12:16]), (committee_plenary, people[:9])):
        actions.mark_present("town", meeting, [p.pk for p in voters])
        actions.close_roll("town", meeting)
        actions.adopt_procedure("town", meeting, "present", False, len(voters), counting_method=SINGLE_ENTRY)
        actions.appoint("town", meeting, voters[-1], "scrutineer")
        actions.appoint("town", meeting, voters[-2], "counter")
    secretary = election.contests.get(post=Post.DISCIPLINE_SECRETARY)
    chair.post(reverse("round_open", args=[secretary.pk]), {"issued": "4"})
    assert secretary.rounds.get().meeting_id == commission.pk
    committee_secretary = election.contests.get(post=Post.SECRETARY)
    chair.post(reverse("round_open", args=[committee_secretary.pk]), {"issued": "9"})
    assert committee_secretary.rounds.get().meeting_id == committee_plenary.pk
