"""What every document shares: the refs and built documents, the wording helpers (dates, numerals,
names, citations stripped) and the heading every document carries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from xuanju.documents.kinds import Kind
from xuanju.documents.markup import cell, literal
from xuanju.elections.actions import APPROVED_POSTS
from xuanju.elections.forms_meeting import EXCLUSION_LABELS
from xuanju.elections.models import (
    Approval,
    Election,
    ElectionForm,
    ElectionKind,
    Meeting,
    Post,
)
from xuanju.organizations.models import Organization
from xuanju.rules.names import stroke_key

# The system's messages cite rule IDs for its users; a document sent to the upper level quotes the
# Regulations' substance without them.
_CITATION = re.compile(r"（R-[A-Z]+-\d+(?:[、，]\s*R-[A-Z]+-\d+)*）")
_TRAILING_CITATION = re.compile(r"[，、]\s*R-[A-Z]+-\d+")
_BARE_CITATION = re.compile(r"\s*R-[A-Z]+-\d+")
_REASONS = {k.value: v for k, v in EXCLUSION_LABELS.items()}
_NUMERALS = "一二三四五六七八九十"  # headings 一、二、… (a document has a few sections)
_POST_ORDER = {
    Post.DELEGATE: 0,
    Post.COMMITTEE_MEMBER: 0,
    Post.SECRETARY: 1,
    Post.DEPUTY_SECRETARY: 2,
    Post.DISCIPLINE_MEMBER: 3,
    Post.DISCIPLINE_SECRETARY: 4,
    Post.DISCIPLINE_DEPUTY: 5,
}
_APPROVED_POSTS = APPROVED_POSTS  # approved (批准); the others are filed (R-RPT-3)
_PLENARIES = (Meeting.Kind.PLENARY, Meeting.Kind.DISCIPLINE_PLENARY)
_PLENARY_NAMES = {
    Meeting.Kind.PLENARY: "新一届委员会第一次全体会议",
    Meeting.Kind.DISCIPLINE_PLENARY: "新一届纪律检查委员会第一次全体会议",
}


class NotAvailable(Exception):
    """The records this document is made from do not exist (yet)."""


@dataclass(frozen=True)
class Ref:
    """One document that can be generated now: its kind, its item (a meeting, round or member id
    for documents of which an election has several) and how the list names it."""

    kind: Kind
    item: int | None
    name: str
    dated: date


@dataclass(frozen=True)
class Built:
    ref: Ref
    context: dict[str, Any]


# --- wording helpers -------------------------------------------------------------------------


def cn_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _month(day: date | None) -> str:
    return f"{day.year}.{day.month:02d}" if day else "—"


def plain(text: str) -> str:
    """``text`` without the system's rule citations."""
    text = _CITATION.sub("", text)
    text = _TRAILING_CITATION.sub("", text)
    return _BARE_CITATION.sub("", text)


def _lines(text: str) -> list[str]:
    """Free text as paragraphs, one per line, each safe as markup."""
    return [literal(plain(line)) for line in text.splitlines() if line.strip()]


def _numeral(index: int) -> str:
    """一, 二, … for the ``index``-th section (from 0); Arabic beyond ten."""
    return _NUMERALS[index] if index < len(_NUMERALS) else str(index + 1)


def _names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=stroke_key)  # R-NAME


def _upper(org: Organization) -> str:
    parent = Organization.objects.get_parent(org)
    return parent.name if parent else ""


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.0f}%" if whole else "—"


# --- per kind: the documents there are and what each says ------------------------------------


def _approval(election: Election, kind: str) -> Approval | None:
    return election.approvals.filter(kind=kind).order_by("-submitted_on", "-id").first()


def _congress_name(election: Election) -> str:
    """The congress a unit's delegates election sends its delegates to ("" for other elections)."""
    if not election.is_delegates:
        return ""
    unit = getattr(election, "congress_unit", None)
    return str(unit.unit.congress) if unit is not None else "党员代表大会"


def _common(election: Election, dated: date) -> dict[str, Any]:
    org = election.organization
    congress = _congress_name(election)
    return {
        "org": cell(org.name),
        "upper": cell(_upper(org)),
        "date": cn_date(dated),
        "year": dated.year,
        "has_committee": election.has_committee,
        "term_years": election.term_years,
        "committee_seats": election.committee_seats,
        "deputy_seats": election.deputy_seats,
        "body": f"出席{cell(congress)}代表"
        if election.is_delegates
        else "委员会"
        if election.has_committee
        else "书记" + ("、副书记" if election.deputy_seats else ""),
        # What the election is, as the titles of its results name it.
        "delegates": election.is_delegates,
        "congress_name": cell(congress),
        "elects": cell(
            f"选举出席{congress}代表" if election.is_delegates else "补选" if _is_by(election) else "换届选举"
        ),
        "by_election": _is_by(election),  # 关于补选…的请示, 补选结果的报告
        "electing_meeting": ElectionForm(election.form).label,  # 党员大会 or 党员代表大会 (R-DEL-1)
    }


def _reply(approval: Approval) -> dict[str, Any]:
    """The upper level's reply to a request or report (R-RPT-4): what it decided, when, under which
    document number, and why where it did not approve."""
    assert approval.decided_on is not None
    return {
        "decision": approval.decision,
        "approved": approval.decision == Approval.Decision.APPROVED,
        "returned": approval.decision == Approval.Decision.RETURNED,
        "refused": approval.decision == Approval.Decision.REFUSED,
        "number": cell(approval.document),
        "comments": _lines(approval.comments),
        "submitted_on": cn_date(approval.submitted_on),
    }


def _is_by(election: Election) -> bool:
    return election.kind == ElectionKind.BY_ELECTION
