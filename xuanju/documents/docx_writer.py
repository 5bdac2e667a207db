"""Blocks → .docx (python-docx) laid out per GB/T 9704-2012 (see :mod:`xuanju.documents.page`).

Fonts are named, not embedded: each run names its typeface for both Latin and East Asian text
(``w:rFonts`` ascii/hAnsi and ``w:eastAsia``), so Word and WPS use 仿宋_GB2312, 黑体, 楷体_GB2312 and
方正小标宋简体 where installed and substitute their nearest otherwise.

The file is reproducible: core properties are set from the record's date and the zip is rewritten
with that date on every entry, so the same records give the same bytes.
"""

from __future__ import annotations

import copy
import io
import threading
import zipfile
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from xuanju.documents import page
from xuanju.documents.markup import (
    Addressee,
    Block,
    CarbonCopy,
    DateLine,
    DocumentNumber,
    Heading,
    PageBreak,
    Paragraph,
    Printed,
    Signature,
    Table,
    Title,
    before_closing,
)

_HEADING_FONTS = {1: (page.HEI_FONT, False), 2: (page.KAI_FONT, False), 3: (page.BODY_FONT, True)}
_THICK, _THIN = 8, 6  # 版记 rules in eighths of a point: about 0.35 mm and 0.25 mm
# Run and table-cell paragraph properties by what sets them, made once through python-docx's setters
# and copied after (lxml elements, only ever read once stored).
_RUN_PROPERTIES: dict[tuple[str, float, bool], Any] = {}
_CELL_PROPERTIES: dict[tuple[float, bool], Any] = {}


def docx_bytes(blocks: Sequence[Block], *, title: str, author: str, dated: date) -> bytes:
    """The .docx of ``blocks``; ``dated`` (the record's date) stamps its properties and zip entries."""
    document = _new_document()
    for index, block in enumerate(blocks):
        _write(document, block, blocks, index)
    stamp = datetime(dated.year, dated.month, dated.day, tzinfo=UTC)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.created = properties.modified = properties.last_printed = stamp
    properties.revision = 1
    properties.language = "zh-CN"
    return _zip(document, dated)


# The default template read and set up once per process (about 20 ms: styles.xml alone is 350 kB of
# XML). Each document is a copy of it in which only the parts a document writes are copied (the body
# and the core properties); styles, theme, settings, numbering and footers stay the prototype's,
# only ever read after set-up, and their serialized and compressed bytes are kept.
_PROTOTYPE: tuple[DocxDocument, dict[int, _Deflated]] | None = None
_PROTOTYPE_LOCK = threading.Lock()


def _prototype() -> tuple[DocxDocument, dict[int, _Deflated]]:
    global _PROTOTYPE
    with _PROTOTYPE_LOCK:
        if _PROTOTYPE is None:
            document = Document()
            _set_up(document)
            shared = {
                id(part): _Deflated(part.blob)
                for part in document.part.package.parts
                if part is not document.part and not isinstance(part, CorePropertiesPart)
            }
            _PROTOTYPE = document, shared
        return _PROTOTYPE


