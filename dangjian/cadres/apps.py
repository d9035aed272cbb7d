from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "dangjian.cadres"
    label = "cadres"
    verbose_name = "后备干部与村干部报酬"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels

        ACTION_LABELS.update(audit_labels.LABELS)
