"""Documents as an office suite shows them: every document of the demo's elections of every kind,
each .docx converted by LibreOffice headless (one process for a whole folder), read back beside the
app's own PDF of the same record.

The records are made twice, each time inside a transaction rolled back afterwards: a village
branch's re-election carried through every step (:mod:`tests.documents.world`: the committee at the
members' meeting, the secretary and deputy at the plenary, the results approved), then the demo
(``xuanju demo``'s county, its branch election at the counting desk and the development zone's
congress, shrunk) with its units' delegates elections and the congress's committee election.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pypdfium2
from django.db import transaction

from xuanju.documents import content
from xuanju.documents.files import blocks_of, document_file
from xuanju.documents.gallery import one_of_each
from xuanju.documents.markup import CarbonCopy, DateLine, Printed, Signature
from xuanju.elections.models import Election

TODAY = date(2026, 3, 31)  # as the demo tests

#: What no printed document may show: the system's rule codes, candidates' ids ("c11") and the
#: prefix of a write-in's key ("w:").
RULE_CODE = re.compile(r"R-[A-Z]+-\d+")
RAW_ID = re.compile(r"(?<![A-Za-z0-9])(?:[cw]\d+(?![0-9])|w:)")
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


@dataclass
class Generated:
    """One document of one election: both files and the texts of its closing block."""

    election: str  # which demo election, e.g. "delegates"
    record: str  # the election as the app names it
    ref: content.Ref
    docx: bytes
    pdf: bytes
    closing: tuple[str, ...]  # the signature, date, 抄送 and 印发 lines as printed

    @property
    def label(self) -> str:
        return f"{self.election}: {self.ref.name}"


def elections_of_every_kind() -> Iterator[tuple[str, Election]]:
    """Make the records, yield (kind, election) for each, and roll them back: a village branch's
    re-election carried through every step, then the demo (shrunk congress)."""
    from tests.documents.world import finished_election

    with transaction.atomic():
        world = finished_election(TODAY)
        yield "committee", world.election  # its plenary's documents are named "plenary"
        transaction.set_rollback(True)

    from xuanju.congress.demo import load_demo_congress
    from xuanju.congress.models import UnitElection
    from xuanju.counting.demo import load_demo_election
    from xuanju.organizations.demo import load_demo

    with transaction.atomic():
        load_demo(TODAY)
        branch = load_demo_election(TODAY)
        congress = load_demo_congress(TODAY, scale=0.1)
        yield "demo-committee", Election.objects.get(pk=branch.election_id)
        # The unit electing the most delegates: the longest tables.
        unit = UnitElection.objects.select_related("election").order_by("-seats", "pk").first()
        assert unit is not None
        yield "delegates", unit.election
        yield "congress", Election.objects.get(pk=congress.election_id)
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


def generate_all(pdf: bool = True) -> list[Generated]:
    """One document of each kind of every election (the records are rolled back after), as .docx
    and, with ``pdf``, as the app's PDF."""
    made: list[Generated] = []
    for name, election in elections_of_every_kind():
        for plenary, ref in one_of_each(election):
            docx = document_file(election, ref.kind, ref.item, "docx").data
            made.append(
                Generated(
                    "plenary" if plenary else name,
                    str(election),
                    ref,
                    docx,
                    document_file(election, ref.kind, ref.item, "pdf").data if pdf else b"",
                    closing_lines(election, ref),
                )
            )
    return made


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
