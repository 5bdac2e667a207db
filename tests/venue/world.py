"""What the venue tests share: the central election ready for a venue, and the environment of a
venue laptop's process (its own SQLite database under XUANJU_DATA, never the test database)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.utils import timezone

from tests import factories as f
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, Post

ROOT = Path(__file__).parents[2]
XUANJU = Path(sys.executable).parent / "xuanju"
TODAY = timezone.localdate()


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


def prepared_election() -> Election:
    """The village branch (20 members) electing 5 of 6, its secretary and a deputy; candidates approved."""
    tree, people = f.village_due_for_reelection(TODAY)
    f.account("village", tree.village, "secretary")
    election = actions.start_election("village", tree.village, TODAY, 5, 1, readiness="已完成述职和民主评议")
    approve(actions.submit_plan("village", election))
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL, vetting="考察合格")
    actions.set_candidate("village", election.contests.get(post=Post.SECRETARY), people[0], "provisional")
    actions.set_candidate(
        "village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional"
    )
    approve(actions.submit_candidates("village", election))
    election.refresh_from_db()
    return election


def environment(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return env | {
        "XUANJU_DATA": str(data),
        "XUANJU_SECRET_KEY": "venue-test-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "xuanju.settings",
        "PYTHONPATH": str(ROOT),
    }
