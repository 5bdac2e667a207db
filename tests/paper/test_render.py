"""The printed sheet: what is on it, where, and that a scanner can find its markers and read its QR code."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np
import pypdfium2
import pytest
import zxingcpp

from xuanju.paper import fonts
from xuanju.paper.fonts import BUNDLED_FONT, FontUnusable
from xuanju.paper.layout import MARKER_IDS, Paper, Rect, SheetLayout, SheetSpec, layout_sheet
from xuanju.paper.render import (
    MIN_TEXT_PT,
    FontMissing,
    TextTooLong,
    ballot_pdf,
    instructions_text,
    sheet_image,
)
from xuanju.paper.sheet_id import SheetId, parse_sheet_id
from xuanju.rules.names import sort_names

MM_PER_PT = 25.4 / 72
# Input order on purpose not the stroke order: 丁 2, 马 3, 王 4, 李 7 (横 first), 阿 7 (折 first),
# 欧(阳) 8 strokes.
NAMES = ("王芳", "李强", "欧阳明", "马晓东", "丁一", "阿卜杜热合曼·买买提")


def spec(
    names: tuple[str, ...] = NAMES, *, seats: int = 3, write_in_rows: int | None = None, **options: object
) -> SheetSpec:
    return SheetSpec(
        title="中共示范街道第一党支部委员会委员选举选票",
        round_line=f"应选 {seats} 名，候选人 {len(names)} 名",
        seats=seats,
        candidates=names,
        write_in_rows=seats if write_in_rows is None else write_in_rows,
        **options,  # type: ignore[arg-type]
    )


def sheet(layout: SheetLayout, serial: int = 31) -> SheetId:
    return SheetId("F1a2b3c4d", "R1", serial, layout.code)


@contextmanager
def first_page(pdf: bytes) -> Iterator[pypdfium2.PdfPage]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        yield document[0]
    finally:
        document.close()


def texts(pdf: bytes) -> list[str]:
    """The text of each page, lines joined: a paragraph's line breaks are not in the words."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [str(page.get_textpage().get_text_range()).replace("\r\n", "") for page in document]
    finally:
        document.close()


def glyph_boxes(pdf: bytes) -> list[tuple[str, Rect, float]]:
    """Each character on the first page with its box in millimetres from the top left, and its size
    in points."""
    with first_page(pdf) as page:
        return _glyph_boxes(page)


def _glyph_boxes(page: pypdfium2.PdfPage) -> list[tuple[str, Rect, float]]:
    textpage = page.get_textpage()
    height_pt = page.get_height()
    out = []
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if not char.strip():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        rect = Rect(
            left * MM_PER_PT,
            (height_pt - top) * MM_PER_PT,
            (right - left) * MM_PER_PT,
            (top - bottom) * MM_PER_PT,
        )
        out.append((char, rect, pypdfium2.raw.FPDFText_GetFontSize(textpage.raw, i)))
    return out


def inside(inner: Rect, outer: Rect, slack: float = 0.3) -> bool:
    return (
        outer.x - slack <= inner.x
        and inner.right <= outer.right + slack
        and outer.y - slack <= inner.y
        and inner.bottom <= outer.bottom + slack
    )


def test_R_BAL_1_candidates_printed_in_the_order_of_the_layout():
    ordered = tuple(sort_names(NAMES))
    assert ordered == ("丁一", "马晓东", "王芳", "李强", "阿卜杜热合曼·买买提", "欧阳明")
    layout = layout_sheet(spec(ordered))
    text = texts(ballot_pdf(layout, [sheet(layout)]))[0]
    positions = [text.find(name) for name in ordered]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert "中共示范街道第一党支部委员会委员选举选票" in text and "应选 3 名" in text


def test_one_page_per_sheet_differing_only_in_serial():
    layout = layout_sheet(spec())
    printed = texts(ballot_pdf(layout, [sheet(layout, n) for n in (1, 2, 300)]))
    assert len(printed) == 3
    assert "编号 0001" in printed[0] and "编号 0002" in printed[1] and "编号 0300" in printed[2]
    assert printed[0].replace("0001", "") == printed[2].replace("0300", "")


def test_the_page_has_the_layout_size_in_portrait():
    for layout in (layout_sheet(spec()), layout_sheet(spec(paper=Paper.A3))):
        with first_page(ballot_pdf(layout, [sheet(layout)])) as page:
            width, height = page.get_size()
        assert width * MM_PER_PT == pytest.approx(layout.width, abs=0.1)
        assert height * MM_PER_PT == pytest.approx(layout.height, abs=0.1)


def test_the_same_input_gives_the_same_bytes():
    layout = layout_sheet(spec())
    assert ballot_pdf(layout, [sheet(layout)]) == ballot_pdf(layout, [sheet(layout)])


