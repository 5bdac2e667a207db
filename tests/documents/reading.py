"""Reading generated files back: the .docx through python-docx, the PDF through pdfium."""

from __future__ import annotations

import io

import docx
import numpy as np
import pypdfium2
from docx.oxml.ns import qn

from tests.documents.world import Finished
from xuanju.documents.files import DocumentFile, document_file
from xuanju.documents.kinds import Kind


def generate(world: Finished, kind: Kind, item: int | None = None, fmt: str = "docx") -> DocumentFile:
    return document_file(world.election, kind, item, fmt)


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs' texts and the tables' cell texts of a .docx."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def east_asian_fonts(data: bytes, text: str) -> set[str]:
    """The w:eastAsia font names of the runs of the paragraph that reads ``text``."""
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text == text)
    return {run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in paragraph.runs}


def pdf_pages(data: bytes) -> list[tuple[str, float]]:
    """Each page's text and the share of its pixels that are ink (not white)."""
    document = pypdfium2.PdfDocument(data)
    pages = []
    try:
        for page in document:
            text = page.get_textpage().get_text_range()
            image = np.asarray(page.render(scale=0.5, grayscale=True).to_numpy())
            pages.append((text, float((image < 128).mean())))
    finally:
        document.close()
    return pages
