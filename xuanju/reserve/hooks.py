"""The reserve pool's answer to the election flow (xuanju.elections.hooks.ResultsHooks),
registered in :class:`xuanju.reserve.apps.ReserveConfig`: the dependency runs reserve → elections."""

from __future__ import annotations

from typing import Any

from xuanju.elections.models import Election
from xuanju.reserve.actions import sync_elected


class PoolOnResults:
    def results_approved(self, election: Election, actor: Any) -> None:
        """The pool people elected are marked 已当选."""
        sync_elected(election, actor)
