"""Chinese words for what the rules return as codes and numbers (rights, condition failures)."""

from __future__ import annotations

from xuanju.rules.conditions import EDUCATION_CODES, ConditionFailure, EducationLevel, Failure
from xuanju.rules.voting import NoRightReason
from xuanju.vetting.models import Education

NO_RIGHT_TEXT = {
    NoRightReason.PROBATIONARY.value: "预备党员",
    NoRightReason.PROBATION_WITHIN_PARTY.value: "留党察看期间",
    NoRightReason.SUSPENDED.value: "被留置或逮捕，权利暂停",
}

_LEVEL_CODE = {level: code for code, level in EDUCATION_CODES.items()}


def no_right_text(reason: str | None) -> str:
    return NO_RIGHT_TEXT.get(reason or "", "没有被选举权")


def education_text(level: int | None) -> str:
    if level is None:
        return "未登记"
    return str(Education(_LEVEL_CODE[EducationLevel(level)]).label)


def failure_text(failure: ConditionFailure) -> str:
    """One unmet condition as a sentence fragment citing its rule (R-CAND-1, R-CAND-6)."""
    f, required, actual, on = failure.failure, failure.required, failure.actual, failure.on
    if f is Failure.NO_RIGHT_TO_STAND:
        return f"没有被选举权：{no_right_text(failure.reason)}（R-CAND-6）"
    if f is Failure.PROBATIONARY:
        return f"尚无党龄（预备党员），要求党龄不少于{required}年（R-CAND-1）"
    if f is Failure.PARTY_AGE_TOO_LOW:
        return f"党龄{actual}年，要求不少于{required}年（{on}满）（R-CAND-1）"
    if f is Failure.TOO_YOUNG:
        return f"{actual}周岁，要求不小于{required}周岁（{on}满）（R-CAND-1）"
    if f is Failure.TOO_OLD:
        return f"{actual}周岁，要求不超过{required}周岁（R-CAND-1）"
    if f is Failure.EDUCATION_TOO_LOW:
        return f"学历{education_text(actual)}，要求{education_text(required)}及以上（R-CAND-1）"
    if f is Failure.EDUCATION_UNKNOWN:
        return f"学历未登记，要求{education_text(required)}及以上（R-CAND-1）"
    if f is Failure.NOT_RESIDENT:
        return "不在本地居住，要求在本地居住（R-CAND-1）"
    if f is Failure.RESIDENCE_UNKNOWN:
        return "居住地未登记，要求在本地居住（R-CAND-1）"
    if f is Failure.RECENT_SANCTION:
        return f"{on}受党纪处分，要求近{required}年内未受处分（R-CAND-1）"
    return str(f)
