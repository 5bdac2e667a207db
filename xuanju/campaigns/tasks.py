"""Starting a large campaign in the background worker: planning an election takes some 10–25 ms
(start_election, the inherited conditions and targets, their audit records), so two thousand would
hold a web request for half a minute or more (benchmarks/campaign_board.py --start)."""

from __future__ import annotations

import logging

from django_tasks import task

from xuanju.campaigns import actions
from xuanju.campaigns.models import Campaign

logger = logging.getLogger(__name__)

# Up to this many organizations still to start, the request starts them itself and says at once
# which were refused; more go to the worker.
START_IN_REQUEST = 200


@task()
def start_campaign_task(campaign_pk: int, actor: str) -> None:
    """The worker's entry: :func:`xuanju.campaigns.actions.start_campaign`, for the account named
    ``actor``. Starting again skips what is started, so a task enqueued twice does the work once."""
    campaign = Campaign.objects.filter(pk=campaign_pk).first()
    if campaign is None:
        logger.warning("campaign %s no longer exists", campaign_pk)
        return
    outcome = actions.start_campaign(actor, campaign)
    logger.info(
        "campaign %s started: %s planned, %s linked, %s refused",
        campaign_pk,
        outcome.started,
        outcome.linked,
        len(outcome.refused),
    )
