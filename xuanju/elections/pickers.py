"""Who a picker offers: only the people who may hold the role, in surname stroke order (R-NAME).

The actions check the same rules again (a forged choice is refused there with its reason); the
pickers only keep the wrong people out of the list, and each ``<select>`` they feed carries
``data-search`` so that xuanju/static/xuanju/picker.js puts a search field above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, QuerySet, When

from xuanju.elections.models import Attendance, Meeting
from xuanju.organizations.models import Member
from xuanju.rules.names import stroke_key


def in_stroke_order(members: Iterable[Member]) -> QuerySet[Member]:
    """The members as a queryset ordered by surname strokes (a choice field iterates its queryset)."""
    people = sorted(members, key=lambda m: (stroke_key(m.name), m.pk))
    order = Case(*(When(pk=m.pk, then=position) for position, m in enumerate(people)), default=len(people))
    return Member.objects.filter(pk__in=[m.pk for m in people]).select_related("organization").order_by(order)


STROKE_ORDER_LIMIT = 3000  # beyond this a drop-down is no way to pick anyway: the search field is


def members_in_stroke_order(members: QuerySet[Member]) -> QuerySet[Member]:
    """``members`` for a drop-down: in stroke order, or by name code point when there are very many
    (ordering thousands in SQL by position costs more than the list is worth)."""
    if members.count() > STROKE_ORDER_LIMIT:
        return members.select_related("organization").order_by("name", "pk")
    return in_stroke_order(members.only("id", "name"))


def present_voters(meeting: Meeting) -> Any:
    """Who may be named scrutineer or counter: the voters ticked present at this meeting's roll call
    (R-MEET-4) — members at a members' meeting, the new committee at its plenary, the formal
    delegates at a congress — in stroke order."""
    present = Attendance.objects.filter(meeting=meeting, present=True, excluded_reason="").values("member_id")
    return in_stroke_order(Member.objects.filter(pk__in=present).only("id", "name"))
