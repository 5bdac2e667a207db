"""Upload bombs of issue 13 are refused from their headers, before any decoding, with bounded memory.

Memory is measured in a fresh subprocess (peak RSS from getrusage), so what pdfium, OpenCV and
Pillow allocate outside Python counts too; nothing here is timed."""

from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from tests.paper import bombs
from xuanju.paper.bounds import MAX_FILE_PAGES, PageError, file_shape
from xuanju.paper.pages import iter_pages, page_at

_PROBE = """
import json, resource, sys
from tests.paper import bombs
from xuanju.paper import pages
data = getattr(bombs, sys.argv[1])()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
message = ""
try:
    for page in pages.iter_pages(data, sys.argv[2]):
        pass
except pages.PageError as error:
    message = str(error)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grown_kb": after - before, "message": message}))
"""


@pytest.mark.parametrize(
    ("builder", "filename", "expected"),
    [
        ("huge_page_pdf", "bomb.pdf", "第 1 页（按 200 dpi）有 40000 × 40000 像素"),
        ("huge_bilevel_png", "bomb.png", "第 1 页"),
        ("huge_png", "bomb8.png", "第 1 页"),
        ("many_pages_pdf", "long.pdf", "有 3000 页，超过每个文件 500 页的上限"),
    ],
)
def test_bombs_are_refused_before_decoding_with_bounded_memory(builder, filename, expected) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, builder, filename], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert expected in result["message"] and filename in result["message"]
    # Decoding any of them would take gigabytes; refusing takes a few megabytes of headers.
    assert result["grown_kb"] < 100 * 1024


def test_the_issue_bombs_have_the_issue_sizes() -> None:
    assert len(bombs.huge_page_pdf()) == 333
    assert 100_000 < len(bombs.huge_bilevel_png()) < 200_000


def test_a_tiff_with_too_many_frames_is_refused_by_count() -> None:
    page = np.full((8, 8), 255, np.uint8)
    tiff = bytes(cv2.imencodemulti(".tiff", [page] * (MAX_FILE_PAGES + 1))[1])
    with pytest.raises(PageError, match="超过 500 页"):
        file_shape(tiff, "many.tiff")
    with pytest.raises(PageError, match=r"many\.tiff"):
        iter_pages(tiff, "many.tiff")


def test_a_large_frame_after_small_ones_is_refused_naming_its_page() -> None:
    small = np.full((8, 8), 255, np.uint8)
    large = np.full((8000, 8000), 255, np.uint8)  # 64 million pixels
    tiff = bytes(cv2.imencodemulti(".tiff", [small, large])[1])
    with pytest.raises(PageError, match="第 2 页有 8000 × 8000 像素"):
        file_shape(tiff, "mixed.tiff")


def test_a_huge_image_on_an_a4_pdf_page_is_refused_when_the_page_is_read() -> None:
    image = b"<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 0 >>"
    document = bombs.pdf([(595, 842)], [b"q 595 0 0 842 0 0 cm /Im0 Do Q"], {"Im0": image})
    with pytest.raises(PageError, match="第 1 页嵌入的图像有 20000 × 20000 像素"):
        list(iter_pages(document, "embedded.pdf"))


def test_normal_files_pass_with_their_page_count() -> None:
    a4 = bombs.pdf([(595, 842)] * 3)
    assert file_shape(a4, "a4.pdf").pages == 3
    assert len(list(iter_pages(a4, "a4.pdf"))) == 3
    assert page_at(a4, "a4.pdf", 2).shape == (round(842 * 200 / 72), round(595 * 200 / 72))
    png = bytes(cv2.imencode(".png", np.full((2339, 1654), 255, np.uint8))[1])
    assert file_shape(png, "a4.png").pages == 1
    with pytest.raises(PageError, match="没有第 2 页"):
        page_at(png, "a4.png", 1)


def test_an_oversized_file_is_refused_by_its_byte_count() -> None:
    with pytest.raises(PageError, match="超过每个文件 50 MB 的上限"):
        file_shape(b"%PDF" + b"\0" * (50 * 1024 * 1024), "big.pdf")
