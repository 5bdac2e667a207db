"""Ballot sheets (选票) as PDF: draws exactly what :mod:`xuanju.paper.layout` places, nothing moved.

Every sheet of a round is the same page except its QR code and printed serial, so the text is fitted
once per document and each page replays the same plan. Markers and QR codes are filled vector
rectangles, not images: an image is resampled by the printer driver and its module edges blur, while
a rectangle prints with sharp edges at any resolution.

Text is set in the fonts :mod:`xuanju.paper.fonts` finds; a name with a character none of them has
is refused (:class:`FontMissing`) before anything is drawn, never printed as an empty box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2
import segno
from fpdf import FPDF
from fpdf.enums import TextMode

from xuanju.paper.fonts import fonts_for, uncovered
from xuanju.paper.layout import Rect, SheetLayout
from xuanju.paper.sheet_id import SheetId

MM_PER_PT = 25.4 / 72
GRID_MM = 0.2  # the table's cell borders
BOX_MM = 0.35  # the mark boxes: clearly darker than the grid so the voter sees where to mark
BOLD_STROKE_MM_PER_PT = 0.015  # outline stroke that thickens the one-weight font for headings
MIN_TEXT_PT = 8.0  # below this the elderly cannot read a name: wrap to two lines instead
LINE_SPACING = 1.25
CELL_PADDING_MM = 2.0
SERIAL_LABEL = "编号"
MAX_SERIAL = 999_999  # six digits: what the serial field of a sheet id holds
# Never start a line with closing punctuation, never end one with opening punctuation (禁则).
_NO_LINE_START = frozenset("，。、；：？！）》”’」』〕】·")
_NO_LINE_END = frozenset("（《“‘「『〔【")
# A fixed date keeps the bytes of a document a function of its content alone.
_CREATION_DATE = datetime(2020, 7, 6, tzinfo=UTC)


class FontMissing(Exception):
    """Characters of the sheet's text that no ballot font can show; ``texts`` are the names (or the
    title) in which they occur."""

    def __init__(self, characters: Sequence[str], texts: Sequence[str]) -> None:
        super().__init__("".join(characters))
        self.characters = tuple(characters)
        self.texts = tuple(texts)


class TextTooLong(Exception):
    """A name or title that does not fit its place on the sheet even in two lines of the smallest
    readable size."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def instructions_text(layout: SheetLayout) -> str:
    """How to mark (R-BAL-2, R-BAL-3), as printed above the table; a tie revote has no write-ins."""
    seats = layout.spec.seats
    items = ["赞成的，在其姓名后的符号栏内画“○”；不赞成的，画“×”；弃权的，不画任何符号。"]
    if layout.spec.write_in_rows:
        items.append(
            "不赞成某候选人而另选他人的，在“另选他人”栏内写上另选人的姓名，并在其后的符号栏内画“○”；"
            "另选人数不得多于不赞成的人数。"
        )
        items.append(f"赞成人数与另选人数之和多于应选人数（{seats} 名）的为无效票。")
    else:
        items.append(f"赞成人数多于应选人数（{seats} 名）的为无效票。")
    items.append("请用黑色或蓝色笔填写，字迹清楚，不得涂改。")
    return "填写说明：" + "".join(f"{n}.{item}" for n, item in enumerate(items, start=1))


@dataclass(frozen=True, slots=True)
class PrintedMark:
    """A mark printed on a test-deck sheet as a voter would draw it: ``circle`` (○) or ``cross``
    (×) in a mark box, or ``name`` (``text`` written on a write-in line)."""

    rect: Rect
    kind: str
    text: str = ""


MARK_STROKE_MM = 0.6  # a firm pen stroke, as a voter's ballpoint or gel pen draws it


def ballot_pdf(
    layout: SheetLayout,
    sheets: Sequence[SheetId],
    marks: Sequence[Sequence[PrintedMark]] | None = None,
    footer: str = "",
) -> bytes:
    """One page per sheet, identical but for the QR code and the serial under it; ``marks`` (one
    list per sheet) are drawn on a test deck's sheets, and ``footer`` under the table, between the
    bottom markers, where the scanner looks for nothing."""
    _check_fonts(layout, footer, *(m.text for sheet in marks or () for m in sheet))
    pdf = _document(layout, footer, *(m.text for sheet in marks or () for m in sheet))
    plan = _plan(pdf, layout)
    for number, sheet in enumerate(sheets):
        pdf.add_page()
        _draw_plan(pdf, plan)
        _draw_cells(pdf, layout.qr, _qr_cells(sheet.payload()))
        if sheet.serial is not None:  # an unnumbered sheet shows nothing there
            _draw_text(pdf, _serial_text(layout, sheet.serial))
        if footer:
            _draw_text(pdf, _footer(pdf, layout, footer))
        for mark in marks[number] if marks else ():
            _draw_mark(pdf, mark, layout.font_size_pt)
    return bytes(pdf.output())


