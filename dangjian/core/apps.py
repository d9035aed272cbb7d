from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from .filter_bounds import install

        install()  # every list filter's numbers bounded: a bad query string is a 400, never a 500
