"""A village branch re-electing 5 committee members, with the accounts around it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tests import factories as f
from tests.worlds import built_once
from xuanju.accounts.models import User
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, Post
from xuanju.organizations.models import Member

TODAY = timezone.localdate()
PLANNED = date(2026, 6, 1)  # the election day every boundary is counted against


@dataclass
class Village:
    election: Election
    people: list[Member]
    accounts: dict[str, User]
    tree: f.County

    def contest(self, post: str = Post.COMMITTEE_MEMBER):
        return self.election.contests.get(post=post)


def approve(approval: Approval) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, "东乡组〔2026〕1号", "")


@built_once
def village() -> Village:
    return build_village()


def build_village() -> Village:
    """Plan approved; the first six people provisional committee candidates (the first three sat on
    the outgoing committee); people[0] for secretary, people[1] for deputy."""
    tree, people = f.village_due_for_reelection(TODAY)
    accounts = {
        "secretary": f.account("village", tree.village, "secretary"),
        "village_department": f.account("village_dept", tree.village, "org_department"),
        "town": f.account("town", tree.town, "org_department"),
        "town_secretary": f.account("town_secretary", tree.town, "secretary"),
        "counter": f.account("counter", tree.village, "counter"),
        "scrutineer": f.account("scrutineer", tree.village, "scrutineer"),
        "member": f.account("member", tree.village, "member"),
        "inspector": f.account("inspector", tree.town, "inspector"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    election = actions.start_election(
        "village", tree.village, PLANNED, 5, 1, readiness="已完成述职和民主评议"
    )
    approve(actions.submit_plan("village", election))
    election.refresh_from_db()
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person in people[:6]:
        actions.set_candidate("village", committee, person, Candidate.Stage.PROVISIONAL)
    actions.set_candidate("village", election.contests.get(post=Post.SECRETARY), people[0], "provisional")
    actions.set_candidate(
        "village", election.contests.get(post=Post.DEPUTY_SECRETARY), people[1], "provisional"
    )
    return Village(election, people, accounts, tree)
