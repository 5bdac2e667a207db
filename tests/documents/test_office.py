"""The documents as an office suite shows them (issue 23): one document of every kind of every kind
of election (committee, plenary, a unit's delegates, the congress) written by the developers'
gallery, each .docx converted by LibreOffice headless — one process for the whole folder — and read
beside the app's own PDF of the same record.

Needs ``soffice`` (Debian's libreoffice-writer-nogui, which scripts/test installs) and runs on
SQLite only: marker ``office``, deselected in scripts/test's PostgreSQL pass (nothing here depends
on the database).
"""

from __future__ import annotations

import sys
import time

import pytest

from tests.documents import office
from xuanju.cli import main
from xuanju.documents.gallery import page_count, soffice
from xuanju.documents.kinds import Kind
from xuanju.elections import actions

pytestmark = [pytest.mark.django_db, pytest.mark.office]


@pytest.fixture(scope="module")
def gallery(django_db_setup, django_db_blocker, tmp_path_factory) -> tuple[list[office.Document], str]:
    if soffice() is None:
        pytest.fail("these tests need LibreOffice: apt-get install libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("gallery")
    started = time.perf_counter()
    with django_db_blocker.unblock():
        documents = office.gallery_of_every_kind(out)
    print(f"\n{len(documents)} documents in {time.perf_counter() - started:.1f} s: {out}", file=sys.stderr)
    return documents, (out / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def documents(gallery) -> list[office.Document]:
    return gallery[0]


def test_every_kind_of_document_of_every_kind_of_election_is_there(documents):
    kinds: dict[str, set[Kind]] = {}
    for document in documents:
        kinds.setdefault(document.election, set()).add(document.entry.kind)
    # The demo counts at the desk: no sampling audit (tests/counting/test_sampling_audit.py prints one).
    assert kinds["committee"] == set(Kind) - {Kind.SAMPLING_AUDIT}
    assert kinds["plenary"] == {Kind.PROCEDURE, Kind.ROLES, Kind.ROLL, Kind.ROUND_RESULT, Kind.MINUTES}
    # A unit's delegates election starts with its plan approved (the congress's plan covers it) and
    # its delegates go to the credentials review, not into a report of results.
    assert kinds["delegates"] == set(Kind) - {
        Kind.SAMPLING_AUDIT,
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


def test_libreoffice_converts_every_docx_to_as_many_pages_as_the_apps_pdf(documents):
    wrong = []
    for document in documents:
        expected = page_count(document.pdf)
        got = page_count(document.office) if document.office else None
        if got != expected:
            wrong.append(f"{document.label}: LibreOffice {got} pages, the app's PDF {expected}")
    assert not wrong, "\n".join(wrong)


def test_no_page_holds_only_the_signature_or_date(documents):
    lone = []
    for document in documents:
        for source, data in (("LibreOffice", document.office), ("PDF", document.pdf)):
            for number, text in enumerate(office.page_texts(data) if data else [], start=1):
                if office.closing_only(text, document.closing):
                    lone.append(f"{document.label}: {source} page {number} holds only {text.split()}")
    assert not lone, "\n".join(lone)


def test_the_printed_text_has_no_rule_codes_or_raw_ids(documents):
    found = []
    for document in documents:
        for source, data in (("LibreOffice", document.office), ("PDF", document.pdf)):
            text = "".join(office.page_texts(data)) if data else ""
            codes = office.RULE_CODE.findall(text) + office.RAW_ID.findall(text)
            if codes:
                found.append(f"{document.label} ({source}): {sorted(set(codes))}")
    assert not found, "\n".join(found)


def test_the_delegates_result_form_is_titled_for_the_delegates_it_elects(documents):
    (form,) = [d for d in documents if d.election == "delegates" and d.entry.kind == Kind.RESULT_FORM]
    first = office.squeezed(office.page_texts(form.pdf)[0])
    assert "选举出席中共示范县经济开发区委员会党员代表大会代表结果报告单" in first
    assert "换届选举" not in first
    assert office.squeezed(office.page_texts(form.office)[0]).startswith(first[:40])


def test_the_gallery_previews_both_views_of_every_document(gallery):
    documents, index = gallery
    for document in documents:
        stem = document.entry.stem
        assert document.entry.images[0] == f"{stem}-p1.png" and document.entry.office_images, stem
        assert f'href="{stem}.docx"' in index and f'src="office/{stem}-p1.png"' in index
    assert "class=differs" not in index  # no page count differs


def test_the_checks_catch_a_lone_signature_page_and_raw_ids():
    closing = ("中共东村支部委员会", "2026年3月31日")
    assert office.closing_only("中共东村支部委员会\r\n2026年3月31日\r\n— 3 —", closing)
    assert office.closing_only("2026年3月31日\r\n— 2 —", closing)
    assert not office.closing_only("妥否，请批示。\r\n中共东村支部委员会\r\n2026年3月31日\r\n— 2 —", closing)
    assert office.RAW_ID.findall("张三 c11 票 w:李四") == ["c11", "w:"]
    assert not office.RAW_ID.findall("东乡组〔2026〕3号 abc12") + office.RULE_CODE.findall("第三条")


def _two_plans():
    """Two branches' re-elections, each with its request submitted: one document each."""
    from tests import factories as f

    tree, _ = f.village_due_for_reelection(office.TODAY)
    elections = []
    for org, seats in ((tree.village, 5), (tree.school_branch, 0)):  # the school's: a secretary alone
        election = actions.start_election(
            "village", org, office.TODAY, seats, 0, readiness="已完成述职和民主评议", composition="注重结构"
        )
        actions.submit_plan("village", election)
        elections.append(election)
    return elections


def test_docs_gallery_command_writes_the_documents_of_the_chosen_election(db, tmp_path, capsys):
    election, _ = _two_plans()
    out = tmp_path / "gallery"
    assert main(["docs-gallery", str(out), "--election", str(election.pk), "--no-office"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "001-plan-request-p1.png",
        "001-plan-request-p2.png",
        "001-plan-request.docx",
        "001-plan-request.pdf",
        "index.html",
    ]
    assert "已写入 1 份文书" in capsys.readouterr().out


def test_docs_gallery_command_shows_each_kind_of_election_once_unless_told_which(db, tmp_path, capsys):
    first, second = _two_plans()
    assert main(["docs-gallery", str(tmp_path / "kinds"), "--no-office"]) == 0
    assert [p.name for p in (tmp_path / "kinds").glob("*.docx")] == ["001-plan-request.docx"]
    both = ["--election", str(first.pk), "--election", str(second.pk)]
    assert main(["docs-gallery", str(tmp_path / "both"), "--no-office", *both]) == 0
    assert len(list((tmp_path / "both").glob("*.docx"))) == 2


def test_docs_gallery_command_says_in_chinese_what_is_wrong(db, tmp_path, capsys):
    assert main(["docs-gallery", str(tmp_path), "--election", "999999"]) == 2
    assert "没有编号为 999999 的选举" in capsys.readouterr().err
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["docs-gallery", str(target), "--no-office"]) == 2
    assert "这是一个文件，不是文件夹" in capsys.readouterr().err
