from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "dangjian.funds"
    label = "funds"
    verbose_name = "专项资金"
