"""A document of an election as a file: content → template → blocks → .docx or PDF."""

from __future__ import annotations

from dataclasses import dataclass

from xuanju.documents import content
from xuanju.documents.docx_writer import docx_bytes
from xuanju.documents.engine import effective, render_blocks
from xuanju.documents.kinds import Kind
from xuanju.documents.markup import Block, Title
from xuanju.documents.pdf_writer import pdf_bytes
from xuanju.elections.models import Election

#: A signed paper prints its 审计校验码 as a 附注 below the date (GB/T 9704-2012, 7.3.6), even where an
#: organization's own template leaves it out (R-SUP-4).
ANCHOR_LINE = "{% if anchor %}（审计校验码 {{ anchor }}）{% endif %}"

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class DocumentFile:
    name: str  # the file name offered for download, Chinese
    content_type: str
    data: bytes


def blocks_of(election: Election, kind: Kind, item: int | None) -> tuple[content.Built, tuple[Block, ...]]:
    """The document's blocks, through the template in force for the election's organization.

    Raises content.NotAvailable when the records are not there, engine.TemplateProblem when the
    organization's template cannot make the document."""
    built = content.build(election, kind, item)
    body = effective(election.organization, kind).body
    if built.context.get("anchor") and "anchor" not in body:
        body = f"{body.rstrip()}\n{ANCHOR_LINE}\n"
    return built, render_blocks(body, built.context)


def document_file(election: Election, kind: Kind, item: int | None, fmt: str) -> DocumentFile:
    built, blocks = blocks_of(election, kind, item)
    title = "".join(next((b.lines for b in blocks if isinstance(b, Title)), ()))
    author = election.organization.name
    writer = docx_bytes if fmt == "docx" else pdf_bytes
    data = writer(blocks, title=title, author=author, dated=built.ref.dated)
    return DocumentFile(f"{author}{built.ref.name}.{fmt}", FORMATS[fmt], data)
