from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "dangjian.tasks"
    label = "tasks"
    verbose_name = "任务清单与两下两上"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules, weekly, weekly_checks, weekly_rules  # noqa: F401

        ACTION_LABELS.update(audit_labels.LABELS)
        ACTION_LABELS.update(weekly.LABELS)
