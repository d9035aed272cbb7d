from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "组织体系"

    def ready(self):
        from . import rules  # noqa: F401  (registers the rules)
