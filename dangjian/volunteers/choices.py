from django.db import models


class TeamKind(models.TextChoices):
    SERVICE = "service", "党员志愿服务队"
    EMERGENCY = "emergency", "党员突击队（应急）"


class CallOutKind(models.TextChoices):
    HOLIDAY = "holiday", "节假日景区疏导值守"
    FLOOD = "flood", "防汛值守"
    PRACTICE = "practice", "新时代文明实践活动"
    EMERGENCY = "emergency", "应急抢险"
    OTHER = "other", "其他志愿服务"