def _footer(pdf: FPDF, layout: SheetLayout, text: str) -> _Text:
    m = layout.markers[3]
    rect = Rect(m.right + 4.0, m.y, layout.markers[2].x - m.right - 8.0, m.h)
    return _fit(pdf, _printed(text), rect, 12.0, MIN_TEXT_PT, bold=True)


def _draw_mark(pdf: FPDF, mark: PrintedMark, size_pt: float) -> None:
    r = mark.rect
    pdf.set_line_width(MARK_STROKE_MM)
    if mark.kind == "circle":
        inset = r.w * 0.18
        pdf.ellipse(r.x + inset, r.y + inset, r.w - 2 * inset, r.h - 2 * inset)
    elif mark.kind == "cross":
        inset = r.w * 0.2
        pdf.line(r.x + inset, r.y + inset, r.right - inset, r.bottom - inset)
        pdf.line(r.right - inset, r.y + inset, r.x + inset, r.bottom - inset)
    elif mark.kind == "name":
        _draw_text(pdf, _fit(pdf, _printed(mark.text), r, size_pt, MIN_TEXT_PT))
    else:  # pragma: no cover - the callers pass one of the three
        raise ValueError(f"unknown mark {mark.kind!r}")


def sheet_image(layout: SheetLayout, sheet: SheetId, dpi: int = 200) -> npt.NDArray[np.uint8]:
    """The sheet as a scanner would see a perfect print: grayscale, 0 black to 255 white.

    Sheets are rendered a block of serials at a time and the PDF kept: embedding the font costs
    about 100 ms per document, rasterizing a page about 15 ms."""
    if sheet.serial is None:
        return _unnumbered_image(layout, sheet, dpi)
    block = sheet.serial // _BLOCK
    document = pypdfium2.PdfDocument(_sheet_block(layout, sheet.election, sheet.round, sheet.layout, block))
    try:
        bitmap = document[sheet.serial - block * _BLOCK].render(scale=dpi / 72, grayscale=True)
        image: npt.NDArray[np.uint8] = np.array(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        document.close()
    return image.reshape(image.shape[0], image.shape[1])


_BLOCK = 25


@lru_cache(maxsize=8)
def _unnumbered_pdf(layout: SheetLayout, sheet: SheetId) -> bytes:
    return ballot_pdf(layout, [sheet])


def _unnumbered_image(layout: SheetLayout, sheet: SheetId, dpi: int) -> npt.NDArray[np.uint8]:
    document = pypdfium2.PdfDocument(_unnumbered_pdf(layout, sheet))
    try:
        bitmap = document[0].render(scale=dpi / 72, grayscale=True)
        image: npt.NDArray[np.uint8] = np.array(bitmap.to_numpy(), dtype=np.uint8)
    finally:
        document.close()
    return image.reshape(image.shape[0], image.shape[1])


@lru_cache(maxsize=8)
def _sheet_block(layout: SheetLayout, election: str, round_: str, code: str, block: int) -> bytes:
    """The PDF of the sheets with serials ``block * _BLOCK`` onwards."""
    first = block * _BLOCK
    serials = range(first, min(first + _BLOCK, MAX_SERIAL + 1))
    return ballot_pdf(layout, [SheetId(election, round_, n, code) for n in serials])


# --- fonts -------------------------------------------------------------------------------------


def _printed(text: str) -> str:
    """``text`` with each run of spaces (full-width ones too, which some fonts lack) as one space."""
    return " ".join(text.split())


def _given_texts(layout: SheetLayout) -> list[str]:
    spec = layout.spec
    return [_printed(t) for t in (spec.title, spec.round_line, *spec.candidates)]


def _sheet_text(layout: SheetLayout) -> str:
    fixed = ["候选人姓名", "符号栏", "另选他人", SERIAL_LABEL, " 0123456789", instructions_text(layout)]
    return "".join([*_given_texts(layout), *fixed])


def _check_fonts(layout: SheetLayout, *extra: str) -> None:
    missing = uncovered(_sheet_text(layout) + "".join(extra))
    if missing:
        texts = [*_given_texts(layout), *extra]
        raise FontMissing(missing, [t for t in texts if set(t) & set(missing)])


def _document(layout: SheetLayout, *extra: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.c_margin = 0
    pdf.set_creation_date(_CREATION_DATE)
    pdf.set_title(layout.spec.title)
    pdf.set_creator("xuanju")
    pdf.set_lang("zh-CN")
    names = []
    for number, font in enumerate(fonts_for(_sheet_text(layout) + "".join(extra))):
        names.append(f"ballot{number}")
        pdf.add_font(names[-1], fname=str(font.path), collection_font_number=font.index)
    pdf.set_font(names[0], size=10)
    if len(names) > 1:
        pdf.set_fallback_fonts(names[1:])
    pdf.set_draw_color(0)
    pdf.set_fill_color(0)
    pdf.set_text_color(0)
    return pdf


# --- the plan: every fixed thing on the page, fitted once --------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    """Lines of text at one size, each centred (or left-aligned) in its own slot."""

    lines: tuple[tuple[Rect, str], ...]
    size_pt: float
    bold: bool = False
    align: str = "C"


@dataclass(frozen=True, slots=True)
class _Plan:
    texts: tuple[_Text, ...]
    grid: tuple[Rect, ...]
    boxes: tuple[Rect, ...]
    lines: tuple[tuple[float, float, float], ...]  # write-in baselines: x1, x2, y
    markers: tuple[tuple[Rect, tuple[tuple[bool, ...], ...]], ...]


def _plan(pdf: FPDF, layout: SheetLayout) -> _Plan:
    spec = layout.spec
    size = layout.font_size_pt
    large = spec.large_print
    texts = [
        _fit(pdf, _printed(spec.title), layout.title, 26.0 if large else 20.0, 12.0, bold=True),
        _fit(pdf, _printed(spec.round_line), layout.round_line, 16.0 if large else 13.0, 9.0),
        _paragraph(pdf, instructions_text(layout), layout.instructions, 15.0 if large else 10.0),
    ]
    grid: list[Rect] = []
    for name_cell, mark_cell in layout.header_cells:
        texts.append(_fit(pdf, "候选人姓名", _padded(name_cell), size * 0.85, MIN_TEXT_PT, bold=True))
        texts.append(_fit(pdf, "符号栏", _padded(mark_cell), size * 0.85, MIN_TEXT_PT, bold=True))
        grid += [name_cell, mark_cell]
    mark_width = layout.header_cells[0][1].w
    lines: list[tuple[float, float, float]] = []
    for row in layout.rows:
        grid += [row.label, Rect(row.label.right, row.label.y, mark_width, row.label.h)]
        if row.name is not None:
            texts.append(_fit(pdf, _printed(row.name), _padded(row.label), size, MIN_TEXT_PT))
        if row.name_box is not None:
            area = row.name_box.rect
            lines.append((area.x, area.right, area.bottom - 1.0))
    if layout.write_in_heading is not None:
        heading = layout.write_in_heading
        grid.append(heading)
        name_part = Rect(heading.x, heading.y, heading.w - mark_width, heading.h)
        texts.append(_fit(pdf, "另选他人", _padded(name_part), size * 0.85, MIN_TEXT_PT, bold=True))
    return _Plan(
        texts=tuple(texts),
        grid=tuple(grid),
        boxes=tuple(row.mark.rect for row in layout.rows),
        lines=tuple(lines),
        markers=tuple((rect, _marker_cells(number)) for number, rect in enumerate(layout.markers)),
    )


def _padded(rect: Rect) -> Rect:
    return Rect(rect.x + CELL_PADDING_MM, rect.y, rect.w - 2 * CELL_PADDING_MM, rect.h)


def _width_mm(pdf: FPDF, text: str, size_pt: float) -> float:
    pdf.set_font_size(size_pt)
    return float(pdf.get_string_width(text))


def _fit(
    pdf: FPDF, text: str, rect: Rect, preferred_pt: float, min_pt: float, *, bold: bool = False
) -> _Text:
    """The largest size up to ``preferred_pt`` at which ``text`` fits ``rect`` on one line, else on
    two; never below ``min_pt``."""
    for lines in _splits(text):
        widest = max(_width_mm(pdf, line, preferred_pt) for line in lines)
        by_width = preferred_pt * rect.w / widest if widest else preferred_pt
        by_height = rect.h / (len(lines) * LINE_SPACING * MM_PER_PT)
        size = min(preferred_pt, by_width, by_height)
        if size >= min_pt:
            return _Text(_stack(lines, rect, size), size, bold)
    raise TextTooLong(text)


def _splits(text: str) -> tuple[tuple[str, ...], ...]:
    """One line, then two: at the middle dot of a transliterated name nearest the centre (阿卜杜热合曼
    ·买买提), else at the middle."""
    if len(text) < 2:
        return ((text,),)
    dots = [i for i, c in enumerate(text) if c == "·"]
    cut = min(dots, key=lambda i: abs(2 * i - len(text))) + 1 if dots else (len(text) + 1) // 2
    return ((text,), (text[:cut], text[cut:]))


def _stack(lines: Sequence[str], rect: Rect, size_pt: float) -> tuple[tuple[Rect, str], ...]:
    """Slots for ``lines``, one line height each, centred as a block in ``rect``."""
    height = size_pt * LINE_SPACING * MM_PER_PT
    top = rect.y + (rect.h - height * len(lines)) / 2
    return tuple((Rect(rect.x, top + i * height, rect.w, height), line) for i, line in enumerate(lines))


def _paragraph(pdf: FPDF, text: str, rect: Rect, preferred_pt: float) -> _Text:
    """``text`` broken into lines that fill ``rect``, at the largest size (in half points) that fits."""
    size = preferred_pt
    while size >= MIN_TEXT_PT - 1:
        lines = _break_lines(pdf, text, rect.w, size)
        if len(lines) * size * LINE_SPACING * MM_PER_PT <= rect.h:
            return _Text(_stack(lines, rect, size), size, align="L")
        size -= 0.5
    raise TextTooLong(text)


def _break_lines(pdf: FPDF, text: str, width: float, size_pt: float) -> list[str]:
    """Greedy breaking between any two characters (Chinese has no spaces), with 禁则."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and _width_mm(pdf, line + char, size_pt) > width:
            carried = ""
            if char in _NO_LINE_START:
                carried, line = line[-1], line[:-1]
            while line and line[-1] in _NO_LINE_END:
                carried, line = line[-1] + carried, line[:-1]
            lines.append(line)
            line = carried
        line += char
    if line:
        lines.append(line)
    return lines


def _serial_text(layout: SheetLayout, serial: int) -> _Text:
    # Set low in its slot: the space just under the QR code is the code's quiet zone.
    rect = layout.serial_text
    size = min(layout.font_size_pt * 0.75, rect.h / MM_PER_PT / LINE_SPACING)
    height = size * LINE_SPACING * MM_PER_PT
    slot = Rect(rect.x, rect.bottom - height, rect.w, height)
    return _Text(((slot, f"{SERIAL_LABEL} {serial:04d}"),), size)


@cache
def _marker_cells(marker_id: int) -> tuple[tuple[bool, ...], ...]:
    """The ArUco marker's 6×6 cells (black border included), True for black."""
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    image = cv2.aruco.generateImageMarker(dictionary, marker_id, 6, borderBits=1)
    return tuple(tuple(bool(v < 128) for v in row) for row in image)


def _qr_cells(payload: str) -> tuple[tuple[bool, ...], ...]:
    qr = segno.make_qr(payload, error="m")
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


# --- drawing -----------------------------------------------------------------------------------


def _draw_plan(pdf: FPDF, plan: _Plan) -> None:
    for rect, cells in plan.markers:
        _draw_cells(pdf, rect, cells)
    pdf.set_line_width(GRID_MM)
    for rect in plan.grid:
        pdf.rect(rect.x, rect.y, rect.w, rect.h)
    for x1, x2, y in plan.lines:
        pdf.line(x1, y, x2, y)
    pdf.set_line_width(BOX_MM)
    for rect in plan.boxes:
        pdf.rect(rect.x, rect.y, rect.w, rect.h)
    for text in plan.texts:
        _draw_text(pdf, text)


def _draw_text(pdf: FPDF, text: _Text) -> None:
    pdf.set_font_size(text.size_pt)
    if text.bold:
        pdf.set_line_width(BOLD_STROKE_MM_PER_PT * text.size_pt)
        pdf.text_mode = TextMode.FILL_STROKE
    for slot, line in text.lines:
        pdf.set_xy(slot.x, slot.y)
        pdf.cell(slot.w, slot.h, line, align=text.align)
    pdf.text_mode = TextMode.FILL


def _draw_cells(pdf: FPDF, rect: Rect, cells: Sequence[Sequence[bool]]) -> None:
    """A square grid of black cells filling ``rect``."""
    side = rect.w / len(cells)
    for col, row, width, height in _cell_blocks(cells):
        pdf.rect(rect.x + col * side, rect.y + row * side, width * side, height * side, style="F")


def _cell_blocks(cells: Sequence[Sequence[bool]]) -> list[tuple[int, int, int, int]]:
    """The black cells as few rectangles (column, row, width, height): each row's runs, a run merged
    with the same run in the rows below. Drawing operators are most of a page's cost."""
    blocks: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # (first column, end column) → first row
    for r, row in enumerate([*cells, []]):
        runs = _runs(row)
        for run in [run for run in open_runs if run not in runs]:
            top = open_runs.pop(run)
            blocks.append((run[0], top, run[1] - run[0], r - top))
        for run in runs:
            open_runs.setdefault(run, r)
    return blocks


def _runs(row: Sequence[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    c = 0
    while c < len(row):
        if row[c]:
            start = c
            while c < len(row) and row[c]:
                c += 1
            runs.append((start, c))
        c += 1
    return runs
