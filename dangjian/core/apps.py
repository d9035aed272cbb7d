from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import filter_bounds, middleware, speedups

        # Every list filter's numbers bounded: a bad query string is a 400, never a 500.
        filter_bounds.install()
        speedups.install()
        user_logged_in.connect(
            middleware.session_refreshed_at_login, dispatch_uid="session_refreshed_at_login"
        )
