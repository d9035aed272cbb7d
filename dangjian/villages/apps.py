from django.apps import AppConfig


class VillagesConfig(AppConfig):
    name = "dangjian.villages"
    label = "villages"
    verbose_name = "村“两委”与后备干部"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
