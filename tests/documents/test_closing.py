"""The closing block (signature and date) never stands alone on a page: the last paragraph, or a
table's last row, goes with it — in the PDF's layout and as keep-with-next in the .docx."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from tests.documents.office import closing_only, page_texts
from xuanju.documents.docx_writer import docx_bytes
from xuanju.documents.markup import parse
from xuanju.documents.pdf_writer import pdf_bytes

SIGNATURE, DATE = "中共东村支部委员会", "2026年3月31日"
CLOSING = (SIGNATURE, DATE)


def _markup(body: list[str]) -> str:
    return "\n".join(["# 关于换届选举的请示", *body, f"落款：{SIGNATURE}", f"日期：{DATE}"])


def _pdf_pages(markup: str) -> list[str]:
    return page_texts(pdf_bytes(parse(markup), title="t", author="a", dated=date(2026, 3, 31)))


# A page holds 22 lines and the closing block 4 (two for the seal, the signature, the date): the
# title and these paragraphs of one line each end the first page at every line near its foot.
@pytest.mark.parametrize("paragraphs", range(16, 22))
def test_the_last_paragraph_goes_to_the_page_of_the_signature(paragraphs):
    body = [f"第{n:02d}段，一行正文。" for n in range(paragraphs)]
    pages = _pdf_pages(_markup(body))
    assert not any(closing_only(text, CLOSING) for text in pages), pages
    assert body[-1] in pages[-1].replace("\r\n", "")
    document = docx.Document(
        io.BytesIO(docx_bytes(parse(_markup(body)), title="t", author="a", dated=date(2026, 3, 31)))
    )
    last, signature = (p for p in document.paragraphs if p.text in (body[-1], SIGNATURE))
    assert last.paragraph_format.keep_with_next and last.paragraph_format.keep_together
    assert signature.paragraph_format.keep_with_next  # with the date
    earlier = next(p for p in document.paragraphs if p.text == body[-2])
    assert not earlier.paragraph_format.keep_with_next


@pytest.mark.parametrize("rows", [17, 18, 19])
def test_a_tables_last_row_goes_to_the_page_of_the_signature(rows):
    table = ["| 姓名 | 得票 |", *(f"| 人{n:02d} | {n} |" for n in range(rows))]
    pages = _pdf_pages(_markup(table))
    assert not any(closing_only(text, CLOSING) for text in pages), pages
    assert f"人{rows - 1:02d}" in pages[-1]
    document = docx.Document(
        io.BytesIO(docx_bytes(parse(_markup(table)), title="t", author="a", dated=date(2026, 3, 31)))
    )
    (grid,) = document.tables
    assert grid.rows[-1].cells[0].paragraphs[0].paragraph_format.keep_with_next
    assert not grid.rows[-2].cells[0].paragraphs[0].paragraph_format.keep_with_next
