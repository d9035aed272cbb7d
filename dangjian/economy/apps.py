from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "dangjian.economy"
    label = "economy"
    verbose_name = "村集体经济"
