"""``{% report_links org=org %}`` / ``{% report_links election=election %}``: the "举报" link on
organization and election pages, and on an election page what R-SUP-3 adds: the void decision,
the link between a voided election and its re-run, and the upper level's link to void it."""

from __future__ import annotations

from typing import Any

from django import template

from xuanju.accounts.models import User
from xuanju.elections.models import Election
from xuanju.organizations.models import Organization
from xuanju.supervision.actions import VOIDABLE, can_void
from xuanju.supervision.models import Voiding

register = template.Library()


@register.inclusion_tag("supervision/report_links.html", takes_context=True)
def report_links(
    context: template.Context, org: Organization | None = None, election: Election | None = None
) -> dict[str, Any]:
    user = context.get("user")
    organization = election.organization if election is not None else org
    voiding = reopened_from = None
    may_void = False
    if election is not None:
        voiding = Voiding.objects.filter(election=election).select_related("reopened_as").first()
        reopened_from = election.reopened_from
        may_void = isinstance(user, User) and election.status in VOIDABLE and can_void(user, election)
    return {
        "organization": organization,
        "election": election,
        "voiding": voiding,
        "reopened_from": reopened_from,
        "may_void": may_void,
    }
