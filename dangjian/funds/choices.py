from django.db import models


class Purpose(models.TextChoices):
    """What an earmarked fund is for (seed 000: 用于产业发展、村级组织运转和乡镇干部补贴; awards added)."""

    INDUSTRY = "industry", "产业发展"
    RUNNING = "running", "村级组织运转"
    SUBSIDY = "subsidy", "干部补贴"
    AWARD = "award", "奖励补助"
