"""The .docx writer's shortcuts (a set-up template copied per document, shared parts compressed
once, table rows copied from the first) write the bytes python-docx itself would write."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from xuanju.documents import docx_writer
from xuanju.documents.markup import Heading, Paragraph, Signature, Table, Title

DATED = date(2026, 3, 1)
AWKWARD = ["", " 前有空格", "制表\t符", "后有空格 ", "普通", "换\n行", "回\r车", "张三"]


def blocks(rows: int) -> tuple[object, ...]:
    body = tuple((f"张{i}", "男", AWKWARD[i % len(AWKWARD)]) for i in range(rows))
    return (
        Title(("关于选举结果的报告",)),
        Heading(1, "一、基本情况"),
        Paragraph("正文" * 50),
        Table(("姓名", "性别", "备注"), body),
        Table(("甲", "乙"), (("1", "2"), ("3", "4"), ("5", "6"))),
        Signature("中共示范县委员会"),
    )


def python_docx_save(document: object) -> bytes:
    """The package saved by python-docx, then every entry restamped with DATED: the writer's output
    before it wrote the zip itself."""
    saved = io.BytesIO()
    document.save(saved)  # type: ignore[attr-defined]
    output = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(DATED.year, DATED.month, DATED.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()


@pytest.mark.parametrize("rows", [0, 1, 2, 17])
def test_copied_table_rows_are_the_rows_python_docx_writes(rows, monkeypatch):
    meta = {"title": "报告", "author": "中共示范县委员会", "dated": DATED}
    fast = docx_writer.docx_bytes(blocks(rows), **meta)
    monkeypatch.setattr(docx_writer, "_plain_text", lambda value: False)  # every cell through python-docx
    assert docx_writer.docx_bytes(blocks(rows), **meta) == fast


def test_the_zip_written_once_is_the_zip_python_docx_saves_restamped():
    document = docx_writer._new_document()
    for index, block in enumerate(blocks(9)):
        docx_writer._write(document, block, blocks(9), index)
    assert docx_writer._zip(document, DATED) == python_docx_save(document)
    with zipfile.ZipFile(io.BytesIO(docx_writer._zip(document, DATED))) as written:
        assert written.testzip() is None
        assert {entry.date_time for entry in written.infolist()} == {(2026, 3, 1, 0, 0, 0)}


def test_documents_do_not_leak_into_the_shared_template():
    meta = {"title": "报告", "author": "县委", "dated": DATED}
    first = docx_writer.docx_bytes((Paragraph("第一份"),), **meta)
    docx_writer.docx_bytes(blocks(5), **meta)
    assert docx_writer.docx_bytes((Paragraph("第一份"),), **meta) == first
    prototype, _ = docx_writer._prototype()
    assert "第一份" not in prototype.element.xml
