"""The files themselves: page setup and named fonts in the .docx, embedded fonts and ink in the PDF,
and the same bytes every time the same records are generated."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from tests.documents.reading import east_asian_fonts, generate, pdf_pages
from xuanju.documents import content
from xuanju.documents.kinds import Kind

pytestmark = pytest.mark.django_db


def one_of_each(world) -> list[content.Ref]:
    """The first document of every kind: every template and both writers on each."""
    seen: dict[Kind, content.Ref] = {}
    for ref in content.available(world.election):
        seen.setdefault(ref.kind, ref)
    # The sampling audit report needs a scanned round: tests/counting/test_sampling_audit.py makes its files.
    assert set(seen) == set(Kind) - {Kind.SAMPLING_AUDIT}
    return list(seen.values())


def test_every_document_is_a_gb_t_9704_page_in_docx_and_pdf(done):
    for ref in one_of_each(done):
        data = generate(done, ref.kind, ref.item, "docx").data
        document = docx.Document(io.BytesIO(data))
        section = document.sections[0]
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
        title = next(p for p in document.paragraphs if p.runs and p.runs[0].font.size.pt == 22)
        assert east_asian_fonts(data, title.text) == {"方正小标宋简体"}, ref
        body = next(
            p
            for p in document.paragraphs
            if p.paragraph_format.first_line_indent
            and p.style.name == "Normal"
            and p.runs[0].font.bold is not True
            and p.runs[0].font.name == "仿宋_GB2312"
        )
        assert east_asian_fonts(data, body.text) == {"仿宋_GB2312"}
        assert body.runs[0].font.name == "仿宋_GB2312"  # ascii/hAnsi named too
        assert document.settings.odd_and_even_pages_header_footer  # page numbers on the outside
        assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml

        pages = pdf_pages(generate(done, ref.kind, ref.item, "pdf").data)
        assert title.text in pages[0][0].replace("\r\n", "").replace("\n", ""), ref
        for number, (text, ink) in enumerate(pages, start=1):
            assert ink > 0.0005, (ref, number)  # the fonts are embedded: the page is not blank
            assert f"— {number} —" in text


def test_headings_use_hei_kai_and_bold_fangsong(done):
    minutes = next(r for r in content.available(done.election) if r.kind == Kind.MINUTES)
    data = generate(done, Kind.MINUTES, minutes.item).data
    assert east_asian_fonts(data, "一、到会情况") == {"黑体"}
    assert east_asian_fonts(data, "（一）委员第1轮（正式选举）") == {"楷体_GB2312"}


def test_the_same_records_give_the_same_bytes(done):
    for kind in (Kind.PLAN_REQUEST, Kind.CANDIDATES_REQUEST):
        first = generate(done, kind)
        again = generate(done, kind)
        assert first.data == again.data
        assert generate(done, kind, fmt="pdf").data == generate(done, kind, fmt="pdf").data
        with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
            dates = {info.date_time[:3] for info in archive.infolist()}
        assert dates == {(first_ref := content.build(done.election, kind, None).ref).dated.timetuple()[:3]}
        properties = docx.Document(io.BytesIO(first.data)).core_properties
        assert properties.created.date() == first_ref.dated and properties.revision == 1
