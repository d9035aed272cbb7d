from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dangjian.dashboards"
    label = "dashboards"
    verbose_name = "数据看板"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("dashboard")  # every app's dashboard.py registers its panels
