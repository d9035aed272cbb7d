from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员管理"

    def ready(self):
        from . import rules  # noqa: F401  (registers the rules)
