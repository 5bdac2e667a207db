from __future__ import annotations

import pytest
from django.utils import timezone

from tests.counting.world import World, open_round_world


@pytest.fixture
def world(db) -> World:
    return open_round_world(timezone.localdate())
