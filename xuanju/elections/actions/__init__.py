"""Every step of a re-election, each one transaction that checks the rules, changes the records and
appends the audit record. Views authorize and call one action; a refused step raises ActionError
with a Chinese message that says why and cites the rule.

The order of the steps (R-RPT-4: nothing that needs an approval starts before it exists):
plan → request (请示) → reply (批复) → nominations → provisional candidates → review by the upper
level → members' meeting (roll call, procedure, scrutineers, rounds) → first plenary (secretary and
deputies; a branch without a committee elects its secretary at the members' meeting) → report of the
results → approval of the secretary and deputies → the new committee replaces the old.

At a delegates' congress (R-DEL-1, ``Election.form`` congress) the same plan carries the congress's
quota, composition and allocation (R-RPT-1), the congress opens once its delegates are formal
(R-DEL-6) and votes, perhaps after a pre-election (预选), on the committee and the discipline
commission. A unit's election of delegates (``Election.kind`` delegates, R-DEL-5) starts with the
congress plan approved, has its provisional candidates reviewed by the convening organization and
ends when its delegates are elected: they go to the congress's credentials review (R-DEL-6).
The congress app answers for the congress through :mod:`xuanju.elections.hooks`.

The steps live in one module each, as the views are split: :mod:`.plan` (plan, request and the
upper level's reply), :mod:`.candidates`, :mod:`.notices`, :mod:`.meeting`, :mod:`.rounds` and
:mod:`.results`, with what they share in :mod:`.base`. Callers import from this package.
"""

from __future__ import annotations

from xuanju.elections.actions.base import (
    APPROVED_POSTS,
    DISCIPLINE_LEADING_POSTS,
    LEADING_POSTS,
    PLENARIES,
    SEAT_POST,
    VOTING_POSTS,
    candidate_pool,
    contest_done,
)
from xuanju.elections.actions.candidates import (
    nomination_tally,
    record_nomination,
    set_candidate,
    slate_check,
    slate_summary,
    submit_candidates,
)
from xuanju.elections.actions.meeting import (
    adopt_procedure,
    appoint,
    close_roll,
    dismiss,
    exclude_from_entitled,
    mark_present,
    meeting_contests,
    open_meeting,
)
from xuanju.elections.actions.notices import (
    NOTICE_STEP,
    all_posts_filled,
    answer_objection,
    lodge_objection,
    notice_problem,
    notice_report,
    publish_notice,
)
from xuanju.elections.actions.plan import (
    add_discipline_contests,
    approving_organization,
    check_discipline_seats,
    check_plan_sizes,
    decide,
    edit_plan,
    may_hold_congress,
    plan_content,
    start_delegates_election,
    start_election,
    submit_plan,
)
from xuanju.elections.actions.results import submit_results
from xuanju.elections.actions.rounds import (
    REDUCTION_READINGS,
    check_ballot,
    close_blockers,
    close_round,
    confirm_ballot,
    confirm_write_in,
    delete_ballot,
    next_round_plan,
    open_round,
    pre_election_rounds,
    record_ballot,
    reduce_seats,
    set_reduction_reading,
    store_ballot,
)

__all__ = [
    "APPROVED_POSTS",
    "DISCIPLINE_LEADING_POSTS",
    "LEADING_POSTS",
    "NOTICE_STEP",
    "PLENARIES",
    "REDUCTION_READINGS",
    "SEAT_POST",
    "VOTING_POSTS",
    "add_discipline_contests",
    "adopt_procedure",
    "all_posts_filled",
    "answer_objection",
    "appoint",
    "approving_organization",
    "candidate_pool",
    "check_ballot",
    "check_discipline_seats",
    "check_plan_sizes",
    "close_blockers",
    "close_roll",
    "close_round",
    "confirm_ballot",
    "confirm_write_in",
    "contest_done",
    "decide",
    "delete_ballot",
    "dismiss",
    "edit_plan",
    "exclude_from_entitled",
    "lodge_objection",
    "mark_present",
    "may_hold_congress",
    "meeting_contests",
    "next_round_plan",
    "nomination_tally",
    "notice_problem",
    "notice_report",
    "open_meeting",
    "open_round",
    "plan_content",
    "pre_election_rounds",
    "publish_notice",
    "record_ballot",
    "record_nomination",
    "reduce_seats",
    "set_candidate",
    "set_reduction_reading",
    "slate_check",
    "slate_summary",
    "start_delegates_election",
    "start_election",
    "store_ballot",
    "submit_candidates",
    "submit_plan",
    "submit_results",
]
