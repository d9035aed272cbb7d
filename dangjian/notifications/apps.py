from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dangjian.notifications"
    label = "notifications"
    verbose_name = "消息与提醒"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