class _Deflated:
    """A shared part's bytes compressed once, as zipfile's writestr compresses them (one call to a
    raw-deflate compressor at the default level, then flush)."""

    def __init__(self, blob: bytes) -> None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self.data = compressor.compress(blob) + compressor.flush()
        self.size = len(blob)
        self.crc = zlib.crc32(blob)

    def write(self, target: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Append the entry to ``target`` exactly as ``target.writestr(info, blob)`` would."""
        output = target.fp
        assert output is not None
        info.file_size, info.compress_size, info.CRC, info.flag_bits = self.size, len(self.data), self.crc, 0
        output.seek(target.start_dir)
        info.header_offset = output.tell()
        output.write(info.FileHeader(False))
        output.write(self.data)
        target.start_dir = output.tell()
        target.filelist.append(info)
        target.NameToInfo[info.filename] = info
        target._didModify = True  # type: ignore[attr-defined]  # so that close() writes the directory


def _new_document() -> DocxDocument:
    prototype, shared = _prototype()
    memo: dict[int, Any] = {id(part): part for part in prototype.part.package.parts if id(part) in shared}
    return copy.deepcopy(prototype, memo)


def _zip(document: DocxDocument, dated: date) -> bytes:
    """The package as python-docx's PackageWriter lays it out, written once with every entry
    stamped with ``dated`` (python-docx stamps the current time) and the shared parts' bytes kept."""
    _, shared = _prototype()
    output = io.BytesIO()
    stamp = (dated.year, dated.month, dated.day, 0, 0, 0)
    package = document.part.package
    parts = package.parts
    with zipfile.ZipFile(output, "w") as target:

        def write(uri: PackURI, blob: bytes | _Deflated) -> None:
            info = zipfile.ZipInfo(uri.membername, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            if isinstance(blob, _Deflated):
                blob.write(target, info)
            else:
                target.writestr(info, blob)

        for part in parts:
            part.before_marshal()
        write(CONTENT_TYPES_URI, _ContentTypesItem.from_parts(parts).blob)
        write(PACKAGE_URI.rels_uri, package.rels.xml)
        for part in parts:
            kept = shared.get(id(part))  # not part.blob: serializing a shared part is what is saved
            write(part.partname, kept if kept is not None else part.blob)
            if len(part.rels):
                write(part.partname.rels_uri, part.rels.xml)
    return output.getvalue()


# --- page and styles -----------------------------------------------------------------------


def _set_up(document: DocxDocument) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(page.PAGE_WIDTH_MM), Mm(page.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(page.TOP_MM), Mm(page.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(page.LEFT_MM), Mm(page.RIGHT_MM)
    # The footer's bottom edge is placed so that the page number's top is 7 mm below the type area.
    section.footer_distance = Mm(
        page.BOTTOM_MM - page.PAGE_NUMBER_GAP_MM - page.FOOT_PT * page.MM_PER_PT * 1.3
    )
    normal = document.styles["Normal"]
    font = normal.font
    font.name = page.BODY_FONT
    font.size = Pt(page.BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), page.BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    r_pr.append(lang)
    paragraph = normal.paragraph_format
    paragraph.space_before = paragraph.space_after = Pt(0)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = Pt(page.LINE_PT)
    paragraph.widow_control = False
    # Odd pages number at the right, even pages at the left: the outside edge (GB/T 9704, 7.5).
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _font(run: Run, name: str, size_pt: float, bold: bool = False) -> Run:
    """``run`` in ``name`` (Latin and East Asian) at ``size_pt``. python-docx's setters cost about a
    millisecond a run, so the first run of each kind is set through them and later ones get a copy
    of its properties (the same XML)."""
    key = (name, size_pt, bold)
    found = _RUN_PROPERTIES.get(key)
    if found is not None and run._r.rPr is None:
        run._r.insert(0, copy.deepcopy(found))
        return run
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    if found is None and len(run._r) and run._r[0] is run._r.rPr:
        _RUN_PROPERTIES[key] = copy.deepcopy(run._r.rPr)
    return run


def _page_number(paragraph: DocxParagraph, odd: bool) -> None:
    """ "— 1 —" in 4号 half-width digits, one character in from the outside edge."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    one_char = Pt(page.FOOT_PT)
    if odd:
        paragraph.paragraph_format.right_indent = one_char
    else:
        paragraph.paragraph_format.left_indent = one_char
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(paragraph.add_run("— "), page.PAGE_NUMBER_FONT, page.FOOT_PT)
    # A PAGE field as Word writes one: begin, instruction, separator, the shown value, end, each in
    # its own run.
    for tag, value in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
        run = _font(paragraph.add_run(), page.PAGE_NUMBER_FONT, page.FOOT_PT)
        if tag == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = value
        elif tag == "text":
            element = OxmlElement("w:t")
            element.text = value
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        run._element.append(element)
    _font(paragraph.add_run(" —"), page.PAGE_NUMBER_FONT, page.FOOT_PT)


# --- blocks --------------------------------------------------------------------------------


def _write(document: DocxDocument, block: Block, blocks: Sequence[Block], index: int) -> None:
    match block:
        case Title(lines):
            for number, line in enumerate(lines):
                paragraph = _paragraph(document, line, page.TITLE_FONT, page.TITLE_PT)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.line_spacing = Pt(page.TITLE_PT * 1.6)
                if number == len(lines) - 1:  # the text starts one line below the title
                    paragraph.paragraph_format.space_after = Pt(page.LINE_PT)
        case DocumentNumber(text):
            paragraph = _paragraph(document, text, page.BODY_FONT, page.BODY_PT)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(page.LINE_PT)
        case Addressee(text):
            _paragraph(document, text if text.endswith("：") else text + "：", page.BODY_FONT, page.BODY_PT)
        case Heading(level, text):
            name, bold = _HEADING_FONTS[level]
            _keep_with_closing(_indented(_paragraph(document, text, name, page.BODY_PT, bold)), blocks, index)
        case Paragraph(text):
            paragraph = _indented(_paragraph(document, text, page.BODY_FONT, page.BODY_PT))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _keep_with_closing(paragraph, blocks, index)
        case Table(header, rows):
            _table(document, header, rows, closing=before_closing(blocks, index))
        case Signature(text):
            date_text = next((b.text for b in blocks[index:] if isinstance(b, DateLine)), "")
            paragraph = _paragraph(document, text, page.BODY_FONT, page.BODY_PT)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(
                page.BODY_PT * page.signature_right_chars(text, date_text)
            )
            # Room above the signature where the seal presses on the name and the date.
            paragraph.paragraph_format.space_before = Pt(page.LINE_PT * page.SEAL_LINES)
            _keep_with_closing(paragraph, blocks, index)
        case DateLine(text):
            paragraph = _paragraph(document, text, page.BODY_FONT, page.BODY_PT)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(page.BODY_PT * page.DATE_RIGHT_CHARS)
            if not (index and isinstance(blocks[index - 1], Signature)):
                paragraph.paragraph_format.space_before = Pt(page.LINE_PT)
        case CarbonCopy(text):
            paragraph = _paragraph(document, f"抄送：{text.rstrip('。')}。", page.BODY_FONT, page.FOOT_PT)
            paragraph.paragraph_format.left_indent = Pt(page.FOOT_PT)
            _imprint_rules(paragraph, blocks, index)
        case Printed(office, date_text):
            paragraph = _paragraph(document, office, page.BODY_FONT, page.FOOT_PT)
            paragraph.add_run("\t")
            _font(paragraph.add_run(page.printed_date(date_text)), page.BODY_FONT, page.FOOT_PT)
            paragraph.paragraph_format.left_indent = Pt(page.FOOT_PT)
            stop = Mm(page.TYPE_WIDTH_MM) - Pt(page.FOOT_PT)
            paragraph.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
            _imprint_rules(paragraph, blocks, index)
        case PageBreak():
            document.add_page_break()


def _paragraph(
    document: DocxDocument, text: str, font: str, size_pt: float, bold: bool = False
) -> DocxParagraph:
    paragraph = document.add_paragraph()
    _font(paragraph.add_run(text), font, size_pt, bold)
    return paragraph


def _keep_with_closing(paragraph: DocxParagraph, blocks: Sequence[Block], index: int) -> None:
    """The last paragraph before the signature and date is kept whole on the page that holds them
    (keep-together and keep-with-next, as Word and WPS honour them); the PDF does the same."""
    if before_closing(blocks, index):
        paragraph.paragraph_format.keep_together = True
        paragraph.paragraph_format.keep_with_next = True


def _indented(paragraph: DocxParagraph) -> DocxParagraph:
    paragraph.paragraph_format.first_line_indent = Pt(page.BODY_PT * page.INDENT_CHARS)
    return paragraph


def _imprint_rules(paragraph: DocxParagraph, blocks: Sequence[Block], index: int) -> None:
    """The 版记 lines: thick above the first and below the last, thin between (GB/T 9704, 8)."""
    first = not (index and isinstance(blocks[index - 1], (CarbonCopy, Printed)))
    last = not (index + 1 < len(blocks) and isinstance(blocks[index + 1], (CarbonCopy, Printed)))
    if first:
        paragraph.paragraph_format.space_before = Pt(page.LINE_PT)
    borders = OxmlElement("w:pBdr")
    for side, size in (("top", _THICK if first else 0), ("bottom", _THICK if last else _THIN)):
        if size:
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(size))
            edge.set(qn("w:space"), "1")
            edge.set(qn("w:color"), "000000")
            borders.append(edge)
    paragraph._p.get_or_add_pPr().append(borders)


def _cell_paragraph(paragraph: DocxParagraph, size: float, keep_with_next: bool) -> None:
    """Centred, at the table's exact line height; ``keep_with_next``: the last row goes with the
    signature if need be. Copied from the first cell set up alike (see :func:`_font`)."""
    key = (size, keep_with_next)
    found = _CELL_PROPERTIES.get(key)
    if found is not None and paragraph._p.pPr is None:
        paragraph._p.insert(0, copy.deepcopy(found))
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(size * page.TABLE_LINE_FACTOR)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if found is None and len(paragraph._p) and paragraph._p[0] is paragraph._p.pPr:
        _CELL_PROPERTIES[key] = copy.deepcopy(paragraph._p.pPr)


_W_T, _XML_SPACE = qn("w:t"), qn("xml:space")


def _plain_text(value: str) -> bool:
    """Text that python-docx writes as a single ``w:t`` (a tab or line break adds elements)."""
    return bool(value) and not any(c in value for c in "\t\r\n")


def _table(
    document: DocxDocument,
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    closing: bool = False,
) -> DocxTable:
    size = page.table_pt(len(header))
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The PDF's columns, padding and line height, so that rows are as tall and pages break alike.
    table.autofit = False
    widths = [Mm(w) for w in page.column_widths_mm([header, *rows])]
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(page.TABLE_PADDING_MM / page.MM_PER_PT * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    last = len(rows)
    # Row by row, cell by cell: table.cell(r, c) and table.rows[r] walk the whole table each time.
    # The first body row of plain text goes through python-docx; later ones are copies of its XML
    # with their own text (python-docx's setters cost about a millisecond a cell, and the XML they
    # would write is the same but for the text).
    pattern = None
    for r, (row, values) in enumerate(zip(table.rows, (header, *rows), strict=True)):
        plain = r > 0 and not (closing and r == last) and all(map(_plain_text, values))
        if plain and pattern is not None:
            tr = copy.deepcopy(pattern)
            for t, value in zip(tr.iter(_W_T), values, strict=True):
                t.text = value
                if len(value.strip()) < len(value):  # as python-docx's CT_R.add_t
                    t.set(_XML_SPACE, "preserve")
                else:
                    t.attrib.pop(_XML_SPACE, None)
            row._tr.getparent().replace(row._tr, tr)
            continue
        row_properties = row._tr.get_or_add_trPr()
        # No row is split across pages; the header row repeats on every page, as in the PDF.
        row_properties.append(OxmlElement("w:cantSplit"))
        if r == 0:
            row_properties.append(OxmlElement("w:tblHeader"))
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            _cell_paragraph(paragraph, size, keep_with_next=closing and r == last)
            _font(paragraph.add_run(value), page.HEI_FONT if r == 0 else page.BODY_FONT, size)
        if plain and sum(1 for _ in row._tr.iter(_W_T)) == len(values):
            pattern = row._tr
    # A table is followed by half an empty line (as in the PDF) so that the next paragraph does not
    # touch its rule.
    spacer = document.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(page.LINE_PT / 2)
    if closing:
        spacer.paragraph_format.keep_with_next = True
    return table
