"""Views: who may see and change what (nobody outside their subtree), and forms that explain."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories import client_for
from tests.worlds import built_once
from xuanju.audit.models import AuditRecord
from xuanju.organizations.models import Committee, Member, Organization, TermAdjustment

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@built_once
def world():
    tree = f.county_tree()
    village_secretary = f.member(tree.village, "王芳", id_number="11010519491231002X", phone="13912345678")
    f.member(tree.school_branch, "李强")
    f.committee(tree.village, TODAY - timedelta(days=6 * 365))
    users = {
        "county_department": f.account("county", tree.county, "org_department"),
        "town_department": f.account("town", tree.town, "org_department"),
        "village_secretary": f.account("village", tree.village, "secretary"),
        "school_secretary": f.account("school", tree.school_branch, "secretary"),
        "inspector": f.account("inspector", tree.county, "inspector"),
        "member": f.account("member", tree.village, "member"),
    }
    return tree, users, village_secretary


def test_login_required_everywhere():
    tree = f.county_tree()
    for url in [
        "/",
        reverse("organization_list"),
        reverse("organization_detail", args=[tree.village.pk]),
        reverse("member_list", args=[tree.village.pk]),
        reverse("monitor"),
    ]:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_login_with_password_and_lockout_after_five_failures(world):
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "village", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "village", "password": f.PASSWORD})
    assert response.status_code == 429 and "锁定" in response.content.decode()
    assert Client().post(reverse("login"), {"username": "town", "password": f.PASSWORD}).status_code == 302


def test_csrf_is_enforced():
    tree = f.county_tree()
    user = f.account("county", tree.county, "org_department")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("organization_create", args=[tree.county.pk]), {"name": "x", "kind": "branch"}
    )
    assert response.status_code == 403


READ_PAGES = ["organization_detail", "member_list", "monitor_org"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_reading_is_limited_to_the_subtree(world, page):
    tree, users, _ = world
    allowed = {
        "county_department": [tree.county, tree.town, tree.village, tree.school, tree.school_branch],
        "town_department": [tree.town, tree.village],
        "village_secretary": [tree.village],
        "school_secretary": [tree.school_branch],
        "inspector": [tree.county, tree.town, tree.village, tree.school, tree.school_branch],
        "member": [tree.village],
    }
    everyone = [tree.county, tree.town, tree.village, tree.school, tree.school_branch]
    for role, orgs in allowed.items():
        client = client_for(users[role])
        for org in everyone:
            status = client.get(reverse(page, args=[org.pk])).status_code
            assert status == (200 if org in orgs else 403), (role, org.name, status)


def test_the_organization_list_shows_only_the_subtree(world):
    tree, users, _ = world
    page = client_for(users["town_department"]).get(reverse("organization_list")).content.decode()
    assert tree.village.name in page and tree.school.name not in page and tree.county.name not in page


def test_personal_data_is_masked_except_for_those_who_manage_the_roster(world):
    tree, users, _ = world
    url = reverse("member_list", args=[tree.village.pk])
    for role in ("village_secretary", "town_department"):
        page = client_for(users[role]).get(url).content.decode()
        assert "11010519491231002X" in page and "13912345678" in page
    for role in ("inspector", "member"):
        page = client_for(users[role]).get(url).content.decode()
        assert "11010519491231002X" not in page and "110*************2X" in page
        assert "13912345678" not in page and "139******78" in page


WRITE_PAGES = [
    ("member_create", lambda t, m: [t.village.pk]),
    ("committee_record", lambda t, m: [t.village.pk]),
    ("member_edit", lambda t, m: [m.pk]),
    ("member_transfer", lambda t, m: [m.pk]),
    ("member_remove", lambda t, m: [m.pk]),
]


@pytest.mark.parametrize(("page", "args"), WRITE_PAGES)
def test_managing_a_roster_is_for_its_secretary_and_the_departments_above(world, page, args):
    tree, users, member = world
    url = reverse(page, args=args(tree, member))
    expected = {
        "county_department": 200,
        "town_department": 200,
        "village_secretary": 200,
        "school_secretary": 403,
        "inspector": 403,
        "member": 403,
    }
    for role, status in expected.items():
        assert client_for(users[role]).get(url).status_code == status, role
        if status == 403:
            assert client_for(users[role]).post(url, {}).status_code == 403, role


OVERSEE_PAGES = ["organization_move", "organization_merge", "organization_dissolve", "reminder_send"]


@pytest.mark.parametrize("page", OVERSEE_PAGES)
def test_restructuring_and_reminding_is_for_an_upper_level_department(world, page):
    tree, users, _ = world
    url = reverse(page, args=[tree.village.pk])
    expected = {
        "county_department": 200,
        "town_department": 200,
        "village_secretary": 403,
        "school_secretary": 403,
        "inspector": 403,
        "member": 403,
    }
    for role, status in expected.items():
        assert client_for(users[role]).get(url).status_code == status, role
    # a department cannot oversee its own organization
    assert client_for(users["town_department"]).get(reverse(page, args=[tree.town.pk])).status_code == 403


NEW_MEMBER = {
    "name": "赵六",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1990-01-01",
    "joined_on": "2015-07-01",
    "status": "full",
    "full_member_on": "2016-07-01",
    "phone": "",
    "id_number": "",
}


def test_adding_a_member_with_bad_input_shows_the_message_next_to_the_field(world):
    tree, users, _ = world
    client = client_for(users["village_secretary"])
    response = client.post(
        reverse("member_create", args=[tree.village.pk]),
        NEW_MEMBER | {"full_member_on": "", "phone": "abc", "id_number": "123"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "联系电话“abc”格式不对" in page and "身份证号“123”应为 18 位" in page
    assert not Member.objects.filter(name="赵六").exists()
    response = client.post(
        reverse("member_create", args=[tree.village.pk]),
        NEW_MEMBER | {"full_member_on": ""},
    )
    assert "正式党员须填写转正日期" in response.content.decode()
    assert not Member.objects.filter(name="赵六").exists()


def test_adding_a_member_works_and_is_audited(world):
    tree, users, _ = world
    response = client_for(users["village_secretary"]).post(
        reverse("member_create", args=[tree.village.pk]),
        NEW_MEMBER,
    )
    assert response.status_code == 302
    member = Member.objects.get(name="赵六")
    assert AuditRecord.objects.filter(action="add_member", object_id=str(member.pk), actor="village").exists()


def test_R_TERM_2_recording_an_approved_delay_through_the_page(world):
    tree, users, _ = world
    committee = Committee.objects.get(organization=tree.village, is_current=True)
    url = reverse("adjustment_create", args=[committee.pk])
    assert client_for(users["village_secretary"]).get(url).status_code == 403
    client = client_for(users["town_department"])
    too_far = committee.term_end + timedelta(days=500)
    response = client.post(
        url,
        {
            "kind": "delay",
            "new_date": too_far,
            "approved_on": TODAY,
            "document": "东乡组〔2026〕8号",
            "reason": "村两委换届统一安排",
        },
    )
    assert "一般不超过 1 年" in response.content.decode()
    assert not TermAdjustment.objects.exists()
    new_date = committee.term_end + timedelta(days=300)
    response = client.post(
        url,
        {
            "kind": "delay",
            "new_date": new_date,
            "approved_on": TODAY,
            "document": "东乡组〔2026〕8号",
            "reason": "村两委换届统一安排",
        },
    )
    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.reelection_due == new_date
    assert TermAdjustment.objects.get().approved_by == tree.town


def test_R_TERM_3_the_monitor_flags_an_overdue_branch_and_the_reminder_reaches_it(world):
    tree, users, _ = world
    page = client_for(users["county_department"]).get(reverse("monitor")).content.decode()
    assert tree.village.name in page
    client_for(users["town_department"]).post(
        reverse("reminder_send", args=[tree.village.pk]), {"message": "请抓紧换届"}
    )
    inbox = client_for(users["village_secretary"]).get(reverse("reminder_list")).content.decode()
    assert "请抓紧换届" in inbox


def test_organization_create_and_dissolve_through_the_pages(world):
    tree, users, _ = world
    client = client_for(users["town_department"])
    response = client.post(
        reverse("organization_create", args=[tree.town.pk]),
        {"name": "中共西村支部委员会", "kind": "branch", "sector": "village"},
    )
    assert response.status_code == 302
    west = Organization.objects.get(name="中共西村支部委员会")
    response = client.post(reverse("organization_dissolve", args=[west.pk]), {"on": TODAY, "confirm": "on"})
    west.refresh_from_db()
    assert west.dissolved_on == TODAY
    response = client.post(
        reverse("organization_dissolve", args=[tree.village.pk]), {"on": TODAY, "confirm": "on"}
    )
    assert "还有在册党员" in response.content.decode()


def test_recording_a_committee_through_the_page(world):
    tree, users, member = world
    people = [member] + [f.member(tree.village) for _ in range(2)]
    data = {
        "elected_on": TODAY - timedelta(days=10),
        "has_committee": "on",
        "form-TOTAL_FORMS": "9",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "15",
    }
    for i, (person, post) in enumerate(zip(people, ["secretary", "organization", "propaganda"], strict=True)):
        data[f"form-{i}-member"] = str(person.pk)
        data[f"form-{i}-post"] = post
    response = client_for(users["village_secretary"]).post(
        reverse("committee_record", args=[tree.village.pk]), data
    )
    assert response.status_code == 302
    current = Committee.objects.get(organization=tree.village, is_current=True)
    assert current.seats.count() == 3 and current.term_years == 5
    assert current.elected_on == date.fromisoformat(str(TODAY - timedelta(days=10)))


PDF = b"%PDF-1.4\n% approval\n"


def test_R_TERM_2_the_approving_document_is_uploaded_and_read_within_scope(world):
    tree, users, _ = world
    committee = Committee.objects.get(organization=tree.village, is_current=True)
    client = client_for(users["town_department"])
    data = {
        "kind": "delay",
        "new_date": committee.term_end + timedelta(days=100),
        "approved_on": TODAY,
        "document": "东乡组〔2026〕9号",
        "reason": "统一安排",
    }
    response = client.post(
        reverse("adjustment_create", args=[committee.pk]),
        {**data, "document_file": SimpleUploadedFile("pifu.exe", b"MZ\x90\x00", "application/pdf")},
    )
    assert "只能上传 PDF、JPG 或 PNG 文件" in response.content.decode()
    response = client.post(
        reverse("adjustment_create", args=[committee.pk]),
        {**data, "document_file": SimpleUploadedFile("pifu.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    adjustment = TermAdjustment.objects.get()
    url = reverse("adjustment_document", args=[adjustment.pk])
    assert b"".join(client_for(users["village_secretary"]).get(url).streaming_content) == PDF
    assert client_for(users["school_secretary"]).get(url).status_code == 403


def test_divisions_through_the_page(world):
    tree, users, _ = world
    committee = Committee.objects.get(organization=tree.village, is_current=True)
    member_seat = committee.seats.exclude(post="secretary").first()
    client = client_for(users["village_secretary"])
    url = reverse("committee_divisions", args=[committee.pk])
    assert "分工" in client.get(url).content.decode()
    response = client.post(url, {f"post-{member_seat.member_id}": "propaganda"})
    assert response.status_code == 302
    member_seat.refresh_from_db()
    assert member_seat.post == "propaganda"
    response = client.post(url, {f"post-{member_seat.member_id}": "secretary"}, follow=True)
    assert "请从列表中选择分工" in response.content.decode()


def test_R_ORG_4_the_edit_form_records_an_approved_size_a_standing_committee_and_an_exception(world):
    tree, users, _ = world
    county = client_for(users["county_department"])
    url = reverse("organization_edit", args=[tree.school.pk])
    data = {
        "name": tree.school.name,
        "kind": "party_committee",
        "sector": tree.school.sector,
        "approved_committee_size": "19",
        "has_standing_committee": "on",
        "kind_approval": "示组通〔2026〕8号",
    }
    assert county.post(url, data).status_code == 302
    tree.school.refresh_from_db()
    assert (tree.school.approved_committee_size, tree.school.has_standing_committee) == (19, True)
    assert tree.school.kind_approval == "示组通〔2026〕8号"
    detail = county.get(reverse("organization_detail", args=[tree.school.pk])).content.decode()
    assert "示组通〔2026〕8号" in detail and "常务委员会" in detail
