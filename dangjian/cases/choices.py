"""Choices of the case engine. States and transitions are per kind, in kinds.py."""

from django.db import models


class CaseKind(models.TextChoices):
    PROBLEM = "problem", "问题台账"
    ERRAND = "errand", "群众代办"
    WHISTLE = "whistle", "网格吹哨"
    # The value fits the 10-character kind column; the glossary's name is `rectification`.
    RECTIFICATION = "rectify", "整顿事项"


class Source(models.TextChoices):
    COUNTY_INSPECTION = "county_inspection", "县级督查"
    STATION_INSPECTION = "station_inspection", "工作站督查"
    FIELD_VISIT = "field_visit", "走访发现"
    RESEARCH = "research", "调研发现"
    RECTIFICATION = "rectification", "整改任务"
    RESIDENTS = "residents", "群众反映"
    DIARY = "diary", "民情日记"
    WINDOW = "window", "窗口受理"
    GRID = "grid", "网格上报"
    OTHER = "other", "其他"


class Priority(models.TextChoices):
    NORMAL = "normal", "一般"
    HIGH = "high", "紧急"


class Level(models.IntegerChoices):
    """Where a case is handled: 小事不出村、大事不出镇, the rest goes to the county."""

    VILLAGE = 1, "村级"
    TOWNSHIP = 2, "镇级"
    COUNTY = 3, "县级"


class EventType(models.TextChoices):
    OPEN = "open", "立项"
    TRANSITION = "transition", "办理"
    SUPERVISE = "supervise", "督办"
    NOTE = "note", "备注"
    HANDOVER = "handover", "移交"
    ROUTE = "route", "派单"
    DEPT_ACCEPT = "dept_accept", "部门报到"
    DEPT_DECLINE = "dept_decline", "部门退回"
    ESCALATE = "escalate", "上报升级"
    REOPEN = "reopen", "重新打开"
    PUBLISH = "publish", "公开"
    UNPUBLISH = "unpublish", "撤回公开"
    SATISFACTION = "satisfaction", "满意度回访"
    EDIT = "edit", "修改"


class RouteState(models.TextChoices):
    PENDING = "pending", "待报到"
    ACCEPTED = "accepted", "已报到"
    DECLINED = "declined", "已退回"


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, "满意"
    BASIC = 2, "基本满意"
    UNSATISFIED = 1, "不满意"
