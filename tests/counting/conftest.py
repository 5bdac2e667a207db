from __future__ import annotations

from django.utils import timezone

from tests.counting.world import World, open_round_world
from tests.worlds import built_once


@built_once
def world() -> World:
    return open_round_world(timezone.localdate())
