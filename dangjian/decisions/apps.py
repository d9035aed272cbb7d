from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "dangjian.decisions"
    label = "decisions"
    verbose_name = "四议两公开"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
