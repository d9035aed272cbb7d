from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "dangjian.office"
    label = "office"
    verbose_name = "党建办岗位与联系"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
