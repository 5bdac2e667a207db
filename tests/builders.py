"""Small builders so that a test reads like the situation it checks."""

from __future__ import annotations

from collections.abc import Iterable

from xuanju.rules.ballots import Ballot
from xuanju.rules.candidates import Post
from xuanju.rules.tally import Candidate, ElectionRound, MajorityBase, Procedure, RoundKind, VotingBody

NAMES = ("王芳", "李强", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴军", "徐丽", "孙涛")


def candidates(n: int) -> tuple[Candidate, ...]:
    return tuple(Candidate(id=f"c{i + 1}", name=NAMES[i]) for i in range(n))


def ballot(
    for_: Iterable[str] = (), against: Iterable[str] = (), write_in: Iterable[str] = (), count: int = 1
) -> Ballot:
    return Ballot(for_=tuple(for_), against=tuple(against), write_in=tuple(write_in), count=count)


def void(reason: str = "撕损无法辨认", count: int = 1) -> Ballot:
    return Ballot(void_reason=reason, count=count)


def election(
    *ballots: Ballot,
    seats: int = 1,
    entitled: int | None = None,
    present: int | None = None,
    n_candidates: int = 2,
    kind: RoundKind = RoundKind.REGULAR,
    majority_base: MajorityBase = MajorityBase.PRESENT,
    tie_revote_needs_majority: bool = False,
    ballots_issued: int | None = None,
    ballots_returned: int | None = None,
    people: tuple[Candidate, ...] | None = None,
    pre_election_needs_majority: bool = True,
    issued_over_present_voids: bool = False,
    post: Post = Post.COMMITTEE_MEMBER,
    body: VotingBody = VotingBody.MEMBERS_MEETING,
    pre_election: bool = False,
    statutory_minimum: int | None = None,
    elected_before: int = 0,
) -> ElectionRound:
    """A round whose present count defaults to the ballots cast and entitled to present."""
    cast = sum(b.count for b in ballots)
    present = cast if present is None else present
    return ElectionRound(
        seats=seats,
        entitled=present if entitled is None else entitled,
        present=present,
        candidates=people if people is not None else candidates(n_candidates),
        ballots=tuple(ballots),
        kind=kind,
        procedure=Procedure(
            majority_base=majority_base,
            tie_revote_needs_majority=tie_revote_needs_majority,
            pre_election_needs_majority=pre_election_needs_majority,
            issued_over_present_voids=issued_over_present_voids,
        ),
        ballots_issued=ballots_issued,
        ballots_returned=ballots_returned,
        post=post,
        body=body,
        pre_election=pre_election,
        statutory_minimum=statutory_minimum,
        elected_before=elected_before,
    )
