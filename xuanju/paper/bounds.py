"""Limits on scanned files, checked from their headers before anything is decoded.

A scanned file is small on disk but may declare a page of any size: a 333-byte PDF can declare a
page of 14,400 pt (40,000 × 40,000 px at 200 dpi), a 150 KB PNG 30,000 × 30,000 pixels, and a
few kilobytes of PDF three thousand pages. Decoding such a file would take gigabytes and minutes,
so every page's size is read from the file's header (PDF page boxes and embedded image
dictionaries through pdfium; the image header through Pillow, which opens lazily and decodes
nothing) and a file beyond the limits is refused with a Chinese message naming it and the page.

The limits are generous for real scans: an A3 sheet at 300 dpi is 17 million pixels, an A4 sheet
at 600 dpi 35 million; a feeder batch of a few hundred sheets fits in one file.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

MAX_PAGE_PIXELS = 60_000_000  # decoded pixels of one page (or of one image embedded in a PDF page)
MAX_FILE_PAGES = 500  # pages (PDF pages, TIFF frames) of one uploaded file
MAX_FILE_BYTES = 50 * 1024 * 1024  # one uploaded file as it is on disk
PDF_DPI = 200  # what the reader is tuned for; a PDF has no scan resolution of its own to keep


class PageError(Exception):
    """A scanned file that cannot be turned into pages; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class FileShape:
    """What the header of a scanned file declares: its kind and how many pages it has."""

    pdf: bool
    pages: int


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.0f}"


def too_many_pages(filename: str, pages: int | None) -> PageError:
    count = f"有 {pages} 页" if pages is not None else f"超过 {MAX_FILE_PAGES} 页"
    return PageError(
        f"扫描件 {filename} {count}，超过每个文件 {MAX_FILE_PAGES} 页的上限，请分成几个文件上传。"
    )


def too_large_page(filename: str, page: int, width: int, height: int, what: str = "") -> PageError:
    return PageError(
        f"扫描件 {filename} 第 {page} 页{what}有 {width} × {height} 像素"
        f"（约 {_megapixels(width * height)} 百万像素），超过每页 {_megapixels(MAX_PAGE_PIXELS)} 百万像素的上限；"
        "请按 150–300 dpi 扫描 A4 或 A3 选票。"
    )


def too_large_file(filename: str, size: int) -> PageError:
    return PageError(
        f"扫描件 {filename} 有 {size / 1024 / 1024:.0f} MB，超过每个文件 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，"
        "请分成几个文件上传。"
    )


def is_pdf(data: bytes, filename: str) -> bool:
    return data.startswith(b"%PDF") or filename.lower().endswith(".pdf")


# PDF ----------------------------------------------------------------------------------------------


def pdf_pixels(document: pypdfium2.PdfDocument, index: int) -> tuple[int, int]:
    """Pixels of page ``index`` rendered at PDF_DPI, from its page box alone (nothing is rendered)."""
    width, height = document.get_page_size(index)
    return round(abs(width) * PDF_DPI / 72), round(abs(height) * PDF_DPI / 72)


def check_pdf(document: pypdfium2.PdfDocument, filename: str) -> int:
    """The number of pages, once their count and every page box are within the limits."""
    pages = len(document)
    if pages > MAX_FILE_PAGES:
        raise too_many_pages(filename, pages)
    for index in range(pages):
        check_pdf_page_box(document, filename, index)
    return pages


def check_pdf_page_box(document: pypdfium2.PdfDocument, filename: str, index: int) -> None:
    width, height = pdf_pixels(document, index)
    if width * height > MAX_PAGE_PIXELS:
        raise too_large_page(filename, index + 1, width, height, f"（按 {PDF_DPI} dpi）")


def check_pdf_images(page: pypdfium2.PdfPage, filename: str, number: int) -> None:
    """Every image on a loaded page, by the size its dictionary declares: pdfium decodes an image
    whole before scaling it onto the page, so a huge image on a small page is a bomb too."""
    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE]
    for image in page.get_objects(filter=kinds, max_depth=4):
        width, height = image.get_px_size()
        if width * height > MAX_PAGE_PIXELS:
            raise too_large_page(filename, number, width, height, "嵌入的图像")


# Images ---------------------------------------------------------------------------------------------


def image_frames(data: bytes, filename: str) -> list[tuple[int, int]]:
    """The size of every frame (page) of a PNG, JPEG or TIFF, read from its headers; raises
    PageError when the file is no image or any limit is exceeded."""
    with warnings.catch_warnings():
        # Pillow warns of (and beyond twice its limit refuses) a decompression bomb at open; the
        # sizes are checked here against our own limit instead.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise PageError(
                f"扫描件 {filename} 第 1 页的像素数远远超过每页 {_megapixels(MAX_PAGE_PIXELS)} 百万像素的上限，"
                "请按 150–300 dpi 扫描 A4 或 A3 选票。"
            ) from None
        except Exception:  # Pillow raises many kinds on a file it cannot identify
            return []
        frames: list[tuple[int, int]] = []
        try:
            for index in range(MAX_FILE_PAGES + 1):
                try:
                    image.seek(index)
                except EOFError:
                    break
                if index == MAX_FILE_PAGES:
                    raise too_many_pages(filename, None)
                width, height = image.size
                if width * height > MAX_PAGE_PIXELS:
                    raise too_large_page(filename, index + 1, width, height)
                frames.append((width, height))
        except PageError:
            raise
        except Exception:  # a damaged frame header ends the readable frames
            pass
        finally:
            image.close()
    return frames


def check_size(data: bytes, filename: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise too_large_file(filename, len(data))


def file_shape(data: bytes, filename: str) -> FileShape:
    """Check a whole file from its headers: bytes, pages and pixels per page. Decodes nothing, so
    an upload can be refused within the request and a batch's length is known before reading."""
    if not data:
        raise PageError(f"扫描件 {filename} 是空文件。")
    check_size(data, filename)
    if is_pdf(data, filename):
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            raise PageError(f"扫描件 {filename} 无法作为 PDF 打开，文件可能已损坏。") from error
        try:
            pages = check_pdf(document, filename)
        finally:
            document.close()
        if pages == 0:
            raise PageError(f"扫描件 {filename} 是没有页面的 PDF。")
        return FileShape(pdf=True, pages=pages)
    frames = image_frames(data, filename)
    if not frames:
        raise not_an_image(filename)
    return FileShape(pdf=False, pages=len(frames))


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def not_an_image(filename: str) -> PageError:
    kinds = "PNG、JPEG、TIFF 或 PDF"
    hint = "" if filename.lower().endswith(IMAGE_SUFFIXES) else f"（支持 {kinds}）"
    return PageError(f"扫描件 {filename} 无法识别为图片，文件可能已损坏{hint}。")
