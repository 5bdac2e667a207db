"""Refuse UPDATE and DELETE of audit records in the database itself (R-SUP-4)."""

from django.db import migrations

from xuanju.audit import guard


def forwards(apps, schema_editor):
    guard.install(schema_editor.connection)


def backwards(apps, schema_editor):
    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
