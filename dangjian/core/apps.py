from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import filter_bounds, speedups

        # Every list filter's numbers bounded: a bad query string is a 400, never a 500.
        filter_bounds.install()
        speedups.install()
