"""First run without the demo: ``xuanju init`` and the first-run page, once, on an empty database."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xuanju.account_admin.setup import initialize, setup_code
from xuanju.accounts.models import User
from xuanju.audit.models import AuditRecord
from xuanju.cli import main
from xuanju.organizations.actions import ActionError
from xuanju.organizations.models import Organization

pytestmark = pytest.mark.django_db

FORM = {
    "name": "中共示范县委员会",
    "kind": "party_committee",
    "sector": "state_organ",
    "username": "zzb",
    "display_name": "张三",
    "password1": "县委组织部-2026-开始",
    "password2": "县委组织部-2026-开始",
}


def test_init_creates_the_top_organization_and_a_department_account_once(capsys):
    assert main(["init", "--name", "中共示范县委员会", "--username", "zzb", "--display-name", "张三"]) == 0
    out = capsys.readouterr().out
    org = Organization.objects.get()
    account = User.objects.get()
    assert (org.name, org.kind, org.depth) == ("中共示范县委员会", "party_committee", 1)
    assert (account.username, account.organization, account.role) == ("zzb", org, "org_department")
    assert account.must_change_password
    password = out.split("初始密码：")[1].split("（")[0]
    assert account.check_password(password)
    assert "xuanju serve --no-demo" in out
    assert {r.action for r in AuditRecord.objects.all()} == {"initialize", "create_account"}

    assert main(["init", "--name", "另一个", "--username", "x"]) == 2
    assert "数据库中已有党组织，不能再初始化" in capsys.readouterr().err
    assert Organization.objects.count() == 1 and User.objects.count() == 1


def test_init_refuses_a_branch_or_an_unknown_kind_in_chinese(capsys):
    assert main(["init", "--name", "某支部", "--kind", "党支部", "--username", "x"]) == 2
    assert "最上级党组织应为党委或党总支" in capsys.readouterr().err
    assert main(["init", "--name", "某", "--kind", "党组", "--username", "x"]) == 2
    assert "“党组”不是可选的值，应为党委、党总支、党支部之一" in capsys.readouterr().err
    assert not Organization.objects.exists()


def test_the_first_run_page_needs_the_setup_code_and_works_once():
    client = Client()
    assert client.get("/")["Location"] == reverse("first_run")
    page = client.get(reverse("first_run")).content.decode()
    assert "首次运行" in page and "初始化码" in page
    wrong = client.post(reverse("first_run"), FORM | {"code": "0000-0000-0000"})
    assert "初始化码不对" in wrong.content.decode() and not Organization.objects.exists()
    weak = client.post(
        reverse("first_run"), FORM | {"code": setup_code(), "password1": "12345678", "password2": "12345678"}
    )
    assert weak.status_code == 200 and not Organization.objects.exists()
    done = client.post(reverse("first_run"), FORM | {"code": setup_code().lower()})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    account = User.objects.get(username="zzb")
    assert account.check_password(FORM["password1"]) and not account.must_change_password
    assert client.post(reverse("first_run"), FORM | {"code": setup_code()}).status_code == 404
    assert Organization.objects.count() == 1
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_the_first_run_page_refuses_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("first_run"), FORM | {"code": setup_code()})
    assert response.status_code == 403 and not Organization.objects.exists()


def test_a_second_first_run_loses_the_race_whatever_got_in_first():
    initialize("a", "中共甲县委员会", "party_committee", "state_organ", "a")
    with pytest.raises(ActionError, match="数据库中已有党组织"):
        initialize("b", "中共乙县委员会", "party_committee", "state_organ", "b")
    assert list(Organization.objects.values_list("name", flat=True)) == ["中共甲县委员会"]
    assert not User.objects.filter(username="b").exists()
