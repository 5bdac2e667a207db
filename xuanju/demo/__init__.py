"""The demo county (演示数据): its organizations and members, a branch's election at the counting desk
with the reserve pools, a development zone's congress, and a vacancy and an appointment between
elections, and a township's re-election campaign over its villages. Every caller — ``xuanju serve`` and
``xuanju demo``, the test fixtures, the benchmarks — loads it through :func:`load_all`, or one part
of it after the county.

The demo sits above every app: it drives them through their actions, as a user would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from xuanju.demo.between import BetweenDemo, load_demo_between
from xuanju.demo.campaign import DemoCampaign, load_demo_campaign
from xuanju.demo.congress import DemoCongress, load_demo_congress
from xuanju.demo.county import DemoSummary, demo_is_loaded, load_demo
from xuanju.demo.election import DemoElection, load_demo_election

__all__ = ["Demo", "demo_is_loaded", "load_all"]


@dataclass(frozen=True)
class Demo:
    county: DemoSummary
    election: DemoElection
    congress: DemoCongress | None
    between: BetweenDemo | None = None
    campaign: DemoCampaign | None = None


@transaction.atomic
def load_all(today: date | None = None, congress: bool = True, congress_scale: float = 1.0) -> Demo:
    """The county, its demo election, (unless ``congress`` is False) its congress, and a committee's
    changes between elections (a vacancy, an appointed secretary) — or nothing. ``congress_scale``
    shrinks the congress's members and delegates for tests that need its shape."""
    county = load_demo(today)
    election = load_demo_election(today)
    held = load_demo_congress(today, scale=congress_scale) if congress else None
    between = load_demo_between(today)
    return Demo(county, election, held, between, load_demo_campaign(today))
