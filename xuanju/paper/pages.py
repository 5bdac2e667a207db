"""Scanned files to grayscale pages: PNG, JPEG, TIFF (also multi-page) and PDF.

The one door through which uploaded or scanned files reach :func:`xuanju.paper.read.read_sheet`.
A file that is not one of these, is damaged, or declares more pages or larger pages than
:mod:`xuanju.paper.bounds` allows raises :class:`PageError` with a Chinese message naming the file
(and the page), for the web application and the ``xuanju scan`` command to show as it is. The
limits are checked from the file's headers before a page is decoded.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import numpy.typing as npt
import pypdfium2

from xuanju.paper.bounds import (
    PDF_DPI,
    PageError,
    check_pdf,
    check_pdf_images,
    check_pdf_page_box,
    check_size,
    image_frames,
    is_pdf,
    not_an_image,
)

Gray = npt.NDArray[np.uint8]

__all__ = ["PDF_DPI", "Gray", "PageError", "iter_pages", "load_pages", "page_at"]


def load_pages(data: bytes, filename: str) -> list[Gray]:
    """Every page of ``data`` as a grayscale uint8 image, in file order."""
    return list(iter_pages(data, filename))


def iter_pages(data: bytes, filename: str) -> Iterator[Gray]:
    """The pages of ``data`` one at a time: a batch scan of a few hundred pages is decoded page by
    page, never held in memory whole. Raises PageError before the first page when the file is bad
    or beyond the limits (pages per file, pixels per page), and on a later page beyond them."""
    if not data:
        raise PageError(f"扫描件 {filename} 是空文件。")
    check_size(data, filename)
    if is_pdf(data, filename):
        document = _open_pdf(data, filename)
        try:
            check_pdf(document, filename)
        except PageError:
            document.close()
            raise
        return _pdf_pages(document, filename)
    frames = image_frames(data, filename)
    first = _image_page(data, 0) if frames else None
    if first is None:
        raise not_an_image(filename)
    return _image_pages(data, first, len(frames))


def page_at(data: bytes, filename: str, index: int) -> Gray:
    """Page ``index`` (from 0) of a file already read once, decoding only that page."""
    check_size(data, filename)
    if is_pdf(data, filename):
        document = _open_pdf(data, filename)
        try:
            if not 0 <= index < len(document):
                raise PageError(f"扫描件 {filename} 没有第 {index + 1} 页。")
            check_pdf_page_box(document, filename, index)
            return _render(document[index], filename, index + 1)
        finally:
            document.close()
    frames = image_frames(data, filename)
    page = _image_page(data, index) if 0 <= index < len(frames) else None
    if page is None:
        raise PageError(f"扫描件 {filename} 没有第 {index + 1} 页。")
    return page


def _image_page(data: bytes, index: int) -> Gray | None:
    # imdecodemulti reads one page of a TIFF by its range, and the single page of a PNG or JPEG alike.
    # Only called for a frame whose size the header check (bounds.image_frames) has let through.
    ok, pages = cv2.imdecodemulti(
        np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE, None, (index, index + 1)
    )
    return _gray8(pages[0]) if ok and pages else None


def _image_pages(data: bytes, first: Gray, count: int) -> Iterator[Gray]:
    yield first
    for index in range(1, count):
        page = _image_page(data, index)
        if page is None:
            return
        yield page


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


def _render(page: pypdfium2.PdfPage, filename: str, number: int) -> Gray:
    try:
        check_pdf_images(page, filename, number)
        array = np.array(page.render(scale=PDF_DPI / 72, grayscale=True).to_numpy(), dtype=np.uint8)
    finally:
        page.close()
    return array.reshape(array.shape[0], array.shape[1])


def _pdf_pages(document: pypdfium2.PdfDocument, filename: str) -> Iterator[Gray]:
    try:
        for index in range(len(document)):
            yield _render(document[index], filename, index + 1)
    finally:
        document.close()
