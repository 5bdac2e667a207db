"""A stand-in for the congress app's answers (xuanju.elections.hooks.CongressHooks), so that the
election flow of a congress is tested without depending on xuanju.congress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from xuanju.elections import hooks
from xuanju.elections.models import Election
from xuanju.organizations.models import Member, Organization


@dataclass
class StubCongress:
    """Answers for the delegates elections of ``unit`` and the committee election of a congress."""

    unit: Organization | None = None  # whose members elect delegates and stand for them
    convening: Organization | None = None  # who reviews a unit's provisional delegates
    delegates: list[Member] = field(default_factory=list)  # the formal delegates of the congress
    unit_roll: list[Member] | None = None  # the unit's members on the roll (default: all of them)
    not_ready: str | None = None
    plan: dict[str, Any] | None = None
    elected: list[Election] = field(default_factory=list)
    asked_voters: list[tuple[int, date]] = field(default_factory=list)

    def voters(self, election: Election, on: date) -> list[Any] | None:
        self.asked_voters.append((election.pk, on))
        if election.is_delegates:
            if self.unit_roll is not None:
                return self.unit_roll
            return list(Member.objects.filter(organization=self.unit, left_on__isnull=True))
        return list(self.delegates) if election.at_congress else None

    def nominees(self, election: Election) -> Any | None:
        return Member.objects.filter(organization=self.unit) if election.is_delegates else None

    def approving_organization(self, election: Election) -> Organization | None:
        return self.convening if election.is_delegates else None

    def plan_content(self, election: Election) -> dict[str, Any] | None:
        return self.plan if election.at_congress else None

    def congress_ready(self, election: Election) -> str | None:
        return self.not_ready

    def delegates_elected(self, election: Election) -> None:
        self.elected.append(election)


@pytest.fixture
def congress(monkeypatch: pytest.MonkeyPatch) -> StubCongress:
    """The stub, registered through hooks.register; whatever was registered before is restored."""
    monkeypatch.setattr(hooks, "_hooks", hooks.congress())
    stub = StubCongress()
    hooks.register(stub)
    return stub
