"""``{% reserve_suggestions contest %}``: the pool's suggestions on the nominations page."""

from __future__ import annotations

from typing import Any

from django import template

from xuanju.elections.models import Contest
from xuanju.reserve import services
from xuanju.vetting.services import failure_text

register = template.Library()


@register.inclusion_tag("reserve/_suggestions.html", takes_context=True)
def reserve_suggestions(context: template.Context, contest: Contest) -> dict[str, Any]:
    """Pool people for ``contest`` with the conditions they fail on the election day (R-CAND-1)."""
    on = contest.election.planned_on
    rows = [
        {
            "person": person,
            "age": services.age_on(person.member, on),
            "reasons": [failure_text(f, person.member, contest.election) for f in failures],
        }
        for person, failures in services.suggestions_for(contest)
    ]
    return {"contest": contest, "suggestions": rows, "csrf_token": context.get("csrf_token")}
