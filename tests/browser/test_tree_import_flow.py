"""The county's organization department imports its organizations: a bad row, fixed, then confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page

from tests import factories as f
from tests.browser.conftest import log_in
from tests.browser.steps_import import import_tree
from xuanju.organizations.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


def tree_file(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["示范县党组织"])
    sheet.append(["党组织名称", "上级党组织", "组织类别", "所在领域", "成立日期"])
    # The village comes before its township: parents may come later in the file.
    sheet.append(["中共西村支部委员会", "中共西乡镇委员会", "党支部", "村", "1958-05-04"])
    sheet.append(["中共西乡镇委员会", "中共示范县委员会", "党委", "乡镇", "1956-03-01"])
    sheet.append(["中共西乡镇中心小学支部委员会", "中共西乡镇委员会", "党支部", "学校", None])
    book.save(path)
    return path


def test_import_a_tree_with_a_bad_row_then_fix_it(page: Page, live_server, tmp_path: Path):
    county = f.org(None, "中共示范县委员会", "party_committee")
    f.account("county", county, "org_department")
    log_in(page, "county", f.PASSWORD)
    message = import_tree(page, live_server.url, tree_file(tmp_path / "tree.xlsx"))
    assert "新建党组织 3 个" in message
    town = Organization.objects.get(name="中共西乡镇委员会")
    assert {o.name for o in Organization.objects.get_children(town)} == {
        "中共西村支部委员会",
        "中共西乡镇中心小学支部委员会",
    }
    # The organization page lists what was imported.
    assert "中共西乡镇委员会" in page.content()
