"""Members for a drop-down, in surname stroke order (R-NAME) as a queryset a choice field iterates."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, QuerySet, When

from xuanju.organizations.models import Member
from xuanju.rules.names import stroke_key

STROKE_ORDER_LIMIT = 3000  # beyond this a drop-down is no way to pick anyway: the search field is


def in_stroke_order(members: Iterable[Member]) -> QuerySet[Member]:
    """The members as a queryset ordered by surname strokes, then by id."""
    people = sorted(members, key=lambda m: (stroke_key(m.name), m.pk))
    order = Case(*(When(pk=m.pk, then=position) for position, m in enumerate(people)), default=len(people))
    return Member.objects.filter(pk__in=[m.pk for m in people]).select_related("organization").order_by(order)


def members_in_stroke_order(members: QuerySet[Member]) -> QuerySet[Member]:
    """``members`` for a drop-down: in stroke order, or by name code point when there are very many
    (ordering thousands in SQL by position costs more than the list is worth)."""
    if members.count() > STROKE_ORDER_LIMIT:
        return members.select_related("organization").order_by("name", "pk")
    return in_stroke_order(members.only("id", "name"))
