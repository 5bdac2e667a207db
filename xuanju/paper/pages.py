"""Scanned files to grayscale pages: PNG, JPEG, TIFF (also multi-page) and PDF.

The one door through which uploaded or scanned files reach :func:`xuanju.paper.read.read_sheet`.
A file that is not one of these, or is damaged, raises :class:`PageError` with a Chinese message
naming the file, for the web application and the ``xuanju scan`` command to show as it is.
"""

from __future__ import annotations

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
    if not data:
        raise PageError(f"扫描件 {filename} 是空文件。")
    if data.startswith(b"%PDF") or filename.lower().endswith(".pdf"):
        return _pdf_pages(data, filename)
    buffer = np.frombuffer(data, dtype=np.uint8)
    # imdecodemulti reads every page of a TIFF and the single page of a PNG or JPEG alike.
    ok, pages = cv2.imdecodemulti(buffer, cv2.IMREAD_GRAYSCALE)
    if not ok or not pages:
        kinds = "PNG、JPEG、TIFF 或 PDF"
        hint = "" if filename.lower().endswith(_IMAGE_SUFFIXES) else f"（支持 {kinds}）"
        raise PageError(f"扫描件 {filename} 无法识别为图片，文件可能已损坏{hint}。")
    return [_gray8(p) for p in pages]


def _gray8(page: npt.NDArray[np.generic]) -> Gray:
    """16-bit scans (some TIFFs) come down to 8 bits; the reader needs no more."""
    if page.dtype == np.uint16:
        return np.asarray(page.astype(np.uint16) >> 8, dtype=np.uint8)
    return np.ascontiguousarray(page, dtype=np.uint8)


def _pdf_pages(data: bytes, filename: str) -> list[Gray]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise PageError(f"扫描件 {filename} 无法作为 PDF 打开，文件可能已损坏。") from error
    try:
        pages: list[Gray] = []
        for page in document:
            bitmap = page.render(scale=PDF_DPI / 72, grayscale=True)
            array = np.array(bitmap.to_numpy(), dtype=np.uint8)
            pages.append(array.reshape(array.shape[0], array.shape[1]))
        if not pages:
            raise PageError(f"扫描件 {filename} 是没有页面的 PDF。")
        return pages
    finally:
        document.close()
