"""Unnumbered ballot sheets become the default for new meetings and rounds; every meeting and round
made before keeps the serials its sheets were printed with (the data default True, then False)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("elections", "0009_by_election")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="numbered_sheets",
            field=models.BooleanField(default=True, verbose_name="选票印编号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="round",
            name="numbered_sheets",
            field=models.BooleanField(default=True, verbose_name="选票印编号"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="meeting",
            name="numbered_sheets",
            field=models.BooleanField(
                default=False,
                help_text="勾选：每张选票印顺序编号，按编号核对；不勾选（默认）：选票不编号，每张完全相同，按张数核对",
                verbose_name="选票印编号",
            ),
        ),
        migrations.AlterField(
            model_name="round",
            name="numbered_sheets",
            field=models.BooleanField(default=False, verbose_name="选票印编号"),
        ),
    ]
