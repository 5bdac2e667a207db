"""R-TERM-1: a township's own general branches and branches serve 3 years, not 5.

Earlier versions gave every organization of the township sector 5 years. The term of a current
committee is a value the software derived, not one a user entered: recompute it, with its end, due
date and reminder (an approved delay or advance keeps its approved date).
"""

from __future__ import annotations

from django.db import migrations

from xuanju.rules.terms import term_dates


def fix_terms(apps, schema_editor):  # type: ignore[no-untyped-def]
    Committee = apps.get_model("organizations", "Committee")
    TermAdjustment = apps.get_model("organizations", "TermAdjustment")
    wrong = Committee.objects.filter(
        is_current=True,
        term_years=5,
        organization__sector="township",
        organization__kind__in=["branch", "general_branch"],
    )
    for committee in wrong:
        adjustment = TermAdjustment.objects.filter(committee=committee).order_by("-approved_on", "-id").first()
        approved = adjustment.new_date if adjustment is not None else None
        dates = term_dates(committee.elected_on, 3, approved)
        committee.term_years = 3
        committee.term_end, committee.reelection_due, committee.remind_from = (
            dates.term_end,
            dates.due,
            dates.remind_from,
        )
        committee.save(update_fields=["term_years", "term_end", "reelection_due", "remind_from"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_standing_committee_and_kind_approval")]

    operations = [migrations.RunPython(fix_terms, migrations.RunPython.noop)]
