"""The standard units outcomes are counted in (choices.UNITS), so every county's totals add up."""

from django.db import migrations


def seed(apps, schema_editor):
    from dangjian.projects.apps import seed_units

    seed_units(apps, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
