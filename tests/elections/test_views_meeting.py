"""The meeting and results pages: who may use them, and a whole election through them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from tests.factories import client_for
from tests.worlds import built_once, kept_for_the_class
from xuanju.elections import actions, urls_meeting
from xuanju.elections.models import (
    Approval,
    BallotEntry,
    Candidate,
    Election,
    ElectionStatus,
    Meeting,
    Post,
    Round,
)
from xuanju.formats.election import parse_election, result_to_data
from xuanju.rules.names import sort_names
from xuanju.rules.tally import tally_round

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NAMES = f.VILLAGE_NAMES


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


def prepare(org, people, seats=5, candidates=6, deputies=1) -> Election:
    """An election of ``org`` up to the upper level's consent to the candidates (as test_flow)."""
    election = actions.start_election(
        "village", org, TODAY, seats, deputies, readiness="已完成述职和民主评议"
    )
    approve(actions.submit_plan("village", election))
    if seats:
        committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
        for person in people[:candidates]:
            actions.set_candidate(
                "village",
                committee,
                person,
                Candidate.Stage.PROVISIONAL,
                vetting="考察合格",
                profile=f"{person.name}，村党支部委员，群众基础好",
            )
    actions.set_candidate(
        "village", election.contests.get(post=Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL
    )
    if deputies:
        actions.set_candidate(
            "village",
            election.contests.get(post=Post.DEPUTY_SECRETARY),
            people[1],
            Candidate.Stage.PROVISIONAL,
        )
    approve(actions.submit_candidates("village", election))
    election.refresh_from_db()
    return election


@built_once
def village():
    return build_village()


def build_village():
    tree, people = f.village_due_for_reelection(TODAY)
    accounts = {
        "secretary": f.account("village", tree.village, "secretary"),
        "counter": f.account("counter", tree.village, "counter"),
        "scrutineer": f.account("scrutineer", tree.village, "scrutineer"),
        "member": f.account("member", tree.village, "member"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
        "town": f.account("town", tree.town, "org_department"),
    }
    return tree, people, accounts


def page(response) -> str:
    return response.content.decode()


def guidance_of(html: str) -> str:
    """The overview's next-step sentence for the plenary stage."""
    return html.split('id="plenary-guidance">')[1].split("</p>")[0]


def ballot(round_: Round, marks: dict[str, str], count: int = 1, **extra: str) -> dict:
    """POST data of the ballot form: every candidate abstains unless ``marks`` says otherwise."""
    keys = {c.member.name: c.key for c in round_.candidates.select_related("member")}
    data = {key: "abstain" for key in keys.values()}
    data.update({keys[name]: mark for name, mark in marks.items()})
    return data | {"count": str(count)} | extra


# --- who may use the pages ----------------------------------------------------------------


@pytest.fixture
def counted(village):
    return build_counted(village)


def build_counted(village):
    """A members' meeting with one closed round and one open round, built through the actions."""
    tree, people, accounts = village
    election = prepare(tree.village, people)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in people])
    actions.close_roll("village", meeting)
    actions.adopt_procedure("village", meeting, "present", False, votes_for=20, counting_method=SINGLE_ENTRY)
    actions.appoint("village", meeting, people[10], "scrutineer")
    role = actions.appoint("village", meeting, people[11], "counter")
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    first = actions.open_round("village", committee, meeting, issued=20)
    keys = [c.key for c in first.candidates.all()]
    actions.record_ballot("counter", first, keys[:3], [], [], count=15)
    actions.record_ballot("counter", first, keys[3:4], [], [], count=5)
    close_counted(first, returned=20)
    further = actions.open_round("village", committee, meeting, issued=20)
    entry = actions.record_ballot("counter", further, [], [], [], count=1)
    objects = {
        "election": election,
        "meeting": meeting,
        "contest": committee,
        "closed": first,
        "open": further,
        "entry": entry,
        "elected": committee.elected.first(),
        "role": role,
    }
    return objects, accounts


