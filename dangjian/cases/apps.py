from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "dangjian.cases"
    label = "cases"
    verbose_name = "问题台账、群众代办与网格吹哨"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
