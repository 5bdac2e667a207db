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
    from xuanju.elections.models import BallotEntry, Candidate, Election, Round
    from xuanju.organizations.models import Member, Organization


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


class ResultsHooks(Protocol):
    """What follows the upper level's approval of an election's results, in apps that depend on
    this one: the reserve pool (``xuanju.reserve``) marks the people elected, registered in its
    ``AppConfig.ready``."""

    def results_approved(self, election: Election, actor: Any) -> None:
        """Called inside the approving transaction, after the committee is installed (R-RPT-3)."""


_results: list[ResultsHooks] = []


def register_results(hooks: ResultsHooks) -> None:
    if not any(type(h) is type(hooks) for h in _results):
        _results.append(hooks)


def results() -> list[ResultsHooks]:
    return list(_results)


class CandidacyChecks(Protocol):
    """What choosing candidates asks of vetting (``xuanju.vetting``, which depends on this app and
    registers its answers in its ``AppConfig.ready``): the upper level's conditions (R-CAND-1,
    R-CAND-6), the vetting records and profiles the request states, and the slate's structure."""

    def require_conditions(self, member: Member, election: Election) -> None:
        """Refuse with ``ActionError``, giving every reason, a member who fails the conditions."""

    def condition_failures(self, member: Member, election: Election) -> list[str]:
        """Why ``member`` may not stand in ``election``, one Chinese sentence each; empty: none."""

    def member_passes(self, member: Member, election: Election) -> bool:
        """Whether ``member`` meets the conditions (whom the provisional list may take)."""

    def conditions_text(self, election: Election) -> list[str]:
        """The conditions as the nomination page and the request state them."""

    def checks_by_member(self, election: Election) -> dict[int, Any]:
        """Every nominee and listed person's check, by member id."""

    def slate_structure(self, election: Election) -> Any:
        """The slate's structure against the targets (for the candidates page)."""

    def slate_document(self, election: Election) -> dict[str, Any]:
        """The slate's profile rows and structure as plain values (for the request)."""

    def submitted_candidate(self, candidate: Candidate) -> dict[str, str]:
        """One provisional candidate as the request states it: name, vetting conclusion, education
        and current post on record at the time of submission."""


_candidacy: CandidacyChecks | None = None


def register_candidacy(hooks: CandidacyChecks) -> None:
    global _candidacy
    _candidacy = hooks


def candidacy() -> CandidacyChecks:
    """The registered checks; vetting is an installed app, so they are always there once Django is
    set up (``AppConfig.ready``)."""
    if _candidacy is None:  # pragma: no cover - every settings module installs xuanju.vetting
        raise RuntimeError("xuanju.vetting is not installed: no candidacy checks registered")
    return _candidacy
