"""Read-side questions of vetting, answered by the rules over stored data, gathered from their
modules so callers may import them from one place: who may see and change what, and until when
(:mod:`.access`); the upper level's conditions checked for a member (R-CAND-1, R-CAND-6) and worded
in Chinese (:mod:`.conditions`); vetting records read back (:mod:`.assessment`); the structure of a
slate or a committee against the targets (R-CAND-1: 结构合理, :mod:`.structure`) and its bar charts
(:mod:`.charts`); the slate as plain values for the .xlsx export and the candidate request
(:mod:`.export`).

The pure decisions are in :mod:`xuanju.rules.conditions` and :mod:`xuanju.rules.structure`.
"""

from __future__ import annotations

from xuanju.vetting.access import (
    CONDITIONS_OPEN,
    VETTING_OPEN,
    edits_profile,
    sees_vetting,
    sets_conditions,
)
from xuanju.vetting.assessment import (
    CHECKS,
    INCOMPETENT_CONCERN_DENOMINATOR,
    INCOMPETENT_CONCERN_NUMERATOR,
    RATINGS,
    assessment_problem,
    assessment_rows,
    incompetent_concern,
    record_of,
    vetting_candidates,
    vetting_summary,
)
from xuanju.vetting.charts import (
    BAR_GAP,
    BAR_HEIGHT,
    CHART_WIDTH,
    LABEL_WIDTH,
    bar_chart,
    structure_charts,
)
from xuanju.vetting.conditions import (
    LEVEL_NAME,
    MINIMUM_NAME,
    NO_RIGHT_TEXT,
    SANCTION_SEVERITY,
    CheckRow,
    ConditionCheck,
    check_member,
    condition_failures,
    conditions_of,
    conditions_text,
    day_text,
    election_checks,
    failure_text,
    person_of,
    profile_of,
    require_conditions,
)
from xuanju.vetting.export import slate_document
from xuanju.vetting.structure import (
    AGE_BAND_NAMES,
    HAN,
    SLATE_STAGES,
    TARGET_NAMES,
    TeamStructure,
    at_risk_text,
    committee_structure,
    election_day,
    gap_text,
    outgoing_members,
    slate_people,
    slate_structure,
    structure_person,
    target_label,
    target_rows,
    targets_of,
    unreachable_text,
)

__all__ = [
    "AGE_BAND_NAMES",
    "BAR_GAP",
    "BAR_HEIGHT",
    "CHART_WIDTH",
    "CHECKS",
    "CONDITIONS_OPEN",
    "HAN",
    "INCOMPETENT_CONCERN_DENOMINATOR",
    "INCOMPETENT_CONCERN_NUMERATOR",
    "LABEL_WIDTH",
    "LEVEL_NAME",
    "MINIMUM_NAME",
    "NO_RIGHT_TEXT",
    "RATINGS",
    "SANCTION_SEVERITY",
    "SLATE_STAGES",
    "TARGET_NAMES",
    "VETTING_OPEN",
    "CheckRow",
    "ConditionCheck",
    "TeamStructure",
    "assessment_problem",
    "assessment_rows",
    "at_risk_text",
    "bar_chart",
    "check_member",
    "committee_structure",
    "condition_failures",
    "conditions_of",
    "conditions_text",
    "day_text",
    "edits_profile",
    "election_checks",
    "election_day",
    "failure_text",
    "gap_text",
    "incompetent_concern",
    "outgoing_members",
    "person_of",
    "profile_of",
    "record_of",
    "require_conditions",
    "sees_vetting",
    "sets_conditions",
    "slate_document",
    "slate_people",
    "slate_structure",
    "structure_charts",
    "structure_person",
    "target_label",
    "target_rows",
    "targets_of",
    "unreachable_text",
    "vetting_candidates",
    "vetting_summary",
]
