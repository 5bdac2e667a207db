"""The pool's pages: who sees and who changes (the pool holds assessments), and what they show."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories as f
from tests.factories import client_for
from xuanju.organizations.models import Member
from xuanju.reserve import actions
from xuanju.reserve.models import ReserveAssessment, ReservePerson, ReserveStatus, ReserveTraining
from xuanju.reserve.services import depth_rows
from xuanju.vetting.models import MemberProfile

from .conftest import TODAY

pytestmark = pytest.mark.django_db

READ_PAGES = ["reserve_pool", "reserve_search"]
PERSON_READ_PAGES = ["reserve_person"]
MANAGE_ORG_PAGES = ["reserve_put_forward"]
MANAGE_PERSON_PAGES = ["reserve_assess", "reserve_training", "reserve_status"]


def urls(world) -> tuple[list[str], list[str]]:
    org, person = world.tree.village.pk, world.person.pk
    read = [reverse(n, args=[org]) for n in READ_PAGES] + [
        reverse(n, args=[person]) for n in PERSON_READ_PAGES
    ]
    manage = [reverse(n, args=[org]) for n in MANAGE_ORG_PAGES] + [
        reverse(n, args=[person]) for n in MANAGE_PERSON_PAGES
    ]
    return read, manage


@pytest.mark.parametrize("who", ["member", "inspector", "outsider"])
def test_members_inspectors_and_outsiders_do_not_see_the_pool(world, who):
    read, manage = urls(world)
    client = client_for(world.users[who])
    for url in read + manage:
        assert client.get(url).status_code == 403, url
    for url in manage:
        assert client.post(url, {"rating": "poor", "assessed_on": TODAY}).status_code == 403, url
    assert not ReserveAssessment.objects.exists()


def test_the_upper_level_reads_the_pools_beneath_but_changes_nothing(world):
    read, manage = urls(world)
    client = client_for(world.users["town"])
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in manage:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"rating": "poor", "assessed_on": TODAY}).status_code == 403, url
    pool = client.get(reverse("reserve_pool", args=[world.tree.village.pk])).content.decode()
    assert "王芳" in pool and "推荐入库" not in pool


def test_the_upper_level_manages_its_own_pool(world):
    client = client_for(world.users["town"])
    response = client.post(
        reverse("reserve_put_forward", args=[world.tree.town.pk]),
        {"member": world.people[3].pk, "put_forward_on": TODAY, "reason": "可进镇领导班子"},
    )
    assert response.status_code == 302
    assert ReservePerson.objects.filter(organization=world.tree.town, member=world.people[3]).exists()


def test_organizers_manage_the_pool_through_the_pages(world):
    client = client_for(world.users["village"])
    person = world.person
    read, manage = urls(world)
    for url in read + manage:
        assert client.get(url).status_code == 200, url
    ok = client.post(
        reverse("reserve_assess", args=[person.pk]),
        {"assessed_on": "2025-06-01", "rating": "excellent", "notes": "群众认可度高"},
    )
    assert ok.status_code == 302
    client.post(
        reverse("reserve_training", args=[person.pk]),
        {
            "course": "乡村振兴专题培训",
            "start": "2025-04-01",
            "end": "2025-04-05",
            "hours": "32",
            "provider": "县委党校",
        },
    )
    client.post(
        reverse("reserve_training", args=[person.pk]),
        {"course": "跟班学习", "start": "2025-07-01", "hours": "8.5"},
    )
    assert ReserveAssessment.objects.get().assessed_by == "village"
    assert ReserveTraining.objects.count() == 2
    page = client.get(reverse("reserve_person", args=[person.pk])).content.decode()
    assert "群众认可度高" in page and "乡村振兴专题培训" in page and "40.5" in page
    pool = client.get(reverse("reserve_pool", args=[world.tree.village.pk]))
    row = pool.context["rows"][0]
    assert (row["person"].latest_rating, row["person"].training_hours) == ("excellent", 40.5)
    assert row["age"] == TODAY.year - 1980 - ((TODAY.month, TODAY.day) < (1, 1))
    assert "优秀（2025年6月1日）" in pool.content.decode()


def test_put_forward_refusals_show_next_to_the_member_field(world):
    client = client_for(world.users["village"])
    member = f.member(world.tree.village, "林小雨", full=False)
    response = client.post(
        reverse("reserve_put_forward", args=[world.tree.village.pk]),
        {"member": member.pk, "put_forward_on": TODAY, "reason": "年轻"},
    )
    assert response.status_code == 200
    assert "预备党员" in response.content.decode()
    teacher = f.member(world.tree.school_branch, "钱老师")
    response = client.post(
        reverse("reserve_put_forward", args=[world.tree.village.pk]),
        {"member": teacher.pk, "put_forward_on": TODAY, "reason": "骨干"},
    )
    assert "请选择本组织及下级组织在册的党员" in response.content.decode()
    assert ReservePerson.objects.count() == 1


def test_the_status_filter_and_leaving_through_the_page(world):
    client = client_for(world.users["village"])
    url = reverse("reserve_status", args=[world.person.pk])
    refused = client.post(url, {"status": "left", "on": TODAY})
    assert "出库须写明原因" in refused.content.decode()
    client.post(url, {"status": "left", "on": TODAY, "reason": "外出务工"})
    world.person.refresh_from_db()
    assert world.person.status == ReserveStatus.LEFT
    pool = reverse("reserve_pool", args=[world.tree.village.pk])
    assert "王芳" not in client.get(pool).content.decode()
    assert "王芳" in client.get(pool, {"status": "left"}).content.decode()
    assert "外出务工" in client.get(reverse("reserve_person", args=[world.person.pk])).content.decode()


def test_the_pool_shows_education_from_the_profile(world):
    MemberProfile.objects.create(member=world.person.member, education="college")
    page = client_for(world.users["village"]).get(reverse("reserve_pool", args=[world.tree.village.pk]))
    assert page.context["rows"][0]["education"] == "大学专科"


# --- pool depth -------------------------------------------------------------------------------


@pytest.fixture
def depth_world(world):
    """Village: 王芳 (born 1980, set to a man) and 罗兰 (a woman of 30) in the pool, 黄敏 left.
    The school branch: no pool, its committee long overdue. Town, school, county: no pool, no committee."""
    tree, p = world.tree, {m.name: m for m in world.people}
    Member.objects.filter(pk=p["王芳"].pk).update(gender="男")
    Member.objects.filter(pk=p["罗兰"].pk).update(gender="女", birth_date=TODAY.replace(year=TODAY.year - 30))
    actions.put_forward("village", tree.village, p["罗兰"], TODAY, "年轻女党员")
    gone = actions.put_forward("village", tree.village, p["黄敏"], TODAY, "x")
    actions.change_status("village", gone, ReserveStatus.LEFT, TODAY, "调离")
    f.committee(tree.school_branch, TODAY - timedelta(days=6 * 365), size=3)
    return world


def test_pool_depth_counts_and_highlights_empty_pools_due_for_reelection(
    depth_world, django_assert_max_num_queries
):
    world = depth_world
    with django_assert_max_num_queries(1):
        rows = {r.name: r for r in depth_rows(world.tree.county, TODAY)}
    village, school_branch = rows["中共东村支部委员会"], rows["中共示范县第一中学语文组支部委员会"]
    assert (village.pool, village.young, village.women) == (2, 1, 1)
    assert school_branch.pool == 0 and school_branch.remind_from <= TODAY
    assert len(rows) == 5
    response = client_for(world.users["county"]).get(reverse("reserve_depth", args=[world.tree.county.pk]))
    summary = response.context["summary"]
    assert (summary.organizations, summary.empty, summary.empty_and_due, summary.people) == (5, 4, 1, 2)
    attention = [r.name for r in response.context["page_obj"] if r.attention]
    assert attention == ["中共示范县第一中学语文组支部委员会"]
    assert "库中无人，且即将或已经到期换届" in response.content.decode()
    due = client_for(world.users["county"]).get(
        reverse("reserve_depth", args=[world.tree.county.pk]), {"show": "due"}
    )
    assert [r.name for r in due.context["page_obj"]] == ["中共示范县第一中学语文组支部委员会"]


def test_pool_depth_page_takes_the_same_queries_for_more_organizations(
    depth_world, django_assert_num_queries
):
    """No N+1: session, account, the root, the summary (two aggregates), the page (its count, its
    organizations, their annotations), the header's organization; Django saves the session on
    every request (three more); the navigation counts what waits in the inbox (four more)."""
    world = depth_world
    client = client_for(world.users["county"])
    url = reverse("reserve_depth", args=[world.tree.county.pk])
    client.get(url)
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200
    for n in range(5):
        branch = f.org(world.tree.town, f"中共东乡第{n}村支部委员会", "branch", "village")
        actions.put_forward("town", branch, f.member(branch), TODAY, "拟培养")
        f.committee(branch, TODAY - timedelta(days=6 * 365), size=3)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.context["summary"].organizations == 10


def test_pool_depth_is_for_the_organization_department_above(depth_world):
    world = depth_world
    url = reverse("reserve_depth", args=[world.tree.town.pk])
    town = client_for(world.users["town"]).get(url)
    assert [r.name for r in town.context["page_obj"]] == ["中共东乡镇委员会", "中共东村支部委员会"]
    assert (
        client_for(world.users["town"]).get(reverse("reserve_depth", args=[world.tree.county.pk])).status_code
        == 403
    )
    for who in ("village", "member", "inspector"):
        assert client_for(world.users[who]).get(url).status_code == 403, who


def test_pool_depth_exports_to_xlsx(depth_world):
    world = depth_world
    response = client_for(world.users["county"]).get(
        reverse("reserve_depth_export", args=[world.tree.county.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == ("党组织", "类型", "在库人数", "35岁以下", "女性")
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["中共东村支部委员会"][2:5] == (2, 1, 1)
    branch = by_name["中共示范县第一中学语文组支部委员会"]
    assert branch[2] == 0 and branch[6] == "库中无人，且即将或已经到期换届"
    assert branch[5] is not None  # the due date
    empty_row = next(i for i, r in enumerate(rows, start=1) if r[0] == "中共示范县第一中学语文组支部委员会")
    assert sheet.cell(empty_row, 1).fill.fgColor.rgb.endswith("FDE2E1")
