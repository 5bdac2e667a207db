"""Vetting's answers to the election flow (xuanju.elections.hooks.CandidacyChecks), registered in
:class:`xuanju.vetting.apps.VettingConfig`: the dependency runs vetting → elections only."""

from __future__ import annotations

from typing import Any

from xuanju.elections.models import Candidate, Election
from xuanju.organizations.models import Member
from xuanju.vetting import services


class VettingChecks:
    def require_conditions(self, member: Member, election: Election) -> None:
        services.require_conditions(member, election)  # R-CAND-1, R-CAND-6

    def condition_failures(self, member: Member, election: Election) -> list[str]:
        return services.condition_failures(member, election)

    def member_passes(self, member: Member, election: Election) -> bool:
        return services.check_member(member, election).passed

    def conditions_text(self, election: Election) -> list[str]:
        return services.conditions_text(election)

    def checks_by_member(self, election: Election) -> dict[int, Any]:
        return {row.member.pk: row.check for row in services.election_checks(election)}

    def slate_structure(self, election: Election) -> Any:
        return services.slate_structure(election)

    def slate_document(self, election: Election) -> dict[str, Any]:
        return services.slate_document(election)

    def submitted_candidate(self, candidate: Candidate) -> dict[str, str]:
        """The vetting record's conclusion when there is one, else the text typed on the
        candidates page; the education and current post on record (MemberProfile)."""
        kept = services.record_of(candidate)
        vetting = (
            kept.conclusion.strip() if kept is not None and kept.conclusion.strip() else candidate.vetting
        )
        profile = services.profile_of(candidate.member)
        return {
            "name": candidate.member.name,
            "vetting": vetting,
            "education": profile.get_education_display() if profile and profile.education else "",
            "current_post": profile.current_post.strip() if profile else "",
        }
