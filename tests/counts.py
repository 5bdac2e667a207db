"""Closing a round the way the count now requires (R-MEET-4): the counters enter, a different
person — the scrutineer — confirms every single entry and closes the count.

Tests written before the separation of duties call ``record_ballot`` as one account and close with
:func:`close_counted`, which plays the scrutineer; their rounds are counted by single entry
(``SINGLE_ENTRY`` in the procedure or the round)."""

from __future__ import annotations

from typing import Any

from xuanju.elections import actions
from xuanju.elections.models import CountingMethod, Round

SINGLE_ENTRY = CountingMethod.SINGLE_ENTRY.value
SCRUTINEER = "scrutineer"


def confirm_all(round_: Round, scrutineer: Any = SCRUTINEER) -> int:
    """The scrutineer confirms each single entry of ``round_`` not yet confirmed, one by one, and
    every void ballot's reason however it was entered (R-BAL-4)."""
    entries = list(round_.ballots.filter(confirmed_by="").order_by("pk"))
    if Round.objects.get(pk=round_.pk).counting_method != SINGLE_ENTRY:
        entries = [e for e in entries if e.void_reason]
    for entry in entries:
        actions.confirm_ballot(scrutineer, entry)
    return len(entries)


def close_counted(round_: Round, returned: int, scrutineer: Any = SCRUTINEER) -> Round:
    """Confirm every single entry, then close the count, as the scrutineer."""
    confirm_all(round_, scrutineer)
    return actions.close_round(scrutineer, round_, returned)
