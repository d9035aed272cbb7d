from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "dangjian.development"
    label = "development"
    verbose_name = "发展党员"

    def ready(self):
        from . import rules  # noqa: F401  (registers the rules)
