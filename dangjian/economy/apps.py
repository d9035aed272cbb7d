from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "dangjian.economy"
    label = "economy"
    verbose_name = "村集体经济"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and the check)

        ACTION_LABELS.update(audit_labels.LABELS)