# route name -> (the object its argument is, the account that uses it, GET gives a page)
ROUTES = {
    "meeting_open": ("election", "secretary", False),
    "meeting_candidates": ("election", "member", True),
    "election_announcement": ("election", "member", True),
    "results_submit": ("election", "secretary", True),
    "meeting_detail": ("meeting", "member", True),
    "meeting_roll": ("meeting", "secretary", True),
    "meeting_exclude": ("meeting", "secretary", False),
    "meeting_roll_close": ("meeting", "secretary", False),
    "meeting_procedure": ("meeting", "secretary", True),
    "meeting_roles": ("meeting", "secretary", True),
    "role_dismiss": ("role", "secretary", False),
    "round_open": ("contest", "secretary", True),
    "round_entry": ("open", "counter", True),
    "round_close": ("open", "counter", False),
    "round_result": ("closed", "member", True),
    "round_export": ("closed", "member", True),
    "round_reduce_seats": ("closed", "secretary", False),
    "ballot_delete": ("entry", "counter", False),
    "ballot_confirm": ("entry", "scrutineer", False),
    "write_in_confirm": ("elected", "secretary", False),
}


def test_every_meeting_route_is_listed_here():
    names = {p.name for p in urls_meeting.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ROUTES)


class TestEveryRoute:
    """The route checks only read the world: it is built once for them all."""

    @pytest.fixture(scope="class")
    def counted(self, django_db_setup, django_db_blocker):
        with kept_for_the_class(django_db_blocker):
            yield build_counted(build_village())

    @pytest.mark.parametrize("name", sorted(ROUTES))
    def test_an_outsider_is_refused_and_the_right_role_gets_the_page(self, counted, name):
        objects, accounts = counted
        kind, role, has_page = ROUTES[name]
        url = reverse(name, args=[objects[kind].pk])
        outsider = client_for(accounts["outsider"])
        assert outsider.get(url).status_code in (403, 405), url
        assert outsider.post(url, {}).status_code == 403, url
        anonymous = Client().get(url)
        assert anonymous.status_code in (302, 405)
        if has_page:
            assert client_for(accounts[role]).get(url).status_code == 200, url


def test_R_SUP_1_a_plain_member_cannot_enter_or_see_ballots_and_counting_shows_no_roll(counted):
    objects, accounts = counted
    member = client_for(accounts["member"])
    round_ = objects["open"]
    before = BallotEntry.objects.count()
    assert member.get(reverse("round_entry", args=[round_.pk])).status_code == 403
    assert member.post(reverse("round_entry", args=[round_.pk]), ballot(round_, {})).status_code == 403
    assert member.post(reverse("round_close", args=[round_.pk]), {"returned": "1"}).status_code == 403
    assert member.post(reverse("ballot_delete", args=[objects["entry"].pk])).status_code == 403
    assert member.post(reverse("meeting_roll", args=[objects["meeting"].pk]), {"all": "1"}).status_code == 403
    assert BallotEntry.objects.count() == before
    # the counting desk names candidates and counts, never who attended (R-SUP-1)
    desk = page(client_for(accounts["counter"]).get(reverse("round_entry", args=[round_.pk])))
    assert "点名" not in desk and "到会情况" not in desk
    assert "赵磊" not in desk  # present, but neither a candidate of this round nor written in


# --- the whole election through the pages -------------------------------------------------


