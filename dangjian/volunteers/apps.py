from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "dangjian.volunteers"
    label = "volunteers"
    verbose_name = "志愿服务队"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, rules  # noqa: F401  (rules register themselves)

        ACTION_LABELS.update(audit_labels.LABELS)
