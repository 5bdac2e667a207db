"""The congress's answers to the election flow (xuanju.elections.hooks.CongressHooks).

An election is either a unit's election of delegates (it has a ``UnitElection``), the committee
election at a congress (it has a ``Congress``), or neither: then every answer is None and the flow
does what it does for a members' meeting.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from xuanju.elections.models import Election
from xuanju.organizations.models import Organization


class CongressFlow:
    def voters(self, election: Election, on: date) -> list[Any] | None:
        """A unit's election: the members of the unit's organizations (subtrees) — the rights check
        that follows keeps the full members (R-VOTE-1/2). The committee election at a congress: the
        formal delegates only (R-DEL-6)."""
        from xuanju.congress import services

        unit_election = services.unit_election_of(election)
        if unit_election is not None:
            return list(services.unit_members(unit_election.unit).prefetch_related("restrictions"))
        congress = services.congress_of(election)
        if congress is not None:
            return [
                d.member for d in services.formal_delegates(congress).prefetch_related("member__restrictions")
            ]
        return None

    def nominees(self, election: Election) -> Any | None:
        """A unit's election: its candidates come from the members of the unit's organizations."""
        from xuanju.congress import services

        unit_election = services.unit_election_of(election)
        if unit_election is None:
            return None
        return services.unit_members(unit_election.unit)

    def approving_organization(self, election: Election) -> Organization | None:
        """A unit's provisional candidates go to the convening organization (R-DEL-5)."""
        from xuanju.congress import services

        unit_election = services.unit_election_of(election)
        if unit_election is None:
            return None
        return unit_election.unit.congress.organization

    def plan_content(self, election: Election) -> dict[str, Any] | None:
        """The committee election at a congress: the quota, grounds, composition and allocation
        (R-RPT-1, R-DEL-1/2/3). ``congress.problem`` is non-empty while the allocation is not in order."""
        from xuanju.congress import services

        congress = services.congress_of(election)
        if congress is None:
            if getattr(election, "at_congress", False):
                return {"problem": "尚未提出党员代表大会的代表名额和分配方案（R-DEL-2、R-RPT-1）"}
            return None
        return services.plan_content(congress)

    def congress_ready(self, election: Election) -> str | None:
        """Why the congress cannot open yet (R-DEL-6): see ``services.readiness_problem``."""
        from xuanju.congress import services

        congress = services.congress_of(election)
        if congress is None:
            if getattr(election, "at_congress", False):
                return "尚未提出党员代表大会的代表名额和分配方案（R-DEL-2）"
            return None
        return services.readiness_problem(congress)

    def delegates_elected(self, election: Election) -> None:
        """A unit's election filled its seats: its delegates await the credentials review."""
        from xuanju.congress import actions

        actions.record_delegates(election)
