"""Consent to reduce the seats instead of a further election (减少名额, R-CNT-5).

When fewer people pass than there are seats and the result is close to the quota, the meeting may
reduce the seats and stop, "经半数以上选举人同意" — or, at a delegates' congress, by decision of the
presidium (大会主席团决定). Handbook wording (《新编基层党务工作手册》, as quoted by 旗帜网,
"正式选举确定当选人的原则是什么", 2023-08-09): "如果接近应选名额，经半数以上选举人同意或者大会主席团
决定，也可以减少名额，不再进行选举".

"半数以上" is read as the Regulations read "以上" elsewhere: the number itself included. The
Regulations' "党员人数在500名以上" (条例 第四条) admits a congress at exactly 500 members (R-DEL-1), and
the Party Constitution's "有正式党员三人以上的，都应当成立党的基层组织" (党章 第三十条) a branch of
exactly three (R-ORG-1); in Chinese official drafting "以上" generally includes the number
(the writing guides on "以上/以下" in 公文, e.g. the note citing that very 党章 sentence). So the
default is :attr:`ConsentReading.AT_LEAST_HALF` — half of the voters present suffices — and the
stricter :attr:`ConsentReading.MORE_THAN_HALF` ("过半数") is the parameter a procedure may adopt.

Whether a post's seats may be reduced at all is :func:`seat_reduction_problem`, and whether the
meeting may reduce them :func:`may_reduce_seats`; the tally (:mod:`xuanju.rules.tally`) asks the first
when a round leaves seats unfilled.
"""

from __future__ import annotations

from enum import StrEnum

from xuanju.rules.candidates import COMPETITIVE_POSTS, Post


class ConsentReading(StrEnum):
    """How the election procedure reads "半数以上选举人同意" (R-CNT-5)."""

    AT_LEAST_HALF = "at_least_half"  # 半数以上, half itself included (default: the Regulations' usage)
    MORE_THAN_HALF = "more_than_half"  # 过半数, half itself not enough (the stricter reading)


def least_consenting(voters: int, reading: ConsentReading = ConsentReading.AT_LEAST_HALF) -> int:
    """The fewest voters whose consent reduces the seats, of ``voters`` present (R-CNT-5)."""
    if voters < 0:
        raise ValueError("voters must not be negative")
    if reading is ConsentReading.MORE_THAN_HALF:
        return voters // 2 + 1
    return (voters + 1) // 2


def reduction_consented(
    consenting: int, voters: int, reading: ConsentReading = ConsentReading.AT_LEAST_HALF
) -> bool:
    """Whether ``consenting`` of ``voters`` present is the consent R-CNT-5 asks, read as ``reading``."""
    return consenting >= least_consenting(voters, reading)


class ReductionProblem(StrEnum):
    EQUAL_ELECTION_POST = "equal_election_post"  # R-CAND-3: the approved posts are filled, not cut
    BELOW_MINIMUM = "below_minimum"  # R-CNT-5


def seat_reduction_problem(
    post: Post, elected_total: int, statutory_minimum: int | None
) -> ReductionProblem | None:
    """R-CNT-5: why the seats of ``post`` may not be reduced instead of a further election, or None.

    The statute lets the meeting reduce the seats of a committee (and of its competitive posts)
    when the committee keeps at least its statutory minimum. A secretary or deputy secretary,
    elected 等额 to posts the upper level approved (R-CAND-3), is never "reduced" (a reading: the
    Regulations speak of the committee's number, not of its leading posts): the post goes to a
    further election. ``statutory_minimum`` None: the post has no minimum of its own (delegates),
    but at least one person must have been elected.
    """
    if post not in COMPETITIVE_POSTS:
        return ReductionProblem.EQUAL_ELECTION_POST
    if elected_total < (statutory_minimum or 1):
        return ReductionProblem.BELOW_MINIMUM
    return None


def may_reduce_seats(
    elected_total: int,
    statutory_minimum: int,
    consenting: int,
    present: int,
    reading: ConsentReading = ConsentReading.AT_LEAST_HALF,
    presidium_decided: bool = False,
) -> bool:
    """R-CNT-5: instead of a further election the meeting may reduce the seats, when the committee
    keeps at least its statutory minimum and "半数以上" of the voters present consent, read as the
    procedure's ``reading`` (default: half included, :mod:`xuanju.rules.reduction`) — or, at a
    delegates' congress, when the presidium decides (``presidium_decided``)."""
    if elected_total < statutory_minimum:
        return False
    return presidium_decided or reduction_consented(consenting, present, reading)
