"""``{% committee_between committee %}`` on the organization page: the open vacancies of the
current committee with how long each is open (补选不及时 after the threshold), how each seat was
filled, and the actions between elections; ``{% vacancies_under root %}`` on the monitor."""

from __future__ import annotations

from typing import Any

from django import template

from xuanju.accounts.models import User
from xuanju.organizations import vacancies
from xuanju.organizations.models import Committee, Organization
from xuanju.organizations.scope import can_manage, can_oversee

register = template.Library()
LIMIT = 200


@register.inclusion_tag("organizations/_committee_between.html", takes_context=True)
def committee_between(context: template.Context, committee: Committee) -> dict[str, Any]:
    user = context.get("user")
    org = committee.organization
    account = user if isinstance(user, User) else None
    return {
        "committee": committee,
        "org": org,
        "seats": list(committee.seats.select_related("member").order_by("id")),
        "rows": vacancies.rows(committee.vacancies.filter(filled_on=None).select_related("former_member")),
        "months": vacancies.overdue_months(),
        "can_manage": account is not None and can_manage(account, org),
        "can_oversee": account is not None and can_oversee(account, org),
    }


@register.inclusion_tag("organizations/_vacancies_under.html")
def vacancies_under(root: Organization) -> dict[str, Any]:
    rows = vacancies.rows(vacancies.open_vacancies_under(root)[: LIMIT + 1])
    return {"rows": rows[:LIMIT], "more": len(rows) > LIMIT, "months": vacancies.overdue_months()}