@pytest.mark.parametrize("dpi", [150, 200, 300])
def test_the_qr_code_decodes_to_the_sheet_id(dpi):
    layout = layout_sheet(spec())
    expected = sheet(layout, 42)
    found = zxingcpp.read_barcodes(sheet_image(layout, expected, dpi=dpi))
    assert [parse_sheet_id(code.text) for code in found] == [expected]


@pytest.mark.parametrize("options", [{}, {"large_print": True}, {"paper": Paper.A3}])
def test_the_four_aruco_markers_are_found_where_the_layout_puts_them(options):
    layout = layout_sheet(spec(**options))
    dpi = 150
    image = sheet_image(layout, sheet(layout), dpi=dpi)
    detector = cv2.aruco.ArucoDetector(
        cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50), cv2.aruco.DetectorParameters()
    )
    corners, ids, _ = detector.detectMarkers(image)
    assert ids is not None and sorted(ids.ravel().tolist()) == list(MARKER_IDS)
    mm_per_px = 25.4 / dpi
    for marker_corners, marker_id in zip(corners, ids.ravel(), strict=True):
        # Pixel i covers [i, i+1): its centre is at i + 0.5.
        x, y = (marker_corners[0].mean(axis=0) + 0.5) * mm_per_px
        expected_x, expected_y = layout.marker_centres()[marker_id]
        assert abs(x - expected_x) < 1.0 and abs(y - expected_y) < 1.0


def test_boxes_are_drawn_exactly_where_the_layout_says():
    layout = layout_sheet(spec())
    dpi = 200
    image = sheet_image(layout, sheet(layout), dpi=dpi)
    px = dpi / 25.4
    assert image.dtype == np.uint8 and image.shape == (round(layout.height * px), round(layout.width * px))
    assert image.min() == 0 and np.median(image) == 255  # ink on a white page
    for box in layout.boxes:
        if box.kind == "write_in_name":
            continue
        r = box.rect
        middle_x, middle_y = int((r.x + r.w / 2) * px), int((r.y + r.h / 2) * px)
        for x, y in (
            (r.x, r.y + r.h / 2),
            (r.right, r.y + r.h / 2),
            (r.x + r.w / 2, r.y),
            (r.x + r.w / 2, r.bottom),
        ):
            # The stroke is centred on the edge: the darkest pixel within a pixel of it is ink.
            patch = image[int(y * px) - 1 : int(y * px) + 2, int(x * px) - 1 : int(x * px) + 2]
            assert patch.min() < 100, (box, x, y)
        interior = image[
            int((r.y + 0.6) * px) : int((r.bottom - 0.6) * px),
            int((r.x + 0.6) * px) : int((r.right - 0.6) * px),
        ]
        assert interior.min() > 240, box
        assert image[middle_y, middle_x] == 255


def test_no_text_leaves_its_place_or_touches_a_box_marker_or_the_qr_code():
    long_name = "阿卜杜热合曼·买买提·艾力江·阿不都热依木·吐尔逊"
    names = (*NAMES, long_name, *(f"张{c}" for c in "一二三四五六七八九十壹贰叁肆"))
    layout = layout_sheet(spec(names))
    assert layout.columns == 2
    boxes = glyph_boxes(ballot_pdf(layout, [sheet(layout)]))
    text_places = [layout.title, layout.round_line, layout.instructions, layout.serial_text]
    text_places += [cell for pair in layout.header_cells for cell in pair]
    text_places += [row.label for row in layout.rows]
    text_places += [layout.write_in_heading] if layout.write_in_heading else []
    keep_clear = [
        *layout.markers,
        layout.qr,
        *(box.rect for box in layout.boxes if box.kind != "write_in_name"),
    ]
    assert len(boxes) > 200
    for char, rect, size in boxes:
        assert any(inside(rect, place) for place in text_places), (char, rect)
        assert not any(rect.overlaps(clear) for clear in keep_clear), (char, rect)
        assert size >= MIN_TEXT_PT - 1, (char, size)


def test_a_long_name_shrinks_then_wraps_but_stays_readable():
    long_name = "阿卜杜热合曼·买买提·艾力江·阿不都热依木·吐尔逊"
    names = (*NAMES, long_name, *(f"张{c}" for c in "一二三四五六七八九十壹贰叁肆"))
    layout = layout_sheet(spec(names))
    label = next(row.label for row in layout.rows if row.name == long_name)
    boxes = glyph_boxes(ballot_pdf(layout, [sheet(layout)]))
    in_label = [(rect, size) for _, rect, size in boxes if inside(rect, label)]
    assert len(in_label) == len(long_name)
    assert max(size for _, size in in_label) - min(size for _, size in in_label) < 0.01
    assert MIN_TEXT_PT <= in_label[0][1] < layout.font_size_pt
    middles = sorted(rect.y + rect.h / 2 for rect, _ in in_label)
    line_breaks = [b - a for a, b in itertools.pairwise(middles) if b - a > 2.0]
    assert len(line_breaks) == 1  # two lines
    short = next(row.label for row in layout.rows if row.name == "王芳")
    assert {size for _, rect, size in boxes if inside(rect, short)} == {layout.font_size_pt}


