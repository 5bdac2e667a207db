"""A small county for campaign tests, built through the organizations' actions (tests/factories):
two townships with villages, a school beside them, and the accounts that look at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests import factories as f
from xuanju.accounts.models import User
from xuanju.campaigns import actions
from xuanju.campaigns.models import Campaign
from xuanju.organizations.models import Organization

TODAY = timezone.localdate()


@dataclass
class World:
    county: Organization
    east: Organization  # 东乡镇
    west: Organization  # 西乡镇
    villages: dict[str, Organization]
    school_branch: Organization
    accounts: dict[str, User] = field(default_factory=dict)


def village(town: Organization, name: str, members: int = 8, committee: bool = True) -> Organization:
    org = f.org(town, name, "branch", "village")
    people = [f.member(org) for _ in range(members)]
    if committee:
        f.committee_of(org, people[:3], TODAY - timedelta(days=5 * 365 + 30))
    org.refresh_from_db()
    return org


def build() -> World:
    tree = f.county_tree()
    west = f.org(tree.county, "中共西乡镇委员会", "party_committee", "township")
    east_village = tree.village
    for _ in range(8):
        f.member(east_village)
    f.committee_of(east_village, list(east_village.members.all()[:3]), TODAY - timedelta(days=5 * 365 + 30))
    east_village.refresh_from_db()
    villages = {
        "东村": east_village,
        "南村": village(tree.town, "中共南村支部委员会"),
        "西一村": village(west, "中共西一村支部委员会"),
        "西二村": village(west, "中共西二村支部委员会", members=4, committee=False),
    }
    world = World(tree.county, tree.town, west, villages, tree.school_branch)
    world.accounts = {
        "county": f.account("county", tree.county, "org_department"),
        "town": f.account("town", tree.town, "org_department"),
        "inspector": f.account("inspector", tree.county, "inspector"),
        "outsider": f.account("outsider", tree.school_branch, "secretary"),
        "other_town": f.account("west_org", west, "org_department"),
    }
    return world


def schedule(today: date = TODAY, **changes: Any) -> dict[str, Any]:
    """A schedule already a fortnight under way: requests were due two days ago."""
    values: dict[str, Any] = {
        "requests_by": today - timedelta(days=2),
        "candidates_by": today + timedelta(days=10),
        "meetings_from": today + timedelta(days=20),
        "meetings_until": today + timedelta(days=40),
        "results_by": today + timedelta(days=50),
        "reply_days": 5,
    }
    values.update(changes)
    return values


def county_campaign(world: World, **settings: Any) -> Campaign:
    """The county's campaign over every village (by sector)."""
    return actions.create_campaign(
        world.accounts["county"],
        world.county,
        "示范县村党组织集中换届",
        actions.Selection(sectors=["village"]),
        **{**schedule(), **settings},
    )
