"""Where everything sits on a paper ballot sheet (选票版面), in millimetres from the top-left corner.

One layout serves both sides of the paper path: the PDF renderer draws it, the scanner reads it.
Pure geometry: no fonts, no images, no Django. A layout is fully determined by its ``SheetSpec``;
``layout_code`` fingerprints the spec so a scanned sheet printed from another version is refused.

Design of the sheet (R-BAL-1/2):
- four ArUco registration markers (DICT_4X4_50, ids 0 top-left, 1 top-right, 2 bottom-right,
  3 bottom-left) at the corners, so any of the four orientations and a few degrees of skew can be
  undone by one homography;
- a QR code (top right, inside the markers) carrying election, round, serial and layout code —
  never anything about the voter (R-SUP-1);
- title, round line, how to mark (○ for, × against, no mark abstains);
- the candidates in the order given (the caller passes stroke order or the approved order), each
  with one mark box in which the voter draws ○ or ×;
- as many write-in rows (另选他人) as seats, each a name line with its own mark box; none on a tie
  revote, where only the tied may be voted on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Paper(StrEnum):
    A4 = "A4"
    A3 = "A3"


PAPER_SIZE_MM: dict[Paper, tuple[float, float]] = {Paper.A4: (210.0, 297.0), Paper.A3: (297.0, 420.0)}

MARKER_SIZE_MM = 12.0
MARKER_MARGIN_MM = 8.0  # from the paper edge to the marker's outer edge
QR_SIZE_MM = 22.0
ARUCO_DICTIONARY = "DICT_4X4_50"
MARKER_IDS = (0, 1, 2, 3)  # top-left, top-right, bottom-right, bottom-left


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """What a sheet must show. ``candidates`` are names in ballot order."""

    title: str
    round_line: str
    seats: int
    candidates: tuple[str, ...]
    write_in_rows: int
    paper: Paper | None = None  # None: the smallest paper that fits
    large_print: bool = False


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        return not (
            self.right <= other.x or other.right <= self.x or self.bottom <= other.y or other.bottom <= self.y
        )


class BoxKind(StrEnum):
    CANDIDATE = "candidate"  # the mark box beside a candidate
    WRITE_IN_MARK = "write_in_mark"  # the mark box beside a write-in line
    WRITE_IN_NAME = "write_in_name"  # the line where a voter writes a name


@dataclass(frozen=True, slots=True)
class Box:
    kind: BoxKind
    index: int  # candidate index in ``SheetSpec.candidates``, or write-in row index
    rect: Rect


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: a candidate's name and mark box, or a write-in line and its box."""

    label: Rect  # where the name (or the write-in line) goes
    mark: Box
    name: str | None  # None for a write-in row
    name_box: Box | None  # the write-in name area (write-in rows only)


@dataclass(frozen=True, slots=True)
class SheetLayout:
    spec: SheetSpec
    paper: Paper
    width: float
    height: float
    columns: int
    font_size_pt: float
    markers: tuple[Rect, Rect, Rect, Rect]  # in MARKER_IDS order
    qr: Rect
    serial_text: Rect  # the printed serial under the QR code
    title: Rect
    round_line: Rect
    instructions: Rect
    header_cells: tuple[tuple[Rect, Rect], ...]  # (name heading, mark heading) per column
    rows: tuple[Row, ...]  # candidates first, in order, then write-in rows
    write_in_heading: Rect | None
    code: str  # layout_code(spec) with the chosen paper

    @property
    def boxes(self) -> tuple[Box, ...]:
        """Every box the scanner scores, candidates first."""
        out: list[Box] = [row.mark for row in self.rows]
        out.extend(row.name_box for row in self.rows if row.name_box is not None)
        return tuple(out)

    def marker_centres(self) -> tuple[tuple[float, float], ...]:
        return tuple((m.x + m.w / 2, m.y + m.h / 2) for m in self.markers)


class LayoutProblem(Exception):
    """The candidates do not fit on the largest paper; ``rows_needed`` says how many lines."""

    def __init__(self, rows_needed: int, rows_available: int) -> None:
        super().__init__(f"{rows_needed} rows needed, at most {rows_available} fit")
        self.rows_needed = rows_needed
        self.rows_available = rows_available


# (paper, columns, dense) tried in order: the first that holds every row is used (issue 5: A4
# portrait, then two columns, then A3; dense rows only as a last resort, never for large print).
_ARRANGEMENTS: tuple[tuple[Paper, int, bool], ...] = (
    (Paper.A4, 1, False),
    (Paper.A4, 2, False),
    (Paper.A3, 2, False),
    (Paper.A3, 3, False),
    (Paper.A3, 4, False),
    (Paper.A3, 4, True),
)


def layout_code(spec: SheetSpec, paper: Paper) -> str:
    """Eight hex digits fingerprinting everything that moves a box: a scanned sheet whose QR code
    carries another code was printed from another layout and is refused."""
    parts = [
        "v1",
        paper.value,
        str(spec.seats),
        str(spec.write_in_rows),
        "L" if spec.large_print else "N",
        spec.title,
        spec.round_line,
        *spec.candidates,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:8]


def _metrics(large: bool, dense: bool = False) -> tuple[float, float, float]:
    """Row height, mark box side and font size in points."""
    if large:
        return (15.0, 11.0, 20.0)
    return (8.5, 6.5, 11.0) if dense else (11.0, 8.0, 14.0)


def _table_top(large: bool) -> float:
    return 78.0 if large else 70.0


