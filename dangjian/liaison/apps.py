from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "dangjian.liaison"
    label = "liaison"
    verbose_name = "代表委员联络"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, rules  # noqa: F401  (rules register themselves)

        ACTION_LABELS.update(audit_labels.LABELS)