def test_R_MEET_1_R_MEET_2_R_MEET_3_R_MEET_4_R_BAL_2_R_CNT_4_R_RPT_3_an_election_through_the_pages(village):
    tree, people, accounts = village
    election = prepare(tree.village, people)
    chair, counter = client_for(accounts["secretary"]), client_for(accounts["counter"])
    scrutineer = client_for(accounts["scrutineer"])
    overview = reverse("election_detail", args=[election.pk])
    assert "召开党员大会" in page(chair.get(overview))

    response = chair.post(reverse("meeting_open", args=[election.pk]), {"held_on": TODAY.isoformat()})
    meeting = election.meetings.get()
    assert response.url == reverse("meeting_roll", args=[meeting.pk])

    # roll call: 16 of 20 is not more than 4/5 (R-MEET-1)
    roll = reverse("meeting_roll", args=[meeting.pk])
    chair.post(roll, {"present": [p.pk for p in people[:16]]})
    shown = page(chair.get(roll))
    assert "至少须到 <b>17</b> 人" in shown and "未超过五分之四" in shown
    refused = page(
        chair.post(reverse("meeting_roll_close", args=[meeting.pk]), {"confirm": "1"}, follow=True)
    )
    assert "R-MEET-1" in refused and "至少须到17人" in refused
    meeting.refresh_from_db()
    assert not meeting.roll_closed

    # one member abroad, left out with consent and the meeting's approval (R-MEET-2)
    exclude = reverse("meeting_exclude", args=[meeting.pk])
    no_consent = chair.post(exclude, {"member": people[19].pk, "reason": "abroad", "consent": ""})
    assert no_consent.status_code == 200 and "errorlist" in page(no_consent)
    chair.post(exclude, {"member": people[19].pk, "reason": "abroad", "consent": "镇党委同意，大会通过"})
    assert "出国半年以上" in page(chair.get(roll))
    chair.post(roll, {"all": "1"})
    asked = page(chair.post(reverse("meeting_roll_close", args=[meeting.pk])))  # asked once more
    assert "请确认：结束点名" in asked and 'name="confirm" value="1"' in asked
    assert not Meeting.objects.get(pk=meeting.pk).roll_closed
    chair.post(reverse("meeting_roll_close", args=[meeting.pk]), {"confirm": "1"})
    meeting.refresh_from_db()
    assert (meeting.roll_closed, meeting.entitled, meeting.present) == (True, 19, 19)

    # the procedure needs more than half of those present (R-MEET-3)
    procedure = reverse("meeting_procedure", args=[meeting.pk])
    too_few = chair.post(procedure, {"majority_base": "present", "votes_for": "9"})
    assert "过半数" in page(too_few)
    chair.post(procedure, {"majority_base": "present", "votes_for": "19", "counting_method": "single_entry"})
    meeting.refresh_from_db()
    assert meeting.counting_method == "single_entry"
    assert meeting.procedure_adopted and meeting.procedure_votes == "到会19人，19人赞成"

    # a candidate cannot be a scrutineer (R-MEET-4): shown as not selectable, and refused
    roles = reverse("meeting_roles", args=[meeting.pk])
    assert "王芳（中共东村支部委员会）——候选人，不能担任" in page(chair.get(roles))
    refused = chair.post(roles, {"member": people[0].pk, "role": "scrutineer"})
    assert "R-MEET-4" in page(refused) and not meeting.roles.exists()
    chair.post(roles, {"member": people[10].pk, "role": "chief_scrutineer"})
    chair.post(roles, {"member": people[11].pk, "role": "counter"})
    assert meeting.roles.count() == 2

    # the candidates are introduced before the vote (R-MEET-5)
    intro = page(client_for(accounts["member"]).get(reverse("meeting_candidates", args=[election.pk])))
    assert "陈静，村党支部委员，群众基础好" in intro and "考察合格" in intro

    # the first round: every candidate, 19 ballots
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    open_url = reverse("round_open", args=[committee.pk])
    assert "正式选举" in page(chair.get(open_url))
    assert "R-BAL-5" in page(chair.post(open_url, {"issued": "20"}))  # more than are present
    response = chair.post(open_url, {"issued": "19"})
    first = committee.rounds.get()
    assert response.url == reverse("round_entry", args=[first.pk])
    desk = reverse("round_entry", args=[first.pk])

    # a write-in without an against-mark is refused with the reason, and nothing is saved (R-BAL-2)
    bad = counter.post(desk, ballot(first, {"王芳": "for"}, write_in_1="赵六"))
    assert bad.status_code == 200 and "R-BAL-2" in page(bad)
    assert not first.ballots.exists()

    # a mistyped entry is deleted while the round is open: by a scrutineer, with the reason, after
    # one more confirmation; never by a counter (R-MEET-4)
    counter.post(desk, ballot(first, {"王芳": "for"}))
    mistake = first.ballots.get()
    delete = reverse("ballot_delete", args=[mistake.pk])
    refused = page(counter.post(delete, {"reason": "录错了", "confirm": "1"}, follow=True))
    assert "只有监票人才能删除已录入的选票" in refused and first.ballots.exists()
    asked = page(scrutineer.post(delete, {"reason": "录错了"}))
    assert "请确认：删除这条录入" in asked and "录错了" in asked and first.ballots.exists()
    scrutineer.post(delete, {"reason": "录错了", "confirm": "1"})
    assert not first.ballots.exists()

    # groups of identical ballots: every ballot elects 王芳 and 李强 and three of the other four,
    # 张伟 16, 刘洋 15, 陈静 13, 杨帆 13 -- 陈静 and 杨帆 tie for the fifth seat (R-CNT-4)
    others = ["张伟", "刘洋", "陈静", "杨帆"]
    for left_out, count in (("张伟", 3), ("刘洋", 4), ("陈静", 6), ("杨帆", 6)):
        marks = {"王芳": "for", "李强": "for"} | {n: "for" for n in others if n != left_out}
        counter.post(desk, ballot(first, marks | {left_out: "against"}, count=count))
    assert sum(first.ballots.values_list("count", flat=True)) == 19
    running = page(counter.get(desk))
    assert "当前得票" in running and "有效 19 张" in running
    assert "还有 4 条单人录入没有经监票人确认" in running  # the close page lists what blocks it

    close = reverse("round_close", args=[first.pk])
    refused = page(counter.post(close, {"returned": "19", "confirm": "1"}))
    assert "只有监票人才能结束计票" in refused and not Round.objects.get(pk=first.pk).closed
    unconfirmed = page(scrutineer.post(close, {"returned": "19"}))
    assert "还有 4 条单人录入没有经监票人确认" in unconfirmed
    for entry in first.ballots.all():
        scrutineer.post(reverse("ballot_confirm", args=[entry.pk]))
    assert not first.ballots.filter(confirmed_by="").exists()
    wrong = scrutineer.post(close, {"returned": "18"})
    assert wrong.status_code == 200 and "与收回的 18 张不符" in page(wrong)
    asked = page(scrutineer.post(close, {"returned": "19"}))
    assert "请确认：结束第1轮计票" in asked and not Round.objects.get(pk=first.pk).closed
    done = scrutineer.post(close, {"returned": "19", "confirm": "1"})
    assert done.url == reverse("round_result", args=[first.pk])
    first.refresh_from_db()
    assert first.closed and first.result["status"] == "tie_revote_needed"

    result = page(chair.get(reverse("round_result", args=[first.pk])))
    assert "得票相等，须再次投票" in result and "R-CNT-4" in result
    assert "至少 10 票" in result and "须再次投票" in result

    # the revote, opened from the result page's form
    chair.post(open_url, {"issued": "19"})
    revote = committee.rounds.get(number=2)
    assert revote.kind == "tie_revote" and revote.seats == 1
    desk = reverse("round_entry", args=[revote.pk])
    counter.post(desk, ballot(revote, {"陈静": "for"}, count=10))
    counter.post(desk, ballot(revote, {"杨帆": "for"}, count=8))
    void = counter.post(desk, ballot(revote, {}, void="on", void_reason=""))
    assert "请写明废票原因" in page(void)
    counter.post(desk, ballot(revote, {"杨帆": "for"}, void="on", void_reason="有识别投票人的记号"))
    assert revote.ballots.filter(void_reason="有识别投票人的记号", marks_for=[]).exists()
    for entry in revote.ballots.all():
        scrutineer.post(reverse("ballot_confirm", args=[entry.pk]))
    scrutineer.post(reverse("round_close", args=[revote.pk]), {"returned": "19", "confirm": "1"})
    election.refresh_from_db()
    assert election.status == ElectionStatus.PLENARY

    # the announcement lists the elected of the contest in stroke order with their votes (R-CNT-7)
    shown = page(client_for(accounts["member"]).get(reverse("election_announcement", args=[election.pk])))
    elected = sort_names(["王芳", "李强", "张伟", "刘洋", "陈静"])
    positions = [shown.index(f'<span class="announce-name">{name}</span>') for name in elected]
    assert positions == sorted(positions)
    assert "16 票" in shown and "10 票" in shown

    # the first plenary elects the secretary and the deputy (R-CAND-5, R-CAND-3)
    assert "召开委员会第一次全体会议" in page(chair.get(overview))
    response = chair.post(reverse("meeting_open", args=[election.pk]), {"held_on": TODAY.isoformat()})
    plenary = election.meetings.get(kind=Meeting.Kind.PLENARY)
    assert response.url == reverse("meeting_roll", args=[plenary.pk])
    chair.post(reverse("meeting_roll", args=[plenary.pk]), {"all": "1"})
    chair.post(reverse("meeting_roll_close", args=[plenary.pk]), {"confirm": "1"})
    chair.post(
        reverse("meeting_procedure", args=[plenary.pk]),
        {"majority_base": "present", "votes_for": "5", "counting_method": "single_entry"},
    )
    by_name = {p.name: p for p in people}
    chair.post(
        reverse("meeting_roles", args=[plenary.pk]), {"member": by_name["张伟"].pk, "role": "scrutineer"}
    )
    chair.post(reverse("meeting_roles", args=[plenary.pk]), {"member": by_name["刘洋"].pk, "role": "counter"})
    for post, name in ((Post.SECRETARY, "王芳"), (Post.DEPUTY_SECRETARY, "李强")):
        race = election.contests.get(post=post)
        chair.post(reverse("round_open", args=[race.pk]), {"issued": "5"})
        round_ = race.rounds.get()
        assert round_.meeting == plenary
        counter.post(reverse("round_entry", args=[round_.pk]), ballot(round_, {name: "for"}, count=5))
        scrutineer.post(reverse("ballot_confirm", args=[round_.ballots.get().pk]))
        scrutineer.post(reverse("round_close", args=[round_.pk]), {"returned": "5", "confirm": "1"})
        round_.refresh_from_db()
        assert round_.result["elected"] == [round_.candidates.get().key]
        guidance = guidance_of(page(chair.get(overview)))
        if post == Post.SECRETARY:  # the guidance names only what the plenary still elects
            assert "选举副书记" in guidance and "书记、副书记" not in guidance
    # once the plenary has elected everyone, the page no longer says it is voting
    guidance = guidance_of(page(chair.get(overview)))
    assert "已经选出" in guidance and "报送选举结果" in guidance and "选举副书记" not in guidance
    steps = page(chair.get(overview)).split('<ol class="steps">')[1].split("</ol>")[0]
    assert '<li class="done"><b>选举书记、副书记</b>' in steps
    # the title names the month the meeting was held
    assert f"换届选举（{TODAY.year}年{TODAY.month}月）" in str(Election.objects.get(pk=election.pk))

    # the results go to the upper level (R-RPT-3)
    submit = reverse("results_submit", args=[election.pk])
    assert "报送选举结果" in page(chair.get(overview))
    assert "已选满" in page(chair.get(submit))
    assert chair.post(submit).url == overview
    election.refresh_from_db()
    assert election.status == ElectionStatus.RESULTS_SUBMITTED
    pending = election.approvals.get(kind=Approval.Kind.RESULTS, decision=Approval.Decision.PENDING)
    try:
        decide = reverse("approval_decide", args=[pending.pk])
    except NoReverseMatch:  # the preparation pages may not be there yet
        decide = None
    upper = page(client_for(accounts["town"]).get(overview))
    if decide:
        assert decide in upper
    assert decide is None or decide not in page(chair.get(overview))


