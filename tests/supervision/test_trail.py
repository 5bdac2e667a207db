"""An election's audit trail for the upper level and inspectors: every record of the election, in
chain order, the chain verified, and nothing for members, organizers or outsiders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.counts import close_counted
from tests.elections.test_flow import NAMES, approve, contest, run_meeting
from xuanju.audit.models import AuditRecord
from xuanju.elections import actions
from xuanju.elections.models import Candidate, Meeting, Post, PublicNotice
from xuanju.supervision import trail

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def done():
    """A branch without a committee elects its secretary, with a candidates' notice and an
    anonymous objection, a scrutineer named by mistake and a mistyped ballot taken back."""
    tree = f.county_tree()
    small = f.org(tree.town, "中共西村支部委员会", "branch", "village")
    people = [f.member(small, name) for name in NAMES[:5]]
    small.refresh_from_db()
    other = actions.start_election("village", tree.village, TODAY, 0, 0, readiness="另一次选举")
    election = actions.start_election("small", small, TODAY, 0, 0, readiness="准备就绪")
    approve(actions.submit_plan("small", election))
    actions.set_candidate("small", contest(election, Post.SECRETARY), people[0], Candidate.Stage.PROVISIONAL)
    notice = actions.publish_notice("small", election, "预备人选：王芳", TODAY, TODAY)
    objection = actions.lodge_objection("member", notice, "请核实", anonymous=True)
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=TODAY - timedelta(days=7), ends_on=TODAY - timedelta(days=1)
    )
    actions.answer_objection("small", objection, "已核实")
    approve(actions.submit_candidates("small", election))
    election.refresh_from_db()
    meeting = run_meeting(election, people, Meeting.Kind.MEMBERS, people)
    wrong = actions.appoint("small", meeting, people[3], "scrutineer")
    actions.dismiss("small", wrong)
    actions.appoint("small", meeting, people[1], "scrutineer")
    actions.appoint("small", meeting, people[2], "counter")
    race = actions.open_round("small", contest(election, Post.SECRETARY), meeting, issued=5)
    key = race.candidates.get().key
    mistyped = actions.record_ballot("small", race, [], [key], [], count=1)
    actions.delete_ballot("scrutineer", mistyped, "录错了，按原票重录")
    actions.record_ballot("small", race, [key], [], [], count=5)
    close_counted(race, returned=5)
    actions.submit_results("small", election)
    accounts = {
        "town": f.account("town", tree.town, "org_department"),
        "inspector": f.account("inspector", tree.town, "inspector"),
        "organizer": f.account("small", small, "secretary"),
        "member": f.account("member", small, "member"),
        "outsider": f.account("school", tree.school_branch, "inspector"),
        "own_department": f.account("small-dept", small, "org_department"),
    }
    return election, other, accounts


def test_R_SUP_4_the_trail_lists_every_record_of_the_election_in_chain_order(done):
    election, other, _ = done
    records = list(trail.election_records(election))
    assert [r.pk for r in records] == sorted(r.pk for r in records)
    actions_seen = [r.action for r in records]
    for expected in (
        "start_election",
        "submit_plan",
        "decide",
        "set_candidate",
        "publish_notice",
        "answer_objection",
        "submit_candidates",
        "open_meeting",
        "mark_present",
        "close_roll",
        "adopt_procedure",
        "appoint",
        "dismiss",  # of a role since deleted
        "open_round",
        "record_ballot",
        "delete_ballot",  # of an entry since deleted
        "close_round",
        "submit_results",
    ):
        assert expected in actions_seen, expected
    assert actions_seen[0] == "start_election" and actions_seen[-1] == "submit_results"
    assert actions_seen.count("record_ballot") == 2
    # nothing of the other election
    theirs = {r.pk for r in trail.election_records(other)}
    assert theirs and not theirs & {r.pk for r in records}
    # every record that names this election's objects is listed: compare with a slow scan
    listed = {r.pk for r in records}
    for entry in AuditRecord.objects.filter(summary__contains="西村", object_type__startswith="elections."):
        assert entry.pk in listed


def test_R_SUP_4_the_page_shows_the_records_and_the_verified_chain(done):
    election, _, accounts = done
    for who in ("town", "inspector"):
        client = f.client_for(accounts[who])
        response = client.get(reverse("election_trail", args=[election.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "审计链完整" in page
        assert page.index("报送换届请示") < page.index("录入选票") < page.index("报送选举结果")
        assert "答复反映的问题" in page
        assert "marks_for" not in page  # the entries' content is not shown, only who did what


def test_R_SUP_1_the_anonymous_objection_enters_the_trail_with_its_answer_and_no_author(done):
    election, _, _ = done
    actions_seen = [r.action for r in trail.election_records(election)]
    assert "lodge_objection" not in actions_seen  # no time of day to match to the member's visit
    [answered] = [r for r in trail.election_records(election) if r.action == "answer_objection"]
    assert answered.content()["after"]["content"] == "请核实"
    assert "member" not in str(answered.content())


def test_the_trail_is_refused_to_members_organizers_and_outsiders(done):
    election, _, accounts = done
    url = reverse("election_trail", args=[election.pk])
    for who in ("organizer", "member", "outsider", "own_department"):
        client = Client()
        client.force_login(accounts[who])
        assert client.get(url).status_code == 403, who
    assert "/login/" in Client().get(url).url


def test_R_SUP_4_a_broken_chain_shows(done, monkeypatch):
    election, _, accounts = done
    from xuanju.audit.trail import ChainBreak, Verification

    broken = Verification(checked=3, broken=ChainBreak(4, "内容与其哈希值不符（这条记录被修改过）"))
    monkeypatch.setattr(trail, "verify_since", lambda: broken)
    page = (
        f.client_for(accounts["inspector"])
        .get(reverse("election_trail", args=[election.pk]))
        .content.decode()
    )
    assert "审计链在第 4 号记录处断开" in page


def _slow_scan(election):
    """The election's records found by reading every record of the chain in Python: the rule of
    election_records written out without its indexes and UNION."""
    from xuanju.counting.models import (
        BallotPrint,
        DeckRun,
        DeskEntry,
        MarkDoubt,
        ScanFile,
        ScanPage,
        SheetNote,
    )
    from xuanju.elections.models import (
        Approval,
        Attendance,
        BallotEntry,
        Contest,
        Elected,
        MeetingRole,
        Nomination,
        Objection,
        Round,
    )

    e = election.pk
    contests = set(Contest.objects.filter(election=e).values_list("pk", flat=True))
    notices = set(PublicNotice.objects.filter(election=e).values_list("pk", flat=True))
    meetings = set(Meeting.objects.filter(election=e).values_list("pk", flat=True))
    rounds = set(Round.objects.filter(contest__in=contests).values_list("pk", flat=True))
    owned = {  # label -> (ids of existing objects, snapshot key of the parent, parent ids)
        "elections.election": ({e}, "election_id", {e}),
        "elections.approval": (
            set(Approval.objects.filter(election=e).values_list("pk", flat=True)),
            "election_id",
            {e},
        ),
        "elections.contest": (contests, "election_id", {e}),
        "elections.candidate": (
            set(Candidate.objects.filter(contest__in=contests).values_list("pk", flat=True)),
            "contest_id",
            contests,
        ),
        "elections.nomination": (
            set(Nomination.objects.filter(contest__in=contests).values_list("pk", flat=True)),
            "contest_id",
            contests,
        ),
        "elections.publicnotice": (notices, "election_id", {e}),
        "elections.objection": (
            set(Objection.objects.filter(notice__in=notices).values_list("pk", flat=True)),
            "notice_id",
            notices,
        ),
        "elections.meeting": (meetings, "election_id", {e}),
        "elections.attendance": (
            set(Attendance.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
            "meeting_id",
            meetings,
        ),
        "elections.meetingrole": (
            set(MeetingRole.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
            "meeting_id",
            meetings,
        ),
        "elections.round": (rounds, "contest_id", contests),
        "elections.ballotentry": (
            set(BallotEntry.objects.filter(round__in=rounds).values_list("pk", flat=True)),
            "round_id",
            rounds,
        ),
        "elections.elected": (
            set(Elected.objects.filter(contest__in=contests).values_list("pk", flat=True)),
            "contest_id",
            contests,
        ),
    }
    for model in (BallotPrint, SheetNote, DeskEntry, ScanFile, ScanPage, DeckRun):
        ids = set(model.objects.filter(round__in=rounds).values_list("pk", flat=True))
        owned[model._meta.label_lower] = (ids, "round_id", rounds)
    doubts = set(MarkDoubt.objects.filter(page__round__in=rounds).values_list("pk", flat=True))
    pages = set(ScanPage.objects.filter(round__in=rounds).values_list("pk", flat=True))
    owned["counting.markdoubt"] = (doubts, "page_id", set())  # no page ids among the parents
    found = set()
    for r in AuditRecord.objects.all():
        before, after = r.before or {}, r.after or {}
        if r.object_type.startswith("supervision.") and not r.object_type.startswith("supervision.report"):
            if e in (before.get("election_id"), after.get("election_id")):
                found.add(r.pk)
            continue
        if r.object_type not in owned:
            continue
        ids, key, parents = owned[r.object_type]
        if (
            (r.object_id.isdigit() and int(r.object_id) in ids)
            or before.get(key) in parents
            or (key == "round_id" and after.get("round") in parents)
        ):
            found.add(r.pk)
    assert pages is not None
    return found


def test_R_SUP_4_the_union_of_indexed_queries_finds_what_a_scan_of_the_chain_finds(done):
    election, other, _ = done
    for which in (election, other):
        assert {r.pk for r in trail.election_records(which)} == _slow_scan(which)


def test_R_SUP_4_the_trail_is_paged_in_chain_order(done, monkeypatch):
    election, _, accounts = done
    monkeypatch.setattr(trail, "PAGE_SIZE", 5)
    records = [r.pk for r in trail.election_records(election)]
    assert len(records) > 10
    client = f.client_for(accounts["town"])
    url = reverse("election_trail", args=[election.pk])
    page = client.get(url + "?page=2").content.decode()
    shown = [pk for pk in records if f"<td>{pk}</td>" in page]
    assert shown == records[5:10]
    assert f"共 {len(records)} 条" in page and "下一页" in page and "上一页" in page


def test_the_trail_names_the_actors_in_one_query_whatever_the_page_size(done, monkeypatch):
    election, _, accounts = done
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuanju.accounts.models import User

    User.objects.filter(username="small").update(display_name="李书记")
    client = f.client_for(accounts["town"])
    url = reverse("election_trail", args=[election.pk])
    client.get(url)  # the first request walks the chain and stores a checkpoint
    counts = []
    for size in (3, 40):
        monkeypatch.setattr(trail, "PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts.append(len(queries))
        assert "李书记" in page
        assert (
            sum(
                1
                for q in queries
                if "accounts_user" in q["sql"] and "username" in q["sql"] and " IN " in q["sql"]
            )
            == 1
        )
    assert counts[0] == counts[1]
