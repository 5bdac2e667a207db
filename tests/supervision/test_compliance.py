"""The compliance view: one election (or organization) of each kind of finding, each with its rule
ID and links; the scope of inspectors and organization departments; the .xlsx export; the
number of queries not growing with the county."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories as f
from xuanju.elections.models import (
    Approval,
    Candidate,
    Contest,
    Election,
    ElectionStatus,
    Meeting,
    Objection,
    Post,
    PublicNotice,
    Round,
)
from xuanju.supervision import compliance
from xuanju.supervision.compliance import Kind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROUTES = ["compliance", "compliance_export", "election_trail"]


def election(org, status, **extra) -> Election:
    data = {"has_committee": True, "committee_seats": 5, "term_years": 3, "planned_on": TODAY} | extra
    return Election.objects.create(organization=org, status=status, **data)


def approval(e: Election, kind: str, submitted_on, decided_on=None) -> Approval:
    return Approval.objects.create(
        election=e,
        kind=kind,
        submitted_on=submitted_on,
        submitted_by="x",
        content={},
        decision=Approval.Decision.APPROVED if decided_on else Approval.Decision.PENDING,
        decided_on=decided_on,
    )


def slate(contest: Contest, people: int) -> None:
    for _ in range(people):
        Candidate.objects.create(
            contest=contest, member=f.member(contest.election.organization), stage=Candidate.Stage.CANDIDATE
        )


class County:
    """Town A with one branch per finding, and town B with an overdue branch of its own."""

    def __init__(self) -> None:
        tree = f.county_tree()
        self.tree, self.town = tree, tree.town
        self.other_town = f.org(tree.county, "中共西乡镇委员会", "party_committee", "township")
        branch = {n: f.org(self.town, f"中共东乡第{n}支部委员会", "branch") for n in range(1, 9)}
        self.branch = branch
        # 1 overdue (R-TERM-2): a 3-year term that ended about a year ago
        f.committee(branch[1], TODAY - timedelta(days=4 * 365))
        # 2 plan requested after the term ended (R-TERM-2): also overdue
        f.committee(branch[2], TODAY - timedelta(days=4 * 365))
        self.plan_late = election(branch[2], ElectionStatus.PLAN_SUBMITTED)
        self.plan = approval(self.plan_late, Approval.Kind.PLAN, TODAY - timedelta(days=30))
        # 3 members' meeting before the candidates' consent (R-RPT-4)
        self.early = election(branch[3], ElectionStatus.MEETING)
        approval(self.early, Approval.Kind.CANDIDATES, TODAY - timedelta(days=9), TODAY - timedelta(days=3))
        self.early_meeting = Meeting.objects.create(
            election=self.early, kind=Meeting.Kind.MEMBERS, held_on=TODAY - timedelta(days=5)
        )
        # 4 results reported 35 days after the meeting (R-RPT-3)
        self.late = election(branch[4], ElectionStatus.RESULTS_SUBMITTED)
        approval(self.late, Approval.Kind.CANDIDATES, TODAY - timedelta(days=50), TODAY - timedelta(days=45))
        Meeting.objects.create(
            election=self.late, kind=Meeting.Kind.MEMBERS, held_on=TODAY - timedelta(days=40)
        )
        approval(self.late, Approval.Kind.RESULTS, TODAY - timedelta(days=5))
        # 5 a slate without the surplus (R-CAND-2) and a secretary without a candidate (R-CAND-3)
        self.short = election(branch[5], ElectionStatus.CANDIDATES_APPROVED)
        slate(Contest.objects.create(election=self.short, post=Post.COMMITTEE_MEMBER, seats=5), 5)
        Contest.objects.create(election=self.short, post=Post.SECRETARY, seats=1, position=1)
        # 6 a quorum failure (R-MEET-1), a void round (R-BAL-5) and an unanswered results objection
        self.voting = election(branch[6], ElectionStatus.MEETING)
        approval(self.voting, Approval.Kind.CANDIDATES, TODAY - timedelta(days=4), TODAY - timedelta(days=2))
        meeting = Meeting.objects.create(
            election=self.voting, kind=Meeting.Kind.MEMBERS, held_on=TODAY, entitled=20, present=16
        )
        self.meeting = meeting
        contest = Contest.objects.create(election=self.voting, post=Post.SECRETARY, seats=1)
        slate(contest, 2)
        self.invalid = Round.objects.create(
            contest=contest, meeting=meeting, number=1, kind="regular", seats=1, closed=True,
            result={"format": "xuanju.result/1", "status": "meeting_invalid"},
        )  # fmt: skip
        self.void = Round.objects.create(
            contest=contest, meeting=meeting, number=2, kind="regular", seats=1, issued=10, returned=11,
            closed=True, result={"status": "round_void", "ballots": {"issued": 10, "returned": 11}},
        )  # fmt: skip
        results = PublicNotice.objects.create(
            election=self.voting,
            kind="results",
            body="结果",
            starts_on=TODAY,
            ends_on=TODAY,
            published_by="x",
        )
        Objection.objects.create(notice=results, content="计票有误", lodged_on=TODAY)
        # 7 an unanswered objection to the candidates' notice (R-RPT-2)
        self.listing = election(branch[7], ElectionStatus.PLAN_APPROVED)
        notice = PublicNotice.objects.create(
            election=self.listing, body="初步人选", starts_on=TODAY, ends_on=TODAY, published_by="x"
        )
        Objection.objects.create(notice=notice, content="请核实", lodged_on=TODAY)
        Objection.objects.create(
            notice=notice, content="已答复", lodged_on=TODAY, answered_on=TODAY, answer="好"
        )
        # 8 an open misconduct report (R-SUP-2)
        self.reported = election(branch[8], ElectionStatus.PLAN_APPROVED)
        self.reporter = f.account("reporter", branch[8], "member")
        self.report = self.open_report(branch[8], self.reported)
        # town B: an overdue branch the town A accounts must not see
        self.far = f.org(self.other_town, "中共西乡第一支部委员会", "branch")
        f.committee(self.far, TODAY - timedelta(days=4 * 365))
        self.inspector = f.account("inspector-a", self.town, "inspector")
        self.department = f.account("department-a", self.town, "org_department")
        self.inspector_b = f.account("inspector-b", self.other_town, "inspector")
        self.county_inspector = f.account("inspector-county", tree.county, "inspector")

    def open_report(self, org, e):
        from xuanju.supervision.models import Report

        return Report.objects.create(
            organization=org,
            election=e,
            handled_by=self.town,
            category="canvassing",
            content="有人拉票",
            received_on=TODAY - timedelta(days=2),
            reporter=self.reporter,
        )


@pytest.fixture
def county() -> County:
    return County()


def by_kind(found: compliance.Findings) -> dict[Kind, list[compliance.Item]]:
    grouped: dict[Kind, list[compliance.Item]] = {k: [] for k in Kind}
    for item in found.items:
        grouped[item.kind].append(item)
    return grouped


def test_R_TERM_2_R_RPT_3_R_RPT_4_R_SUP_2_one_item_of_each_kind_with_its_rule_and_links(county):
    found = compliance.findings(county.inspector, TODAY)
    items = by_kind(found)
    assert {i.organization_id for i in items[Kind.OVERDUE]} == {county.branch[1].pk, county.branch[2].pk}
    assert all(i.rule == "R-TERM-2" and "已逾期" in i.explanation for i in items[Kind.OVERDUE])
    overdue_2 = next(i for i in items[Kind.OVERDUE] if i.organization_id == county.branch[2].pk)
    assert overdue_2.election_id == county.plan_late.pk  # the open election is linked
    assert "换届选举正在进行" in overdue_2.explanation

    [late_plan] = items[Kind.PLAN_LATE]
    assert late_plan.election_id == county.plan_late.pk and late_plan.rule == "R-TERM-2"
    assert reverse("election_request", args=[county.plan.pk]) in [link.url for link in late_plan.links]

    [early] = items[Kind.MEETING_BEFORE_APPROVAL]
    assert early.rule == "R-RPT-4" and early.election_id == county.early.pk
    assert reverse("meeting_detail", args=[county.early_meeting.pk]) in [link.url for link in early.links]
    assert "早于上级同意候选人预备人选的批复日期" in early.explanation

    [late] = items[Kind.RESULTS_LATE]
    assert late.rule == "R-RPT-3" and late.election_id == county.late.pk and "间隔35天" in late.explanation

    [report] = items[Kind.OPEN_REPORT]
    assert report.rule == "R-SUP-2" and report.election_id == county.reported.pk
    assert "有人拉票" not in report.explanation  # never the content

    assert found.counts == {k: len(v) for k, v in items.items()}
    for item in found.items:
        assert item.rule in item.explanation
        if item.election_id:
            assert reverse("election_detail", args=[item.election_id]) in [link.url for link in item.links]


def test_R_CAND_2_R_CAND_3_short_slates_are_the_rules_verdict(county):
    items = by_kind(compliance.findings(county.inspector, TODAY, Kind.SURPLUS_LOW))
    short = items[Kind.SURPLUS_LOW]
    assert sorted(i.rule for i in short) == ["R-CAND-2", "R-CAND-3"]
    assert all(i.election_id == county.short.pk for i in short)
    committee = next(i for i in short if i.rule == "R-CAND-2")
    assert "应选5人，候选人5人" in committee.explanation and "至少6人" in committee.explanation
    assert reverse("election_candidates", args=[county.short.pk]) in [link.url for link in committee.links]
    assert items[Kind.OVERDUE] == []  # the kind filter keeps the others out of the list


def test_R_MEET_1_R_BAL_5_invalid_and_void_rounds_link_to_their_results(county):
    items = by_kind(compliance.findings(county.inspector, TODAY))
    [quorum] = items[Kind.QUORUM_FAILED]
    [void] = items[Kind.ROUND_VOID]
    assert (
        quorum.rule == "R-MEET-1"
        and "实到会16人" in quorum.explanation
        and "应到会20人" in quorum.explanation
    )
    assert void.rule == "R-BAL-5" and "收回选票11张" in void.explanation
    assert reverse("round_result", args=[county.invalid.pk]) in [link.url for link in quorum.links]
    assert reverse("round_result", args=[county.void.pk]) in [link.url for link in void.links]
    assert reverse("meeting_detail", args=[county.meeting.pk]) in [link.url for link in void.links]


def test_R_RPT_2_R_RPT_3_unanswered_objections_are_listed_per_election_and_notice(county):
    items = by_kind(compliance.findings(county.inspector, TODAY))[Kind.OPEN_OBJECTION]
    rules = {i.election_id: i.rule for i in items}
    assert rules == {county.listing.pk: "R-RPT-2", county.voting.pk: "R-RPT-3"}
    listing = next(i for i in items if i.election_id == county.listing.pk)
    assert "1个问题尚未答复" in listing.explanation  # the answered one is not counted
    assert reverse("election_notices", args=[county.listing.pk]) in [link.url for link in listing.links]


def test_scope_an_inspector_of_one_town_sees_nothing_of_another(county):
    mine = compliance.findings(county.inspector, TODAY)
    assert county.far.pk not in {i.organization_id for i in mine.items}
    theirs = compliance.findings(county.inspector_b, TODAY)
    assert [(i.kind, i.organization_id) for i in theirs.items] == [(Kind.OVERDUE, county.far.pk)]
    everyone = compliance.findings(county.county_inspector, TODAY)
    assert county.far.pk in {i.organization_id for i in everyone.items}
    # the organization department oversees the branches beneath it, but misconduct reports go to
    # the inspectors (R-SUP-2)
    department = compliance.findings(county.department, TODAY)
    assert department.counts[Kind.OPEN_REPORT] == 0
    assert department.counts[Kind.OVERDUE] == 2
    # the subtree filter
    narrowed = compliance.findings(county.county_inspector, TODAY, root=county.other_town)
    assert {i.organization_id for i in narrowed.items} == {county.far.pk}


def test_the_page_shows_counts_and_filters_and_refuses_a_subtree_out_of_reach(county):
    client = f.client_for(county.inspector)
    page = client.get(reverse("compliance")).content.decode()
    assert "逾期未换届" in page and "R-MEET-1" in page and "R-BAL-5" in page
    assert 'data-kind="overdue"' in page
    filtered = client.get(reverse("compliance"), {"kind": "round_void"}).content.decode()
    assert "R-BAL-5" in filtered and "R-MEET-1（" not in filtered.split("<tbody>")[1]
    assert client.get(reverse("compliance"), {"org": county.other_town.pk}).status_code == 403
    assert client.get(reverse("compliance"), {"org": county.branch[6].pk}).status_code == 200


def test_the_subtree_filter_offers_the_organizations_escaped_with_the_chosen_one_selected(county):
    from xuanju.organizations.models import Organization

    Organization.objects.filter(pk=county.town.pk).update(name="<b>甲镇</b>党委")
    client = f.client_for(county.county_inspector)
    page = client.get(reverse("compliance"), {"org": county.town.pk}).content.decode()
    select = page.split('name="org"')[1].split("</select>")[0]
    assert f'<option value="{county.town.pk}" selected>&lt;b&gt;甲镇&lt;/b&gt;党委</option>' in select
    assert select.count(" selected") == 1


def test_the_xlsx_export_has_the_same_rows(county):
    client = f.client_for(county.inspector)
    response = client.get(reverse("compliance_export"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert [c.value for c in sheet[2]] == ["类型", "党组织", "换届选举", "日期", "规则", "说明", "链接"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    found = compliance.findings(county.inspector, TODAY)
    assert len(rows) == len(found.items) > 8
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [
        (i.kind_text, i.organization_name, i.rule, i.explanation) for i in found.items
    ]
    assert any(r[2] == f"http://testserver/elections/{county.voting.pk}/" for r in rows)
    links = [line for r in rows if r[6] for line in r[6].split("\n")]
    assert links and all("：http://testserver/" in line for line in links)
    assert sheet.freeze_panes == "A3" and sheet["A1"].font.b and sheet["A2"].font.b
    dated = [row[3] for row in sheet.iter_rows(min_row=3) if row[3].value is not None]
    assert dated and all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)
    only_void = client.get(reverse("compliance_export"), {"kind": "round_void"})
    sheet = load_workbook(io.BytesIO(b"".join(only_void.streaming_content))).active
    assert [row[4].value for row in sheet.iter_rows(min_row=3)] == ["R-BAL-5"]


def test_the_number_of_queries_does_not_grow_with_the_county(county, django_assert_max_num_queries):
    client = f.client_for(county.county_inspector)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("compliance")).status_code == 200
    for n in range(30):  # thirty more branches, each overdue, with an election and a void round
        org = f.org(county.town, f"中共东乡增设第{n}支部委员会", "branch")
        f.committee(org, TODAY - timedelta(days=4 * 365))
        e = election(org, ElectionStatus.MEETING)
        meeting = Meeting.objects.create(election=e, kind=Meeting.Kind.MEMBERS, held_on=TODAY)
        contest = Contest.objects.create(election=e, post=Post.SECRETARY, seats=1)
        slate(contest, 2)
        approval(e, Approval.Kind.CANDIDATES, TODAY, TODAY)
        Round.objects.create(
            contest=contest,
            meeting=meeting,
            number=1,
            kind="regular",
            seats=1,
            result={"status": "round_void"},
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("compliance"))
    assert "第 1 / 2 页" in page.content.decode()  # 50 items a page
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("compliance"), {"kind": "round_void"})
    assert page.content.decode().count('<tr data-kind="round_void">') == 31
    with django_assert_max_num_queries(20):
        client.get(reverse("compliance_export"))


@pytest.mark.parametrize("name", ROUTES)
def test_outsiders_members_and_organizers_are_refused(county, name):
    args = [county.voting.pk] if name == "election_trail" else []
    url = reverse(name, args=args)
    outsider = f.account("school", county.tree.school_branch, "secretary")
    member = f.account("member6", county.branch[6], "member")
    organizer = f.account("secretary6", county.branch[6], "secretary")
    other_inspector = county.inspector_b
    for user in (outsider, member, organizer, other_inspector):
        client = Client()
        client.force_login(user)
        status = client.get(url).status_code
        if name != "election_trail" and user is other_inspector:
            assert status == 200  # their own view, empty of town A
            if name == "compliance":
                assert county.branch[6].name not in client.get(url).content.decode()
        else:
            assert status == 403, (name, user.username)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


@pytest.mark.parametrize("kind", [None, Kind.OVERDUE, Kind.ROUND_VOID])
def test_the_paged_items_are_the_same_items_in_the_same_order(county, kind):
    full = compliance.findings(county.county_inspector, TODAY, kind)
    paged = compliance.findings_page(county.county_inspector, TODAY, kind)
    assert paged.counts == full.counts
    assert len(paged.items) == len(full.items)
    assert list(paged.items[0 : len(paged.items)]) == full.items
    assert [*paged.items[1:3], *paged.items[3:]] == full.items[1:]
