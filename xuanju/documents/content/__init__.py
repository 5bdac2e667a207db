"""What each document of an election says, from the stored records only.

Every context is plain data (dicts, lists, strings, numbers) for a template, built from records and
the dates stored on them — the request's ``submitted_on``, the reply's ``decided_on``, the meeting's
``held_on`` — never from the clock, so a document generated again reads the same. Free text from
records passes through :func:`~xuanju.documents.markup.literal` and
:func:`~xuanju.documents.markup.cell` so that nothing a user typed can turn into markup.

Nothing here links a voter to a ballot (R-SUP-1): the roll says who was present, the results say
how many votes each person received, and no document puts the two together.

One module per kind of document: :mod:`.approvals` (the requests to the upper level and its
replies), :mod:`.meetings` (procedure, scrutineers, roll) and :mod:`.results` (rounds, result
forms, report, notice, minutes); what they share is :mod:`.common`, and :mod:`.catalog` lists each
kind's documents and builds one. Callers import from this package.
"""

from __future__ import annotations

from xuanju.documents.content.catalog import (
    SPECS,
    Spec,
    anchor,
    available,
    build,
    waiting,
)
from xuanju.documents.content.common import (
    Built,
    NotAvailable,
    Ref,
    cn_date,
    plain,
)
from xuanju.documents.content.meetings import (
    commission_name,
)

__all__ = [
    "SPECS",
    "Built",
    "NotAvailable",
    "Ref",
    "Spec",
    "anchor",
    "available",
    "build",
    "cn_date",
    "commission_name",
    "plain",
    "waiting",
]