def _rows_per_column(paper: Paper, large: bool, dense: bool) -> int:
    _, height = PAPER_SIZE_MM[paper]
    row_h, _, _ = _metrics(large, dense)
    bottom = height - MARKER_MARGIN_MM - MARKER_SIZE_MM - 4.0
    usable = bottom - (_table_top(large) + row_h)  # the heading row takes one line
    return int(usable // row_h)


def _column_rows(spec: SheetSpec, columns: int) -> list[int]:
    """How many table lines each column holds; the write-in block (heading + rows) stays whole in
    the last column so the voter sees it as one part of the sheet."""
    n = len(spec.candidates)
    block = (1 + spec.write_in_rows) if spec.write_in_rows else 0
    if columns == 1:
        return [n + block]
    per = -(-(n + block) // columns)
    counts = [min(per, max(0, n - i * per)) for i in range(columns)]
    counts[-1] = n - sum(counts[:-1]) + block
    return counts


def layout_sheet(spec: SheetSpec) -> SheetLayout:
    """Place everything; raises ``LayoutProblem`` when even A3 in four columns cannot hold it."""
    if spec.seats < 1:
        raise ValueError("seats must be at least 1")
    arrangements = [
        a
        for a in _ARRANGEMENTS
        if (spec.paper is None or a[0] == spec.paper) and not (a[2] and spec.large_print)
    ]
    for paper, columns, dense in arrangements:
        capacity = _rows_per_column(paper, spec.large_print, dense)
        counts = _column_rows(spec, columns)
        if max(counts) <= capacity:
            return _place(spec, paper, columns, dense, counts)
    paper, columns, dense = arrangements[-1]
    raise LayoutProblem(max(_column_rows(spec, columns)), _rows_per_column(paper, spec.large_print, dense))


def _place(spec: SheetSpec, paper: Paper, columns: int, dense: bool, counts: list[int]) -> SheetLayout:
    width, height = PAPER_SIZE_MM[paper]
    row_h, box, font = _metrics(spec.large_print, dense)
    m, s = MARKER_MARGIN_MM, MARKER_SIZE_MM
    markers = (
        Rect(m, m, s, s),
        Rect(width - m - s, m, s, s),
        Rect(width - m - s, height - m - s, s, s),
        Rect(m, height - m - s, s, s),
    )
    inner_left = m + s + 4.0
    qr = Rect(width - m - QR_SIZE_MM, m + s + 3.0, QR_SIZE_MM, QR_SIZE_MM)
    serial_text = Rect(qr.x - 4.0, qr.bottom + 2.5, QR_SIZE_MM + 4.0, 5.0)  # keeps the QR quiet zone
    text_right = qr.x - 4.0
    title = Rect(inner_left, m + 2.0, text_right - inner_left, 12.0 if spec.large_print else 10.0)
    round_line = Rect(inner_left, title.bottom + 2.0, text_right - inner_left, 8.0)
    instructions = Rect(
        m, serial_text.bottom + 2.0, width - 2 * m, _table_top(spec.large_print) - serial_text.bottom - 3.0
    )

    table_left, table_right = m, width - m
    gap = 6.0
    col_w = (table_right - table_left - gap * (columns - 1)) / columns
    mark_w = 30.0 if spec.large_print else (18.0 if dense else 24.0)
    top = _table_top(spec.large_print)

    headers: list[tuple[Rect, Rect]] = []
    rows: list[Row] = []
    write_in_heading: Rect | None = None
    names = list(spec.candidates)
    candidate_index = 0
    for col, count in enumerate(counts):
        x0 = table_left + col * (col_w + gap)
        name_cell_w = col_w - mark_w
        headers.append((Rect(x0, top, name_cell_w, row_h), Rect(x0 + name_cell_w, top, mark_w, row_h)))
        y = top + row_h
        is_last = col == columns - 1
        candidate_lines = count - ((1 + spec.write_in_rows) if is_last and spec.write_in_rows else 0)
        for _ in range(candidate_lines):
            rows.append(_row(x0, y, name_cell_w, mark_w, row_h, box, candidate_index, names[candidate_index]))
            candidate_index += 1
            y += row_h
        if is_last and spec.write_in_rows:
            write_in_heading = Rect(x0, y, col_w, row_h)
            y += row_h
            for w in range(spec.write_in_rows):
                rows.append(_row(x0, y, name_cell_w, mark_w, row_h, box, w, None))
                y += row_h
    return SheetLayout(
        spec=spec,
        paper=paper,
        width=width,
        height=height,
        columns=columns,
        font_size_pt=font,
        markers=markers,
        qr=qr,
        serial_text=serial_text,
        title=title,
        round_line=round_line,
        instructions=instructions,
        header_cells=tuple(headers),
        rows=tuple(rows),
        write_in_heading=write_in_heading,
        code=layout_code(spec, paper),
    )


def _row(
    x0: float, y: float, name_w: float, mark_w: float, row_h: float, box: float, index: int, name: str | None
) -> Row:
    label = Rect(x0, y, name_w, row_h)
    mark_rect = Rect(x0 + name_w + (mark_w - box) / 2, y + (row_h - box) / 2, box, box)
    if name is None:
        # The voter writes on a line inside the label cell; the scanner looks for ink there.
        name_area = Rect(x0 + 3.0, y + 1.0, name_w - 6.0, row_h - 2.0)
        return Row(
            label=label,
            mark=Box(BoxKind.WRITE_IN_MARK, index, mark_rect),
            name=None,
            name_box=Box(BoxKind.WRITE_IN_NAME, index, name_area),
        )
    return Row(label=label, mark=Box(BoxKind.CANDIDATE, index, mark_rect), name=name, name_box=None)