def test_a_name_too_long_even_for_two_lines_is_refused():
    layout = layout_sheet(spec(("王芳", "李" * 150)))
    with pytest.raises(TextTooLong) as refused:
        ballot_pdf(layout, [sheet(layout)])
    assert refused.value.text == "李" * 150


def test_large_print_sets_names_larger():
    sizes = []
    for large in (False, True):
        layout = layout_sheet(spec(large_print=large))
        label = layout.rows[0].label
        sizes.append(
            {
                size
                for _, rect, size in glyph_boxes(ballot_pdf(layout, [sheet(layout)]))
                if inside(rect, label)
            }
        )
    assert sizes == [{14.0}, {20.0}]


def test_an_a3_sheet_in_two_columns_holds_thirty_candidates():
    names = tuple(f"{s}{g}" for s in "王李张刘陈杨" for g in ("建国", "明", "秀英", "志强", "丽"))
    layout = layout_sheet(spec(names, seats=7))
    assert (layout.paper, layout.columns) == (Paper.A3, 2)
    text = texts(ballot_pdf(layout, [sheet(layout)]))[0]
    assert all(name in text for name in names)
    assert (
        zxingcpp.read_barcodes(sheet_image(layout, sheet(layout), dpi=150))[0].text == sheet(layout).payload()
    )


def test_R_BAL_2_write_in_rows_only_beside_against():
    layout = layout_sheet(spec())
    text = texts(ballot_pdf(layout, [sheet(layout)]))[0]
    assert "另选他人" in text and "不赞成某候选人而另选他人的" in text
    assert "另选人数不得多于不赞成的人数" in text


def test_R_BAL_2_a_tie_revote_sheet_has_no_write_ins():
    layout = layout_sheet(spec(("王芳", "李强"), seats=1, write_in_rows=0))
    text = texts(ballot_pdf(layout, [sheet(layout)]))[0]
    assert "另选" not in text
    assert "王芳" in text and "李强" in text


def test_R_BAL_3_instructions_state_the_limit_of_the_seats():
    assert "赞成人数与另选人数之和多于应选人数（3 名）的为无效票" in instructions_text(layout_sheet(spec()))
    tie = layout_sheet(spec(("王芳", "李强"), seats=1, write_in_rows=0))
    assert "赞成人数多于应选人数（1 名）的为无效票" in instructions_text(tie)


@pytest.fixture
def bundled_font_only(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, str(BUNDLED_FONT))
    monkeypatch.setattr(fonts, "SYSTEM_FALLBACKS", [])


def test_a_character_no_font_has_is_refused_not_printed_blank(bundled_font_only):
    layout = layout_sheet(spec(("王芳", "吉𠮷", "李强")))
    with pytest.raises(FontMissing) as refused:
        ballot_pdf(layout, [sheet(layout)])
    assert refused.value.characters == ("𠮷",)
    assert refused.value.texts == ("吉𠮷",)


def test_a_system_font_supplies_what_the_bundled_subset_lacks(monkeypatch):
    # scripts/test installs Debian's fonts-noto-cjk, as it installs Chromium for the browser tests.
    assert fonts.SYSTEM_FALLBACKS[0].path.is_file(), "this test needs Debian's fonts-noto-cjk"
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    assert fonts.uncovered("吉𠮷") == []
    assert len(fonts.fonts_for("吉𠮷")) == 2 and len(fonts.fonts_for("王芳")) == 1
    layout = layout_sheet(spec(("王芳", "吉𠮷")))
    assert "吉𠮷" in texts(ballot_pdf(layout, [sheet(layout)]))[0]


def test_a_font_file_that_is_not_a_font_is_reported(tmp_path, monkeypatch):
    bogus = tmp_path / "font.ttf"
    bogus.write_text("not a font", encoding="utf-8")
    monkeypatch.setenv(fonts.ENV_VAR, str(bogus))
    layout = layout_sheet(spec())
    with pytest.raises(FontUnusable):
        ballot_pdf(layout, [sheet(layout)])
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "missing.otf"))
    with pytest.raises(FontUnusable):
        ballot_pdf(layout, [sheet(layout)])
