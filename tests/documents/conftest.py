from __future__ import annotations

import pytest
from django.utils import timezone

from tests.documents.world import Finished, finished_election


@pytest.fixture
def done(db) -> Finished:
    return finished_election(timezone.localdate())
