"""Documents as an office suite shows them: the demo's elections of every kind written as a
gallery (:mod:`xuanju.documents.gallery`: .docx, the app's PDF, and each .docx converted by
LibreOffice headless, one process for the whole folder), read back for the checks.

The records are made twice, each time inside a transaction rolled back afterwards: a village
branch's re-election carried through every step (:mod:`tests.documents.world`: the committee at the
members' meeting, the secretary and deputy at the plenary, the results approved), then the demo
(``xuanju demo``'s county and the development zone's congress, shrunk to three units) with a
unit's delegates election and the congress's election.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2
from django.db import transaction

from xuanju.documents import content
from xuanju.documents.files import blocks_of
from xuanju.documents.gallery import Entry, one_of_each, write_gallery
from xuanju.documents.markup import CarbonCopy, DateLine, Printed, Signature
from xuanju.elections.models import Election

TODAY = date(2026, 3, 31)  # as the demo tests

#: What no printed document may show: the system's rule codes, candidates' ids ("c11") and the
#: prefix of a write-in's key ("w:").
RULE_CODE = re.compile(r"R-[A-Z]+-\d+")
RAW_ID = re.compile(r"(?<![A-Za-z0-9])(?:[cw]\d+(?![0-9])|w:)")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


@dataclass
class Document:
    """One document of the gallery: which election it is of, its files, its closing lines."""

    election: str  # which election, e.g. "delegates"; "plenary" for the plenary's documents
    entry: Entry
    closing: tuple[str, ...]  # the signature, date, 抄送 and 印发 lines as printed
    pdf: bytes  # the app's
    office: bytes | None  # LibreOffice's, None where it converted nothing

    @property
    def label(self) -> str:
        return f"{self.election}: {self.entry.name}"


def elections_of_every_kind(closing: list[tuple[str, tuple[str, ...]]]) -> Iterator[Election]:
    """Make the records, yield each election, and roll them back; ``closing`` receives, for each
    document the gallery writes, the election's kind and the closing lines."""
    from tests.documents.world import finished_election

    def note(name: str, election: Election) -> Election:
        for plenary, ref in one_of_each(election):
            closing.append(("plenary" if plenary else name, closing_lines(election, ref)))
        return election

    with transaction.atomic():
        world = finished_election(TODAY)
        yield note("committee", world.election)
        transaction.set_rollback(True)

    from xuanju.congress.models import UnitElection
    from xuanju.demo.congress import load_demo_congress
    from xuanju.demo.county import load_demo

    # The demo's branch election (xuanju.demo.election) is a committee's, at the counting desk: the
    # village branch's above has all its documents and more, so it is left out.
    with transaction.atomic():
        load_demo(TODAY)
        congress = load_demo_congress(TODAY, scale=0.1)
        # The unit electing the most delegates: the longest tables.
        unit = UnitElection.objects.select_related("election").order_by("-seats", "pk").first()
        assert unit is not None
        yield note("delegates", unit.election)
        yield note("congress", Election.objects.get(pk=congress.election_id))
        transaction.set_rollback(True)


def closing_lines(election: Election, ref: content.Ref) -> tuple[str, ...]:
    _, blocks = blocks_of(election, ref.kind, ref.item)
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, (Signature, DateLine)):
            lines.append(block.text)
        elif isinstance(block, CarbonCopy):
            lines.append(f"抄送：{block.text.rstrip('。')}。")
        elif isinstance(block, Printed):
            lines += [block.office, block.date]
    return tuple(lines)


def gallery_of_every_kind(out: Path) -> list[Document]:
    """The gallery of the elections of every kind in ``out``, with LibreOffice's conversions."""
    closing: list[tuple[str, tuple[str, ...]]] = []
    entries = write_gallery(out, elections_of_every_kind(closing), office=True)
    documents = []
    for entry, (name, lines) in zip(entries, closing, strict=True):
        office = out / "office" / f"{entry.stem}.pdf"
        pdf = (out / f"{entry.stem}.pdf").read_bytes()
        documents.append(Document(name, entry, lines, pdf, office.read_bytes() if office.is_file() else None))
    return documents


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def squeezed(text: str) -> str:
    return "".join(text.split())


def closing_only(page: str, closing: tuple[str, ...]) -> bool:
    """Whether ``page`` holds nothing but (part of) the closing block: signature, date, imprint."""
    rest = squeezed(PAGE_NUMBER.sub("", page))
    if not rest:
        return False
    for line in sorted((squeezed(c) for c in closing), key=len, reverse=True):
        if line:
            rest = rest.replace(line, "")
    return not rest
