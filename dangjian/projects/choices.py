"""Choices of the projects app, and the standard units outcomes are counted in (seeded as data)."""

from __future__ import annotations

from django.db import models


class ProjectKind(models.TextChoices):
    LIVELIHOOD = "livelihood", "民生实事"
    INDUSTRY = "industry", "产业发展"
    INFRASTRUCTURE = "infrastructure", "基础设施"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    UNDER_WAY = "under_way", "实施中"
    COMPLETED = "completed", "已完成"
    SUSPENDED = "suspended", "已暂停"


# Where a status may move: a completed project stays completed (a new phase is a new project).
NEXT: dict[str, tuple[str, ...]] = {
    ProjectStatus.PLANNED: (ProjectStatus.UNDER_WAY, ProjectStatus.SUSPENDED),
    ProjectStatus.UNDER_WAY: (ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED),
    ProjectStatus.SUSPENDED: (ProjectStatus.UNDER_WAY, ProjectStatus.PLANNED),
    ProjectStatus.COMPLETED: (),
}


class SourceKind(models.TextChoices):
    SUPERIOR = "superior", "上级补助资金"
    COUNTY = "county", "县级专项资金"
    TOWNSHIP = "township", "乡镇配套资金"
    VILLAGE = "village", "村集体自筹"
    PAIRED = "paired", "结对帮扶单位"
    DONATION = "donation", "社会捐赠"
    OTHER = "other", "其他"


class ProgressMode(models.TextChoices):
    MILESTONES = "milestones", "按节点完成情况计算"
    REPORTED = "reported", "按填报进度"


class FileKind(models.TextChoices):
    PHOTO = "photo", "现场照片"
    DOCUMENT = "document", "文件资料"


# (code, name, what it counts): the unit table's rows, seeded on every migrate (apps.seed_units);
# shared by every county.
UNITS: tuple[tuple[str, str, str], ...] = (
    ("mu", "亩", "面积（灌溉、种植、流转）"),
    ("m", "米", "长度（水渠、道路、管网）"),
    ("km", "公里", "长度（道路）"),
    ("m2", "平方米", "面积（路面、场地、房屋）"),
    ("household", "户", "受益户数"),
    ("person", "人", "受益人数"),
    ("space", "个", "车位、摊位、设施个数"),
    ("jin", "斤", "农产品销量"),
    ("yuan", "元", "增收金额"),
    ("item", "件", "办理事项件数"),
)
