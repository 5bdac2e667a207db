"""Scanned files to grayscale pages: PNG, JPEG, TIFF (also multi-page) and PDF.

The one door through which uploaded or scanned files reach :func:`xuanju.paper.read.read_sheet`.
A file that is not one of these, or is damaged, raises :class:`PageError` with a Chinese message
naming the file, for the web application and the ``xuanju scan`` command to show as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2

Gray = npt.NDArray[np.uint8]

PDF_DPI = 200  # what the reader is tuned for; a PDF has no scan resolution of its own to keep

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


class PageError(Exception):
    """A scanned file that cannot be turned into pages; the message is for the user, in Chinese."""


def load_pages(data: bytes, filename: str) -> list[Gray]:
    """Every page of ``data`` as a grayscale uint8 image, in file order."""
    return list(iter_pages(data, filename))


def iter_pages(data: bytes, filename: str) -> Iterator[Gray]:
    """The pages of ``data`` one at a time: a batch scan of a few hundred pages is decoded page by
    page, never held in memory whole. Raises PageError before the first page when the file is bad."""
    if not data:
        raise PageError(f"扫描件 {filename} 是空文件。")
    if _is_pdf(data, filename):
        return _pdf_pages(_open_pdf(data, filename))
    first = _image_page(data, 0)
    if first is None:
        kinds = "PNG、JPEG、TIFF 或 PDF"
        hint = "" if filename.lower().endswith(_IMAGE_SUFFIXES) else f"（支持 {kinds}）"
        raise PageError(f"扫描件 {filename} 无法识别为图片，文件可能已损坏{hint}。")
    return _image_pages(data, first)


def page_at(data: bytes, filename: str, index: int) -> Gray:
    """Page ``index`` (from 0) of a file already read once, decoding only that page."""
    if _is_pdf(data, filename):
        document = _open_pdf(data, filename)
        try:
            return _render(document[index])
        finally:
            document.close()
    page = _image_page(data, index)
    if page is None:
        raise PageError(f"扫描件 {filename} 没有第 {index + 1} 页。")
    return page


def _is_pdf(data: bytes, filename: str) -> bool:
    return data.startswith(b"%PDF") or filename.lower().endswith(".pdf")


def _image_page(data: bytes, index: int) -> Gray | None:
    # imdecodemulti reads one page of a TIFF by its range, and the single page of a PNG or JPEG alike.
    ok, pages = cv2.imdecodemulti(
        np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE, None, (index, index + 1)
    )
    return _gray8(pages[0]) if ok and pages else None


def _image_pages(data: bytes, first: Gray) -> Iterator[Gray]:
    yield first
    index = 1
    while (page := _image_page(data, index)) is not None:
        yield page
        index += 1


def _gray8(page: npt.NDArray[np.generic]) -> Gray:
    """16-bit scans (some TIFFs) come down to 8 bits; the reader needs no more."""
    if page.dtype == np.uint16:
        return np.asarray(page.astype(np.uint16) >> 8, dtype=np.uint8)
    return np.ascontiguousarray(page, dtype=np.uint8)


def _open_pdf(data: bytes, filename: str) -> pypdfium2.PdfDocument:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise PageError(f"扫描件 {filename} 无法作为 PDF 打开，文件可能已损坏。") from error
    if len(document) == 0:
        document.close()
        raise PageError(f"扫描件 {filename} 是没有页面的 PDF。")
    return document


def _render(page: pypdfium2.PdfPage) -> Gray:
    array = np.array(page.render(scale=PDF_DPI / 72, grayscale=True).to_numpy(), dtype=np.uint8)
    return array.reshape(array.shape[0], array.shape[1])


def _pdf_pages(document: pypdfium2.PdfDocument) -> Iterator[Gray]:
    try:
        for page in document:
            yield _render(page)
    finally:
        document.close()
