from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "dangjian.scoring"
    label = "scoring"
    verbose_name = "考核评价"

    def ready(self) -> None:
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, indicators, rules  # noqa: F401  (registers rules and computations)

        ACTION_LABELS.update(audit_labels.LABELS)