def test_R_CNT_7_the_export_re_tallies_to_the_stored_result(counted):
    objects, accounts = counted
    round_ = objects["closed"]
    response = client_for(accounts["member"]).get(reverse("round_export", args=[round_.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="round-{round_.pk}.json"'
    text = response.content.decode()
    assert json.loads(text)["format"] == "xuanju.election/1"
    parsed = parse_election(text)
    round_.refresh_from_db()
    assert result_to_data(parsed, tally_round(parsed)) == round_.result
    # an open round is only for the counters
    still_open = reverse("round_export", args=[objects["open"].pk])
    assert client_for(accounts["member"]).get(still_open).status_code == 403
    assert client_for(accounts["counter"]).get(still_open).status_code == 200


def test_R_CNT_5_the_result_page_offers_a_further_election_or_a_consented_reduction(counted):
    objects, accounts = counted
    chair = client_for(accounts["secretary"])
    first = objects["closed"]
    result = page(chair.get(reverse("round_result", args=[first.pk])))
    assert "当选人数不足应选人数" in result
    # the further round is already open, so the first round's page offers nothing more
    assert "下一步" not in result and "减少名额，不再选举" not in result
    further = objects["open"]
    BallotEntry.objects.filter(round=further).delete()
    actions.record_ballot("counter", further, [], [], [], count=20)
    close_counted(further, returned=20)
    url = reverse("round_reduce_seats", args=[further.pk])
    offered = page(chair.get(reverse("round_result", args=[further.pk])))
    assert "减少名额，不再选举" in offered and "半数以上（含半数）" in offered and "至少 10 人" in offered
    assert "主席团" not in offered  # a members' meeting has no presidium
    refused = chair.post(url, {"consenting": "9"})
    assert refused.status_code == 200 and "R-CNT-5" in page(refused)
    chair.post(url, {"consenting": "10"})  # 10 of 20: 半数以上 includes half
    objects["election"].refresh_from_db()
    assert objects["election"].status == ElectionStatus.PLENARY


def test_R_CAND_5_R_CNT_2_a_branch_without_committee_elects_its_secretary_at_the_members_meeting(village):
    tree, _, _ = village
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    people = [f.member(small, name) for name in ("丁一", "王二", "李三", "张四", "陈五")]
    small.refresh_from_db()
    election = prepare(small, people, seats=0)
    assert not election.has_committee
    chair = client_for(f.account("west", small, "secretary"))
    scrutineer = client_for(f.account("west-scrutineer", small, "scrutineer"))
    overview = reverse("election_detail", args=[election.pk])
    assert "不设委员会的支部没有全体会议" in page(chair.get(overview))
    chair.post(reverse("meeting_open", args=[election.pk]), {"held_on": TODAY.isoformat()})
    meeting = election.meetings.get()
    chair.post(reverse("meeting_roll", args=[meeting.pk]), {"all": "1"})
    chair.post(reverse("meeting_roll_close", args=[meeting.pk]), {"confirm": "1"})
    chair.post(
        reverse("meeting_procedure", args=[meeting.pk]),
        {"majority_base": "present", "votes_for": "5", "counting_method": "single_entry"},
    )
    chair.post(reverse("meeting_roles", args=[meeting.pk]), {"member": people[2].pk, "role": "scrutineer"})
    chair.post(reverse("meeting_roles", args=[meeting.pk]), {"member": people[3].pk, "role": "counter"})
    assert "开始投票" in page(chair.get(reverse("meeting_detail", args=[meeting.pk])))

    # the voters write in 陈五 for secretary against the candidate: elected, then confirmed (R-CNT-2)
    secretary = election.contests.get(post=Post.SECRETARY)
    chair.post(reverse("round_open", args=[secretary.pk]), {"issued": "5"})
    round_ = secretary.rounds.get()
    chair.post(
        reverse("round_entry", args=[round_.pk]),
        ballot(round_, {"丁一": "against"}, count=5, write_in_1="陈五"),
    )
    # the chair entered, so may not close this round: a scrutineer confirms and closes (R-MEET-4)
    assert "您在第1轮录入过选票" in page(
        chair.post(reverse("round_close", args=[round_.pk]), {"returned": "5"})
    )
    scrutineer.post(reverse("ballot_confirm", args=[round_.ballots.get().pk]))
    scrutineer.post(reverse("round_close", args=[round_.pk]), {"returned": "5", "confirm": "1"})
    elected = secretary.elected.get()
    assert elected.member is None and elected.write_in_name == "陈五"
    result = page(chair.get(reverse("round_result", args=[round_.pk])))
    assert "确认另选他人当选者" in result
    chair.post(reverse("write_in_confirm", args=[elected.pk]), {"member": people[4].pk})
    elected.refresh_from_db()
    assert elected.member == people[4]

    deputy = election.contests.get(post=Post.DEPUTY_SECRETARY)
    chair.post(reverse("round_open", args=[deputy.pk]), {"issued": "5"})
    round_ = deputy.rounds.get()
    chair.post(reverse("round_entry", args=[round_.pk]), ballot(round_, {"王二": "for"}, count=5))
    scrutineer.post(reverse("ballot_confirm", args=[round_.ballots.get().pk]))
    scrutineer.post(reverse("round_close", args=[round_.pk]), {"returned": "5", "confirm": "1"})
    election.refresh_from_db()
    assert election.status == ElectionStatus.MEETING
    assert "报送选举结果" in page(chair.get(overview))
    chair.post(reverse("results_submit", args=[election.pk]))
    election.refresh_from_db()
    assert election.status == ElectionStatus.RESULTS_SUBMITTED


def test_R_MEET_5_the_candidates_profiles_are_shown_to_whoever_reads_the_organization(counted):
    objects, accounts = counted
    url = reverse("meeting_candidates", args=[objects["election"].pk])
    shown = page(client_for(accounts["member"]).get(url))
    assert "王芳，村党支部委员，群众基础好" in shown and "考察合格" in shown
    assert client_for(accounts["outsider"]).get(url).status_code == 403


def test_R_BAL_5_R_CNT_8_the_procedure_page_adopts_and_shows_the_counting_parameters(village):
    tree, people, accounts = village
    election = prepare(tree.village, people)
    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, TODAY)
    actions.mark_present("village", meeting, [p.pk for p in people])
    actions.close_roll("village", meeting)
    chair = client_for(accounts["secretary"])
    url = reverse("meeting_procedure", args=[meeting.pk])
    form = page(chair.get(url))
    assert "从严：发出选票多于实到会人数的，本轮选举无效" in form
    assert "预选" not in form  # a members' meeting holds no pre-election
    chair.post(url, {"majority_base": "present", "votes_for": "20", "issued_over_present_voids": "on"})
    meeting.refresh_from_db()
    assert meeting.procedure_adopted and meeting.issued_over_present_voids
    assert "发出选票多于到会人数的，本轮无效" in page(chair.get(url))
    chair.post(url, {"majority_base": "present", "votes_for": "20"})
    meeting.refresh_from_db()
    assert not meeting.issued_over_present_voids  # the default: a staff error to correct
    assert "作为工作差错收回登记" in page(chair.get(url))
