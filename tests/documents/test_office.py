"""The documents as an office suite shows them (issue 23): one document of every kind of every kind
of election (committee, plenary, a unit's delegates, the congress), each .docx converted by
LibreOffice headless — one process for the whole folder — and read beside the app's own PDF.

Needs ``soffice`` (Debian's libreoffice-writer-nogui, which scripts/test installs); runs on SQLite
only (marker ``office``: the PostgreSQL pass of scripts/test deselects it, nothing here depends on
the database).
"""

from __future__ import annotations

import sys
import time

import pytest

from tests.documents import office
from tests.documents.world import finished_election
from xuanju.cli import main
from xuanju.documents.gallery import convert, page_count, soffice
from xuanju.documents.kinds import Kind

pytestmark = [pytest.mark.django_db, pytest.mark.office]


@pytest.fixture(scope="module")
def converted(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> list[tuple[office.Generated, bytes | None]]:
    if soffice() is None:
        pytest.fail("these tests need LibreOffice: apt-get install libreoffice-writer-nogui")
    started = time.perf_counter()
    with django_db_blocker.unblock():
        made = office.generate_all()
    folder = tmp_path_factory.mktemp("office")
    paths = []
    for number, document in enumerate(made):
        path = folder / f"{number:03d}.docx"
        path.write_bytes(document.docx)
        paths.append(path)
    generated = time.perf_counter()
    pdfs = convert(paths, folder / "pdf")
    print(
        f"\n{len(made)} documents generated in {generated - started:.1f} s, "
        f"converted by LibreOffice in {time.perf_counter() - generated:.1f} s",
        file=sys.stderr,
    )
    return [(document, pdf.read_bytes() if pdf else None) for document, pdf in zip(made, pdfs, strict=True)]


def test_every_kind_of_document_of_every_kind_of_election_is_there(converted):
    kinds: dict[str, set[Kind]] = {}
    for document, _ in converted:
        kinds.setdefault(document.election, set()).add(document.ref.kind)
    assert kinds["committee"] == set(Kind)
    assert kinds["plenary"] == {Kind.PROCEDURE, Kind.ROLES, Kind.ROLL, Kind.ROUND_RESULT, Kind.MINUTES}
    # A unit's delegates election starts with its plan approved (it has no request of its own) and
    # reports its delegates to the credentials review, not in a report of results.
    assert kinds["delegates"] == set(Kind) - {
        Kind.PLAN_REQUEST,
        Kind.PLAN_REPLY,
        Kind.RESULTS_REPORT,
        Kind.RESULTS_REPLY,
    }
    # The demo's congress is ready to open: its plan and candidates are approved.
    assert kinds["congress"] == {
        Kind.PLAN_REQUEST,
        Kind.PLAN_REPLY,
        Kind.CANDIDATES_REQUEST,
        Kind.CANDIDATES_REPLY,
    }
    assert Kind.ROLL in kinds["demo-committee"]


def test_libreoffice_converts_every_docx_to_as_many_pages_as_the_apps_pdf(converted):
    wrong = []
    for document, pdf in converted:
        expected = page_count(document.pdf)
        got = page_count(pdf) if pdf else None
        if got != expected:
            wrong.append(f"{document.label}: LibreOffice {got} pages, the app's PDF {expected}")
    assert not wrong, "\n".join(wrong)


def test_no_page_holds_only_the_signature_and_date(converted):
    lone = []
    for document, pdf in converted:
        for source, data in (("LibreOffice", pdf), ("PDF", document.pdf)):
            for number, text in enumerate(office.page_texts(data) if data else [], start=1):
                if office.closing_only(text, document.closing):
                    lone.append(f"{document.label}: {source} page {number} holds only {text.split()}")
    assert not lone, "\n".join(lone)


def test_the_printed_text_has_no_rule_codes_or_raw_ids(converted):
    found = []
    for document, pdf in converted:
        for source, data in (("LibreOffice", pdf), ("PDF", document.pdf)):
            text = "".join(office.page_texts(data)) if data else ""
            codes = office.RULE_CODE.findall(text) + office.RAW_ID.findall(text)
            if codes:
                found.append(f"{document.label} ({source}): {sorted(set(codes))}")
    assert not found, "\n".join(found)


def test_the_delegates_result_form_is_titled_for_the_delegates_it_elects(converted):
    (form,) = [d for d, _ in converted if d.election == "delegates" and d.ref.kind == Kind.RESULT_FORM]
    first = office.squeezed(office.page_texts(form.pdf)[0])
    assert "选举出席中共示范县经济开发区委员会党员代表大会代表结果报告单" in first
    assert "换届选举" not in first


def test_the_checks_catch_a_lone_signature_page():
    """The detector itself, on texts as pdfium reads them."""
    closing = ("中共东村支部委员会", "2026年3月31日")
    assert office.closing_only("中共东村支部委员会\r\n2026年3月31日\r\n— 3 —", closing)
    assert office.closing_only("2026年3月31日\r\n— 2 —", closing)
    assert not office.closing_only("妥否，请批示。\r\n中共东村支部委员会\r\n2026年3月31日\r\n— 2 —", closing)
    assert office.RAW_ID.findall("张三 c11 票 w:李四") == ["c11", "w:"]
    assert not office.RAW_ID.findall("东乡组〔2026〕3号 abc12")


def test_docs_gallery_writes_every_kind_with_previews_and_an_index(db, tmp_path, capsys):
    world = finished_election(office.TODAY)
    out = tmp_path / "gallery"
    assert main(["docs-gallery", str(out), "--election", str(world.election.pk)]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    stems = sorted(p.stem for p in out.glob("*.docx"))
    assert len(stems) == len(Kind) + 5  # every kind, and the plenary's procedure, roles, roll, round, minutes
    for stem in stems:
        assert (out / f"{stem}.pdf").is_file() and (out / f"{stem}-p1.png").is_file()
        assert (out / "office" / f"{stem}-p1.png").is_file()  # LibreOffice's view of the .docx
        assert f'href="{stem}.docx"' in index
    assert "页数不同" not in capsys.readouterr().out
    png = (out / f"{stems[0]}-p1.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_docs_gallery_says_in_chinese_what_is_wrong(db, tmp_path, capsys):
    assert main(["docs-gallery", str(tmp_path), "--election", "999999"]) == 2
    assert "没有编号为 999999 的选举" in capsys.readouterr().err
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["docs-gallery", str(target), "--no-office"]) == 2
