from django.apps import AppConfig


class ErrandsConfig(AppConfig):
    name = "dangjian.errands"
    label = "errands"
    verbose_name = "群众代办事项目录、便民服务与民情日记"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
