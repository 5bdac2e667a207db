"""Who a picker offers: only the people who may hold the role, in surname stroke order (R-NAME).

The actions check the same rules again (a forged choice is refused there with its reason); the
pickers only keep the wrong people out of the list, and each ``<select>`` they feed carries
``data-search`` so that xuanju/static/xuanju/picker.js puts a search field above it.
"""

from __future__ import annotations

from typing import Any

from xuanju.elections.models import Attendance, Meeting
from xuanju.organizations.models import Member
from xuanju.organizations.ordering import in_stroke_order, members_in_stroke_order

__all__ = ["members_in_stroke_order", "present_voters"]


def present_voters(meeting: Meeting) -> Any:
    """Who may be named scrutineer or counter: the voters ticked present at this meeting's roll call
    (R-MEET-4) — members at a members' meeting, the new committee at its plenary, the formal
    delegates at a congress — in stroke order."""
    present = Attendance.objects.filter(meeting=meeting, present=True, excluded_reason="").values("member_id")
    return in_stroke_order(Member.objects.filter(pk__in=present).only("id", "name"))
