"""Starting a large campaign, and reminding many late organizations, in the background worker:
planning an election takes some 10–25 ms (start_election, the inherited conditions and targets,
their audit records), so two thousand would hold a web request for half a minute or more
(benchmarks/campaign_board.py --start); a reminder with its audit record takes some 5–10 ms, so a
thousand late ones would hold it for several seconds (benchmarks/campaign_board.py --remind)."""

from __future__ import annotations

import logging
from datetime import date

from django_tasks import task

from xuanju.campaigns import actions
from xuanju.campaigns.models import Campaign, CampaignEntry

logger = logging.getLogger(__name__)

# Up to this many organizations still to start, the request starts them itself and says at once
# which were refused; more go to the worker, which starts them BATCH at a time, each batch its own
# transaction (on SQLite one long write would hold every other writer back).
START_IN_REQUEST = 200
BATCH = 50
# Up to this many late organizations, the request reminds them itself and says at once which
# could not be reminded; more go to the worker, REMIND_BATCH at a time (one transaction each).
REMIND_IN_REQUEST = 100
REMIND_BATCH = 200


@task()
def start_campaign_task(campaign_pk: int, actor: str) -> None:
    """The worker's entry: :func:`xuanju.campaigns.actions.start_campaign` in batches, for the
    account named ``actor``. Starting skips what is started, so a task enqueued twice does the work
    once."""
    campaign = Campaign.objects.filter(pk=campaign_pk).first()
    if campaign is None:
        logger.warning("campaign %s no longer exists", campaign_pk)
        return
    waiting = list(
        CampaignEntry.objects.filter(campaign=campaign, election__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = linked = refused = 0
    for first in range(0, len(waiting), BATCH):
        outcome = actions.start_campaign(actor, campaign, waiting[first : first + BATCH])
        started, linked, refused = (
            started + outcome.started,
            linked + outcome.linked,
            refused + len(outcome.refused),
        )
    logger.info(
        "campaign %s started: %s planned, %s linked, %s refused", campaign_pk, started, linked, refused
    )


@task()
def remind_late_task(campaign_pk: int, actor: str, today: str) -> None:
    """The worker's entry: :func:`xuanju.campaigns.actions.remind_late` in batches, for the account
    named ``actor``, on the day ``today`` (ISO) the department asked. The late ones are read once;
    one reminded today is not reminded twice, so a task enqueued twice reminds each once."""
    campaign = Campaign.objects.filter(pk=campaign_pk).first()
    if campaign is None:
        logger.warning("campaign %s no longer exists", campaign_pk)
        return
    day = date.fromisoformat(today)
    late = actions.late_rows(campaign, day)
    sent = already = skipped = 0
    for first in range(0, len(late), REMIND_BATCH):
        outcome = actions.remind_late(actor, campaign, day, late[first : first + REMIND_BATCH])
        sent, already, skipped = (
            sent + outcome.sent,
            already + outcome.already,
            skipped + len(outcome.skipped),
        )
    logger.info(
        "campaign %s reminders: %s sent, %s already today, %s skipped", campaign_pk, sent, already, skipped
    )
