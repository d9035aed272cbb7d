from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员管理"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
