from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "dangjian.scoring"
    label = "scoring"
    verbose_name = "考核评价"
