from __future__ import annotations

from django.utils import timezone

from tests.documents.world import Finished, finished_election
from tests.worlds import built_once


@built_once
def done() -> Finished:
    return finished_election(timezone.localdate())
