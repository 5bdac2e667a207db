"""Which body an organization should have, and the size of its committee (R-ORG)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xuanju.rules.terms import OrganizationKind, Sector

MIN_FULL_MEMBERS_FOR_BRANCH = 3  # R-ORG-1
BRANCH_NORMAL_MAX_MEMBERS = 50  # R-ORG-1
MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE = 7  # R-ORG-2


class Body(StrEnum):
    """The leading body an organization elects."""

    COMMITTEE = "committee"  # 委员会
    SECRETARY_ONLY = "secretary_only"  # 只设书记（必要时设副书记）


@dataclass(frozen=True)
class SizeRange:
    """Lawful committee sizes: ``normal_max`` is the usual upper bound, ``hard_max`` the legal one."""

    minimum: int
    normal_max: int
    hard_max: int


def required_body(kind: OrganizationKind, full_members: int) -> Body:
    """R-ORG-2: a branch with 7 or more full members has a committee; a smaller one a secretary
    (and if needed one deputy). Party committees and general branches always have a committee."""
    if kind is OrganizationKind.BRANCH and full_members < MIN_FULL_MEMBERS_FOR_BRANCH_COMMITTEE:
        return Body.SECRETARY_ONLY
    return Body.COMMITTEE


def committee_size_range(kind: OrganizationKind, sector: Sector) -> SizeRange:
    """The committee sizes the Regulations allow (R-ORG-2/3/4).

    Branch committees 3-5, at most 7 (R-ORG-2); township party committees 7-9 (R-ORG-3); other party
    committees 5-9 and general branches 5-7 as the handbooks' range (R-ORG-4), within which the upper
    level's approval fixes the number.
    """
    if kind is OrganizationKind.BRANCH:
        return SizeRange(minimum=3, normal_max=5, hard_max=7)
    if kind is OrganizationKind.PARTY_COMMITTEE and sector is Sector.TOWNSHIP:
        return SizeRange(minimum=7, normal_max=9, hard_max=9)
    if kind is OrganizationKind.PARTY_COMMITTEE:
        return SizeRange(minimum=5, normal_max=9, hard_max=9)
    return SizeRange(minimum=5, normal_max=7, hard_max=7)


def state_organ_kind(members: int) -> OrganizationKind | None:
    """R-ORG-3: in state organs 100+ members form a party committee, 50-99 a general branch;
    None where a branch (or a joint branch) is right."""
    if members >= 100:
        return OrganizationKind.PARTY_COMMITTEE
    if members >= 50:
        return OrganizationKind.GENERAL_BRANCH
    return None


class Finding(StrEnum):
    TOO_FEW_FULL_MEMBERS = "too_few_full_members"  # R-ORG-1
    BRANCH_TOO_LARGE = "branch_too_large"  # R-ORG-1
    COMMITTEE_MISSING = "committee_missing"  # R-ORG-2
    COMMITTEE_NOT_EXPECTED = "committee_not_expected"  # R-ORG-2
    COMMITTEE_TOO_SMALL = "committee_too_small"  # R-ORG-2/3
    COMMITTEE_TOO_LARGE = "committee_too_large"  # R-ORG-2/3
    COMMITTEE_ABOVE_NORMAL = "committee_above_normal"  # R-ORG-2: 6-7 is allowed but unusual
    SIZE_DIFFERS_FROM_APPROVED = "size_differs_from_approved"  # R-ORG-4
    WRONG_KIND_FOR_STATE_ORGAN = "wrong_kind_for_state_organ"  # R-ORG-3


@dataclass(frozen=True)
class OrganizationFacts:
    kind: OrganizationKind
    sector: Sector
    full_members: int
    members: int  # full and probationary
    committee_size: int | None  # None when it has no committee (secretary only, or none yet)
    approved_committee_size: int | None = None  # R-ORG-4


def organization_findings(org: OrganizationFacts) -> list[Finding]:
    """What is out of line with R-ORG for one organization, most serious first."""
    findings: list[Finding] = []
    if org.kind is OrganizationKind.BRANCH:
        if org.full_members < MIN_FULL_MEMBERS_FOR_BRANCH:
            findings.append(Finding.TOO_FEW_FULL_MEMBERS)
        if org.members > BRANCH_NORMAL_MAX_MEMBERS:
            findings.append(Finding.BRANCH_TOO_LARGE)
    if org.sector is Sector.STATE_ORGAN:
        expected = state_organ_kind(org.members) or OrganizationKind.BRANCH
        if expected is not org.kind:
            findings.append(Finding.WRONG_KIND_FOR_STATE_ORGAN)
    body = required_body(org.kind, org.full_members)
    if org.committee_size is None:
        if body is Body.COMMITTEE:
            findings.append(Finding.COMMITTEE_MISSING)
        return findings
    if body is Body.SECRETARY_ONLY:
        findings.append(Finding.COMMITTEE_NOT_EXPECTED)
        return findings
    sizes = committee_size_range(org.kind, org.sector)
    if org.committee_size < sizes.minimum:
        findings.append(Finding.COMMITTEE_TOO_SMALL)
    elif org.committee_size > sizes.hard_max:
        findings.append(Finding.COMMITTEE_TOO_LARGE)
    elif org.committee_size > sizes.normal_max:
        findings.append(Finding.COMMITTEE_ABOVE_NORMAL)
    if org.approved_committee_size is not None and org.committee_size != org.approved_committee_size:
        findings.append(Finding.SIZE_DIFFERS_FROM_APPROVED)
    return findings
