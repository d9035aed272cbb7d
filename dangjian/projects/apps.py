from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "dangjian.projects"
    label = "projects"
    verbose_name = "项目"

    def ready(self) -> None:
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, rules  # noqa: F401  (registers the rules)

        ACTION_LABELS.update(audit_labels.LABELS)
