"""What the election flow asks of a delegates' congress, without depending on the congress app.

The dependency runs congress → elections: the congress app (``xuanju.congress``) creates the unit
elections of delegates and the committee election at the congress, and registers these hooks in its
``AppConfig.ready``. Where no hook is registered — or a hook answers None — the flow does what it
does for a members' meeting.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from xuanju.elections.models import BallotEntry, Election, Round
    from xuanju.organizations.models import Organization


class CongressHooks(Protocol):
    def voters(self, election: Election, on: date) -> list[Any] | None:
        """The people on the roll of ``election``'s voting meeting (before the rights check): for a
        unit's election of delegates, the full members of the unit's organizations; for the
        committee election at a congress, the formal delegates (R-DEL-6). None: the default."""

    def nominees(self, election: Election) -> Any | None:
        """The Member queryset from which ``election``'s candidates may come (a unit's members);
        None: the members of the election's organization and beneath it."""

    def approving_organization(self, election: Election) -> Organization | None:
        """Who reviews the provisional candidates of a unit's election of delegates: the convening
        organization (R-DEL-5). None: the election's upper level, as for any re-election."""

    def plan_content(self, election: Election) -> dict[str, Any] | None:
        """What a congress adds to the request to hold the election (R-RPT-1: the delegate quota,
        composition and allocation). None: nothing."""

    def congress_ready(self, election: Election) -> str | None:
        """Why the congress of ``election`` cannot open yet (e.g. delegates not yet formal after the
        credentials review, R-DEL-6), or None when it can."""

    def delegates_elected(self, election: Election) -> None:
        """Called when a unit's election of delegates has filled its seats."""


_hooks: CongressHooks | None = None


def register(hooks: CongressHooks) -> None:
    global _hooks
    _hooks = hooks


def congress() -> CongressHooks | None:
    return _hooks


class CountingHooks(Protocol):
    """What closing and guarding a round's count asks of the counting app (desk, sheets, scans),
    which depends on this app and registers these hooks in its ``AppConfig.ready``."""

    def duties(self, round_: Round) -> tuple[frozenset[str], frozenset[str]]:
        """The accounts that entered ballots in ``round_`` (counters) and those that confirmed,
        decided or voided ballots in it (scrutineers), R-MEET-4."""

    def close_blockers(self, round_: Round, returned: int) -> list[str]:
        """What still stops ``round_`` from closing with ``returned`` ballots, in Chinese."""

    def ballot_deleted(self, entry: BallotEntry) -> None:
        """A counted ballot is being deleted by a scrutineer: release what it came from."""

    def test_deck(self, round_: Round) -> dict[str, Any] | None:
        """The result of ``round_``'s test deck (测试票检验) for its pages and documents: ``passed``,
        ``run`` (the run that passed, else the last one: ``run_at``, ``run_by``, ``sheets``,
        ``pages``, ``differences``), ``failed_before`` (runs that failed before it); None when the
        round has no run."""


_counting: CountingHooks | None = None


def register_counting(hooks: CountingHooks) -> None:
    global _counting
    _counting = hooks


def counting() -> CountingHooks | None:
    return _counting
