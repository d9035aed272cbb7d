from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "dangjian.rectification"
    label = "rectification"
    verbose_name = "软弱涣散村党组织整顿"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules, warning  # noqa: F401  (registers rules, checks, signals)

        ACTION_LABELS.update(audit_labels.LABELS)
