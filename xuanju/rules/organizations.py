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


# Committee sizes, each a named parameter with its source. Where the upper level approved a size
# for a party committee or general branch (R-ORG-4), that number is the size and these are only the
# handbook's guide.
BRANCH_COMMITTEE_SIZES = SizeRange(minimum=3, normal_max=5, hard_max=7)  # R-ORG-2: 支部条例 第二十条
TOWNSHIP_COMMITTEE_SIZES = SizeRange(minimum=7, normal_max=9, hard_max=9)  # R-ORG-3: 农村条例
PARTY_COMMITTEE_SIZES = SizeRange(minimum=5, normal_max=9, hard_max=9)  # R-ORG-4: 手册
STANDING_COMMITTEE_PARTY_COMMITTEE_SIZES = SizeRange(
    minimum=15, normal_max=21, hard_max=21
)  # R-ORG-4: 手册 — a party committee that has a standing committee (常委会) may have 15-21 members
GENERAL_BRANCH_COMMITTEE_SIZES = SizeRange(
    minimum=5, normal_max=7, hard_max=9
)  # R-ORG-4: 手册, 一般 5-7 人, 最多 9 人


def committee_size_range(
    kind: OrganizationKind, sector: Sector, standing_committee: bool = False
) -> SizeRange:
    """The committee sizes the Regulations and handbooks give (R-ORG-2/3/4).

    Branch committees 3-5, at most 7 (R-ORG-2, 支部条例); township party committees 7-9 (R-ORG-3,
    农村条例); other party committees 5-9, or 15-21 where the party committee has a standing
    committee (R-ORG-4, 手册); general branches generally 5-7, at most 9 (R-ORG-4, 手册). For party
    committees and general branches the upper level's approval fixes the number
    (:func:`size_findings`).
    """
    if kind is OrganizationKind.BRANCH:
        return BRANCH_COMMITTEE_SIZES
    if kind is OrganizationKind.PARTY_COMMITTEE and sector is Sector.TOWNSHIP:
        return TOWNSHIP_COMMITTEE_SIZES
    if kind is OrganizationKind.PARTY_COMMITTEE:
        return STANDING_COMMITTEE_PARTY_COMMITTEE_SIZES if standing_committee else PARTY_COMMITTEE_SIZES
    return GENERAL_BRANCH_COMMITTEE_SIZES


def size_set_by_approval(kind: OrganizationKind, sector: Sector) -> bool:
    """R-ORG-4: whether the upper level's approval fixes the committee size (party committees and
    general branches, but not branches (R-ORG-2) nor township party committees (R-ORG-3), whose
    ranges the regulations fix)."""
    if kind is OrganizationKind.BRANCH:
        return False
    return not (kind is OrganizationKind.PARTY_COMMITTEE and sector is Sector.TOWNSHIP)


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
    standing_committee: bool = False  # R-ORG-4: a party committee with a standing committee
    kind_approved: bool = False  # R-ORG-4: set up as it is by the upper level's recorded approval


def size_findings(
    kind: OrganizationKind,
    sector: Sector,
    size: int,
    approved: int | None = None,
    standing_committee: bool = False,
) -> list[Finding]:
    """What is out of line with R-ORG-2/3/4 in a committee of ``size`` members.

    R-ORG-4: where the upper level approved a size, that is the size: a committee of the approved
    size raises no finding for its size (for a branch or a township party committee it must still
    lie within the range their regulations fix, R-ORG-2/3), and any other size differs from the
    approval. Without an approval the ranges of :func:`committee_size_range` apply.
    """
    sizes = committee_size_range(kind, sector, standing_committee)
    if approved is not None and size != approved:
        return [Finding.SIZE_DIFFERS_FROM_APPROVED]
    if approved is not None and size_set_by_approval(kind, sector):
        return []
    if size < sizes.minimum:
        return [Finding.COMMITTEE_TOO_SMALL]
    if size > sizes.hard_max:
        return [Finding.COMMITTEE_TOO_LARGE]
    if size > sizes.normal_max and approved is None:
        return [Finding.COMMITTEE_ABOVE_NORMAL]
    return []


def organization_findings(org: OrganizationFacts) -> list[Finding]:
    """What is out of line with R-ORG for one organization, most serious first.

    An organization set up by the upper level's recorded approval (``kind_approved``, e.g. a
    state-organ general branch below 50 members) is not flagged as the wrong kind (R-ORG-4)."""
    findings: list[Finding] = []
    if org.kind is OrganizationKind.BRANCH:
        if org.full_members < MIN_FULL_MEMBERS_FOR_BRANCH:
            findings.append(Finding.TOO_FEW_FULL_MEMBERS)
        if org.members > BRANCH_NORMAL_MAX_MEMBERS:
            findings.append(Finding.BRANCH_TOO_LARGE)
    if org.sector is Sector.STATE_ORGAN and not org.kind_approved:
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
    findings.extend(
        size_findings(
            org.kind, org.sector, org.committee_size, org.approved_committee_size, org.standing_committee
        )
    )
    return findings
