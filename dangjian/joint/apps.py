from django.apps import AppConfig


class JointConfig(AppConfig):
    name = "dangjian.joint"
    label = "joint"
    verbose_name = "联村党总支"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels

        ACTION_LABELS.update(audit_labels.LABELS)
