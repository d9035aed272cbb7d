from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "dangjian.stations"
    label = "stations"
    verbose_name = "党建工作站"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
