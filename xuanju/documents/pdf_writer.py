"""Blocks → PDF (fpdf2) laid out per GB/T 9704-2012 (see :mod:`xuanju.documents.page`), fonts embedded.

Text sits on the standard's grid: 22 lines of 28 characters of 3号 in a 156 × 225 mm type area
(the characters are set 0.07 mm closer than their 16 pt body so that 28 fill a line). The
standard's typefaces are not free, so the PDF embeds OFL stand-ins: Noto Serif SC (bundled subset)
for 仿宋 and 楷体, its bold for 小标宋 and third-level headings, Noto Sans SC (the ballot subset) for
黑体. Characters outside the subsets come from the system's Noto CJK fonts where installed.

The creation date is the record's date, so the same records give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from xuanju.documents import page, pdf_fonts
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
from xuanju.paper.fonts import SYSTEM_FALLBACKS, FontFile

FONTS = Path(__file__).parent / "fonts"
SERIF = FontFile(FONTS / "NotoSerifSC-Document-Regular.ttf")
SERIF_BOLD = FontFile(FONTS / "NotoSerifSC-Document-Bold.ttf")
SANS = FontFile(FONTS / "NotoSansSC-Document.ttf")  # the ballot's subset as TrueType
_SERIF_FALLBACK = FontFile(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2)
_FACES = {"serif": SERIF, "serif-bold": SERIF_BOLD, "sans": SANS}
_HEADING_FACES = {1: "sans", 2: "serif", 3: "serif-bold"}
# Never start a line with closing punctuation, never end one with opening punctuation (禁则).
_NO_LINE_START = frozenset("，。、；：？！）》”’」』〕】·%％")
_NO_LINE_END = frozenset("（《“‘「『〔【")
_MAX_PULL = 6  # the most characters a break moves back to keep things together
_GRID_SPACING_MM = page.CHAR_MM - page.BODY_PT * page.MM_PER_PT
_THICK_MM, _THIN_MM = 0.35, 0.25


@dataclass(frozen=True)
class _Style:
    face: str
    size_pt: float
    spacing_mm: float = 0.0


_BODY = _Style("serif", page.BODY_PT, _GRID_SPACING_MM)
_FOOT = _Style("serif", page.FOOT_PT)


class _Document(FPDF):
    """An fpdf2 document whose footer is the standard's page number."""

    def footer(self) -> None:
        self.set_char_spacing(0)
        self.set_font("serif", size=page.FOOT_PT)
        text = f"— {self.page_no()} —"
        one_char = page.FOOT_PT * page.MM_PER_PT
        width = self.get_string_width(text)
        odd = self.page_no() % 2 == 1
        x = page.PAGE_WIDTH_MM - page.RIGHT_MM - one_char - width if odd else page.LEFT_MM + one_char
        top = page.PAGE_HEIGHT_MM - page.BOTTOM_MM + page.PAGE_NUMBER_GAP_MM
        self.set_xy(x, top)
        self.cell(width, one_char * 1.2, text)


def pdf_bytes(blocks: Sequence[Block], *, title: str, author: str, dated: date) -> bytes:
    """The PDF of ``blocks``; ``dated`` (the record's date) is its creation date."""
    pdf = _new_document(title, author, dated, blocks)
    writer = _layout(pdf, blocks, frozenset())
    if writer.pushed:  # a table pushed the signature alone onto a page: its last row goes along
        pdf = _new_document(title, author, dated, blocks)
        writer = _layout(pdf, blocks, frozenset(writer.pushed))
    return bytes(pdf.output(output_producer_class=pdf_fonts.Output))


