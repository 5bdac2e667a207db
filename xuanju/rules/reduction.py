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
"""

from __future__ import annotations

from enum import StrEnum


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
