from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
