from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def seed_units(apps=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The standard units outcomes are counted in (choices.UNITS), so every county's totals add up; on
    every migrate, so a database built without migrations (the test suite's) has them too, and after a
    flush (whose signal carries no app registry)."""
    from .choices import UNITS

    Unit = (apps or global_apps).get_model("projects", "Unit")
    for order, (code, name, measures) in enumerate(UNITS, 1):
        Unit.objects.using(using).update_or_create(
            code=code, defaults={"name": name, "measures": measures, "sort_order": order}
        )


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    label = "projects"
    verbose_name = "项目"

    def ready(self) -> None:
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, rules  # noqa: F401  (registers the rules)

        ACTION_LABELS.update(audit_labels.LABELS)
        post_migrate.connect(seed_units, sender=self)