def _new_document(title: str, author: str, dated: date, blocks: Sequence[Block]) -> _Document:
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(page.LEFT_MM, page.TOP_MM, page.RIGHT_MM)
    pdf.set_auto_page_break(True, margin=page.BOTTOM_MM)
    pdf.set_creation_date(datetime(dated.year, dated.month, dated.day, tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("xuanju")
    pdf.set_lang("zh-CN")
    for name, font in _FACES.items():
        pdf_fonts.add(pdf, name, font.path)  # parsed once per process, subset without fontTools
    fallbacks = _fallbacks(_all_text(blocks))
    for number, font in enumerate(fallbacks):
        pdf.add_font(f"fallback{number}", fname=str(font.path), collection_font_number=font.index)
    if fallbacks:
        pdf.set_fallback_fonts([f"fallback{n}" for n in range(len(fallbacks))])
    return pdf


def _layout(pdf: FPDF, blocks: Sequence[Block], split: frozenset[int]) -> _Writer:
    pdf.add_page()
    writer = _Writer(pdf, split)
    for index, block in enumerate(blocks):
        writer.write(block, blocks, index)
    return writer


# --- fonts -------------------------------------------------------------------------------------


@cache
def _cmap(font: FontFile) -> frozenset[int]:
    with TTFont(font.path, fontNumber=font.index, lazy=True) as face:
        return frozenset(face.getBestCmap())


def _fallbacks(text: str) -> list[FontFile]:
    """The system fonts needed for characters the bundled subsets lack (rare name characters)."""
    missing = {c for c in text if not c.isspace() and ord(c) not in _cmap(SERIF)}
    needed = []
    for font in (_SERIF_FALLBACK, *SYSTEM_FALLBACKS):
        if not missing or not font.path.is_file():
            continue
        covered = {c for c in missing if ord(c) in _cmap(font)}
        if covered:
            needed.append(font)
            missing -= covered
    return needed


def _all_text(blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        match block:
            case Title(lines):
                parts.extend(lines)
            case Table(header, rows):
                parts.extend(header)
                parts.extend(cell for row in rows for cell in row)
            case Printed(office, date_text):
                parts += [office, date_text]
            case PageBreak():
                pass
            case _:
                parts.append(block.text)
    return "".join(parts)


def _together(before: str, after: str) -> bool:
    """Whether a line may not break between ``before`` and ``after``."""
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return True
    return before.isascii() and before.isalnum() and after.isascii() and (after.isalnum() or after in ".%")


# --- layout ------------------------------------------------------------------------------------


def _closing_lines(blocks: Sequence[Block], index: int) -> int:
    """The lines the closing block after ``blocks[index]`` takes (0 if none follows): the seal's
    room, the signature and the date, or the line above a date and the date."""
    if not before_closing(blocks, index):
        return 0
    following = blocks[index + 1 :]
    if isinstance(following[0], Signature):
        dated = len(following) > 1 and isinstance(following[1], DateLine)
        return page.SEAL_LINES + 1 + (1 if dated else 0)
    return 2


class _Writer:
    """Places blocks line by line on the grid, a new page when the type area is full."""

    def __init__(self, pdf: FPDF, split_before_last_row: frozenset[int] = frozenset()) -> None:
        self.pdf = pdf
        self.y = page.TOP_MM
        # Tables (by index) right before the closing block that are drawn with their last row on
        # a new page, and those found to have pushed the closing block alone onto a new page.
        self.split_before_last_row = split_before_last_row
        self.pushed: set[int] = set()

    def write(self, block: Block, blocks: Sequence[Block], index: int) -> None:
        match block:
            case Title(lines):
                for line in lines:
                    self._lines(line, _Style("serif-bold", page.TITLE_PT), align="C")
                self._skip(1)  # the text starts one line below the title
            case DocumentNumber(text):
                self._lines(text, _BODY, align="C")
                self._skip(1)
            case Addressee(text):
                self._lines(text if text.endswith("：") else text + "：", _BODY)
            case Heading(level, text):
                style = _Style(_HEADING_FACES[level], page.BODY_PT, _GRID_SPACING_MM)
                self._lines(text, style, indent=True, keep_after=_closing_lines(blocks, index))
            case Paragraph(text):
                self._lines(text, _BODY, indent=True, keep_after=_closing_lines(blocks, index))
            case Table(header, rows):
                widths = page.column_widths_mm([header, *rows])
                if before_closing(blocks, index) and index in self.split_before_last_row and rows:
                    self._table(header, rows[:-1], widths)
                    self._new_page()  # the last row goes with the signature, under the header
                    self._table(header, rows[-1:], widths)
                else:
                    self._table(header, rows, widths)
            case Signature(text):
                date_text = next((b.text for b in blocks[index:] if isinstance(b, DateLine)), "")
                self._keep_closing(blocks, index)
                self._skip(page.SEAL_LINES)  # room for the seal over the name and the date
                self._right(text, page.signature_right_chars(text, date_text))
            case DateLine(text):
                if not (index and isinstance(blocks[index - 1], Signature)):
                    self._keep_closing(blocks, index)
                    self._skip(1)
                self._right(text, page.DATE_RIGHT_CHARS)
            case CarbonCopy() | Printed():
                if not (index and isinstance(blocks[index - 1], (CarbonCopy, Printed))):
                    self._imprint([b for b in blocks[index:] if isinstance(b, (CarbonCopy, Printed))])
            case PageBreak():
                self._new_page()

    # --- lines ---

    def _keep_closing(self, blocks: Sequence[Block], index: int) -> None:
        """A new page unless the closing block starting at ``blocks[index]`` fits on this one; a
        table before it that leaves it alone there is noted, to be drawn again split."""
        page_before = self.pdf.page
        self._keep(_closing_lines(blocks, index - 1))
        if self.pdf.page != page_before and index and isinstance(blocks[index - 1], Table):
            self.pushed.add(index - 1)

    def _skip(self, lines: int) -> None:
        self.y += lines * page.LINE_MM

    def _keep(self, lines: float) -> None:
        """A new page unless ``lines`` more lines fit on this one (or this one is still empty)."""
        if self.y <= page.TOP_MM + 0.01:
            return
        if self.y + lines * page.LINE_MM > page.PAGE_HEIGHT_MM - page.BOTTOM_MM + 0.01:
            self._new_page()

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.y = page.TOP_MM

    def _use(self, style: _Style) -> None:
        self.pdf.set_font(style.face, size=style.size_pt)
        self.pdf.set_char_spacing(style.spacing_mm)

    def _advances(self, text: str, style: _Style) -> dict[str, int] | None:
        """Each character's advance in ``style``'s face (thousandths of an em), to measure lines as
        they grow without asking fpdf2 for the width of every prefix (quadratic, and most of a
        document's time); None where a character needs a fallback font (fpdf2 measures those)."""
        font = self.pdf.fonts[style.face]
        glyphs, advances = getattr(font, "glyph_ids", None), getattr(font, "cw", None)
        if glyphs is None or advances is None or any(ord(c) not in glyphs for c in text):
            return None
        return {c: advances[ord(c)] for c in set(text)}

    def _wider(
        self, line: str, char: str, total: int, advances: dict[str, int] | None, style: _Style
    ) -> float:
        """The width of ``line`` and ``char`` (``total``: the advances of ``line``)."""
        if advances is None:
            return self._width(line + char, style)
        return self._fast_width(total + advances[char], len(line) + 1, style)

    def _fast_width(self, total: int, length: int, style: _Style) -> float:
        """What :meth:`_width` gives for ``length`` characters whose advances add up to ``total``:
        fpdf2's own arithmetic (its Fragment.get_width), step for step, so the lines break alike."""
        width = total * style.size_pt * 0.001
        if style.spacing_mm != 0:
            width += style.spacing_mm * length
        return float(width / self.pdf.k) + style.spacing_mm * length

    def _width(self, text: str, style: _Style) -> float:
        self._use(style)
        return float(self.pdf.get_string_width(text)) + style.spacing_mm * len(text)

    def _lines(
        self, text: str, style: _Style, align: str = "L", indent: bool = False, keep_after: int = 0
    ) -> None:
        """``text`` broken into lines; with ``keep_after``, the paragraph is kept whole on the page
        of the ``keep_after`` lines that follow it (the closing block) where one page holds both,
        and at least its last two lines are, as the .docx's keep-together and keep-with-next."""
        indent_mm = page.INDENT_CHARS * page.CHAR_MM if indent else 0.0
        lines = self._break(text, style, indent_mm)
        if keep_after and len(lines) + keep_after <= page.LINES_PER_PAGE:
            self._keep(len(lines) + keep_after)
        for number, line in enumerate(lines):
            if keep_after and number == max(0, len(lines) - 2):
                self._keep(len(lines) - number + keep_after)
            self._keep(1)
            x = page.LEFT_MM + (indent_mm if number == 0 else 0.0)
            width = page.TYPE_WIDTH_MM - (x - page.LEFT_MM)
            self._use(style)
            self.pdf.set_xy(x, self.y)
            self.pdf.cell(width, page.LINE_MM, line, align=align)
            self.y += page.LINE_MM

    def _break(self, text: str, style: _Style, first_indent_mm: float) -> list[str]:
        """Greedy breaking between any two characters (Chinese has no spaces), moving the break back
        over 禁则 (no closing punctuation first, no opening punctuation last) and numbers."""
        lines: list[str] = []
        line = ""
        available = page.TYPE_WIDTH_MM - first_indent_mm
        advances = self._advances(text, style)
        total = 0  # the line's advances, in thousandths of an em
        if len(text) > 1:
            self._use(style)  # the state measuring through fpdf2 left behind, as before
        for char in text:
            if line and self._wider(line, char, total, advances, style) > available + 0.01:
                cut = len(line)
                following = char
                while cut > len(line) - _MAX_PULL and cut > 1 and _together(line[cut - 1], following):
                    cut -= 1
                    following = line[cut]
                if cut <= len(line) - _MAX_PULL or cut <= 1:
                    cut = len(line)  # nothing better within reach: break where it overflows
                lines.append(line[:cut])
                line = line[cut:]
                available = page.TYPE_WIDTH_MM
                if advances is not None:
                    total = sum(advances[c] for c in line)
            line += char
            if advances is not None:
                total += advances[char]
        if line:
            lines.append(line)
        return lines

    def _right(self, text: str, right_chars: float) -> None:
        self._keep(1)
        self._use(_BODY)
        right = page.PAGE_WIDTH_MM - page.RIGHT_MM - right_chars * page.CHAR_MM
        width = self._width(text, _BODY)
        self.pdf.set_xy(right - width, self.y)
        self.pdf.cell(width, page.LINE_MM, text)
        self.y += page.LINE_MM

    # --- tables ---

    def _table(self, header: tuple[str, ...], rows: tuple[tuple[str, ...], ...], widths: list[float]) -> None:
        size = page.table_pt(len(header))
        pdf = self.pdf
        pdf.set_char_spacing(0)
        pdf.set_font("serif", size=size)
        pdf.set_line_width(0.2)
        pdf.set_xy(page.LEFT_MM, self.y)
        with pdf.table(
            col_widths=tuple(widths),
            width=page.TYPE_WIDTH_MM,
            line_height=size * page.MM_PER_PT * page.TABLE_LINE_FACTOR,
            text_align="CENTER",
            headings_style=FontFace(family="sans", size_pt=size, emphasis=""),
            cell_fill_mode=TableCellFillMode.NONE,
            padding=page.TABLE_PADDING_MM,
            first_row_as_headings=True,
        ) as table:
            for values in (header, *rows):
                row = table.row()
                for value in values:
                    row.cell(value)
        self.y = pdf.get_y() + page.LINE_MM / 2

    # --- the imprint (版记) ---

    def _imprint(self, lines: list[Block]) -> None:
        """抄送 and 印发 at the foot of the last page, between rules (GB/T 9704-2012, 8)."""
        pdf = self.pdf
        height = len(lines) * page.LINE_MM
        top = page.PAGE_HEIGHT_MM - page.BOTTOM_MM - height
        if self.y > top + 0.01:
            self._new_page()
        one_char = page.FOOT_PT * page.MM_PER_PT
        left, right = page.LEFT_MM, page.PAGE_WIDTH_MM - page.RIGHT_MM
        self._use(_FOOT)
        for number, block in enumerate(lines):
            y = top + number * page.LINE_MM
            pdf.set_line_width(_THICK_MM if number == 0 else _THIN_MM)
            pdf.line(left, y, right, y)
            if isinstance(block, CarbonCopy):
                pdf.set_xy(left + one_char, y)
                pdf.cell(right - left - 2 * one_char, page.LINE_MM, f"抄送：{block.text.rstrip('。')}。")
            elif isinstance(block, Printed):
                pdf.set_xy(left + one_char, y)
                pdf.cell(right - left - 2 * one_char, page.LINE_MM, block.office)
                pdf.set_xy(left + one_char, y)
                pdf.cell(right - left - 2 * one_char, page.LINE_MM, page.printed_date(block.date), align="R")
        pdf.set_line_width(_THICK_MM)
        pdf.line(left, top + height, right, top + height)
        self.y = top + height
