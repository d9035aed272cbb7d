"""The standard units outcomes are counted in (choices.UNITS), so every county's totals add up."""

from django.db import migrations


def seed(apps, schema_editor):
    from dangjian.projects.choices import UNITS

    Unit = apps.get_model("projects", "Unit")
    for order, (code, name, measures) in enumerate(UNITS, 1):
        Unit.objects.update_or_create(code=code, defaults={"name": name, "measures": measures, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
