"""A village branch's re-election carried through every step, so that every document exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests import factories as f
from tests.counts import SINGLE_ENTRY, close_counted
from xuanju.accounts.models import User
from xuanju.elections import actions
from xuanju.elections.models import Approval, Candidate, Election, Meeting, Post
from xuanju.organizations.models import Member

PLAN_NUMBER = "东乡组〔2026〕3号"
CANDIDATES_NUMBER = "东乡组〔2026〕5号"
RESULTS_NUMBER = "东乡组〔2026〕9号"


@dataclass
class Finished:
    tree: f.County
    election: Election
    people: list[Member]
    accounts: dict[str, User]


def _approve(approval: Approval, number: str) -> None:
    actions.decide("town", approval, Approval.Decision.APPROVED, number, "")


def finished_election(today: date) -> Finished:
    """5 committee seats, 6 candidates; 19 entitled (王… one abroad excluded), 18 present; round 1
    elects four and ties 陈静 and 杨帆, the revote elects 陈静; the plenary elects 王芳 secretary and
    李强 deputy; the report is approved. Accounts: secretary, town (upper level), member, outsider."""
    tree, people = f.village_due_for_reelection(today)
    accounts = {
        "secretary": f.account("village", tree.village, "secretary"),
        "town": f.account("town", tree.town, "org_department"),
        "member": f.account("member", tree.village, "member"),
        "outsider": f.account("school", tree.school_branch, "secretary"),
    }
    election = actions.start_election(
        "village",
        tree.village,
        today,
        5,
        1,
        readiness="已完成上届委员会述职和党员民主评议。\n已核对党员名册，确定有选举权的党员。",
        composition="注重从致富能手、退役军人中选拔，女性委员至少1名。",
    )
    _approve(actions.submit_plan("village", election), PLAN_NUMBER)
    committee = election.contests.get(post=Post.COMMITTEE_MEMBER)
    for person, count in zip(people[:6], range(18, 0, -1), strict=False):
        actions.record_nomination("village", committee, person, "党员个人推荐", count)
        actions.set_candidate(
            "village",
            committee,
            person,
            Candidate.Stage.PROVISIONAL,
            vetting="考察合格",
            profile=f"{person.name}，长期在村工作，群众基础好；不足是创新意识有待加强。",
        )
    for post, person in ((Post.SECRETARY, people[0]), (Post.DEPUTY_SECRETARY, people[1])):
        actions.set_candidate(
            "village", election.contests.get(post=post), person, Candidate.Stage.PROVISIONAL
        )
    _approve(actions.submit_candidates("village", election), CANDIDATES_NUMBER)
    election.refresh_from_db()

    meeting = actions.open_meeting("village", election, Meeting.Kind.MEMBERS, today)
    actions.exclude_from_entitled("village", meeting, people[19], "abroad", "镇党委同意，大会通过")
    actions.mark_present("village", meeting, [p.pk for p in people[:18]])  # 胡斌… 林峰 absent
    actions.close_roll("village", meeting)
    actions.adopt_procedure("village", meeting, "present", False, votes_for=17, counting_method=SINGLE_ENTRY)
    actions.appoint("village", meeting, people[10], "chief_scrutineer")
    actions.appoint("village", meeting, people[12], "scrutineer")
    actions.appoint("village", meeting, people[11], "counter")
    actions.appoint("village", meeting, people[13], "counter")
    first = actions.open_round("village", committee, meeting, issued=18)
    key = {c.member.name: c.key for c in first.candidates.select_related("member")}
    others = ["张伟", "刘洋", "陈静", "杨帆"]
    for left_out, count in (("张伟", 4), ("刘洋", 4), ("陈静", 5), ("杨帆", 5)):
        chosen = [key["王芳"], key["李强"]] + [key[n] for n in others if n != left_out]
        actions.record_ballot("counter", first, chosen, [key[left_out]], [], count=count)
    close_counted(first, returned=18)  # 王芳 李强 18, 张伟 刘洋 14, 陈静 杨帆 13
    revote = actions.open_round("village", committee, meeting, issued=18)
    actions.record_ballot("counter", revote, [key["陈静"]], [], [], count=10)
    actions.record_ballot("counter", revote, [key["杨帆"]], [], [], count=8)
    close_counted(revote, returned=18)

    election.refresh_from_db()
    elected = [e.member for e in committee.elected.select_related("member")]
    plenary = actions.open_meeting("village", election, Meeting.Kind.PLENARY, today)
    actions.mark_present("village", plenary, [p.pk for p in elected])
    actions.close_roll("village", plenary)
    actions.adopt_procedure("village", plenary, "present", False, votes_for=5, counting_method=SINGLE_ENTRY)
    bystanders = [p for p in elected if p.name not in ("王芳", "李强")]
    actions.appoint("village", plenary, bystanders[0], "scrutineer")
    actions.appoint("village", plenary, bystanders[1], "counter")
    for post in (Post.SECRETARY, Post.DEPUTY_SECRETARY):
        race = actions.open_round("village", election.contests.get(post=post), plenary, issued=5)
        actions.record_ballot("counter", race, [race.candidates.get().key], [], [], count=5)
        close_counted(race, returned=5)
    _approve(actions.submit_results("village", election), RESULTS_NUMBER)
    election.refresh_from_db()
    return Finished(tree, election, people, accounts)
