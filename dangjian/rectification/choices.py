"""Choices of the rectification app, and the 10 national situations (data with their source)."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    CHECKING = "checking", "预警排查中"
    CLEARED = "cleared", "排查未认定"
    IDENTIFIED = "identified", "已认定"
    RECTIFYING = "rectifying", "整顿中"
    CONSOLIDATING = "consolidating", "巩固提升"
    CLOSED = "closed", "复查通过"


# The order a case moves in (a failed acceptance stays 整顿中, a failed re-check returns to it).
NEXT: dict[str, tuple[str, ...]] = {
    CaseStatus.CHECKING: (CaseStatus.IDENTIFIED, CaseStatus.CLEARED),
    CaseStatus.IDENTIFIED: (CaseStatus.RECTIFYING,),
    CaseStatus.RECTIFYING: (CaseStatus.CONSOLIDATING, CaseStatus.RECTIFYING),
    CaseStatus.CONSOLIDATING: (CaseStatus.CLOSED, CaseStatus.RECTIFYING),
}
ACTIVE = (CaseStatus.CHECKING, CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING, CaseStatus.CONSOLIDATING)


class SupportKind(models.TextChoices):
    COUNTY_LEADER = "county_leader", "县级领导包联"
    TOWNSHIP_LEADER = "township_leader", "乡镇领导包村"
    FIRST_SECRETARY = "first_secretary", "第一书记（驻村工作组）"
    PAIRED_UNIT = "paired_unit", "结对帮扶单位（先进村）"


class VisitItemKind(models.TextChoices):
    VISIT = "visit", "必访"
    ASK = "ask", "必问"


class Source(models.TextChoices):
    WARNING = "warning", "预警信号"
    SCREENING = "screening", "年度排查倒排"
    REPORT = "report", "乡镇或群众反映"


NATIONAL_SOURCE = (
    "中组部 2014《关于在第二批教育实践活动中整顿软弱涣散基层党组织的通知》“10类界定”"
    "（党内统计表“软弱涣散基层党组织主要类型”）"
)
NATIONAL_SITUATIONS: tuple[tuple[str, str], ...] = (
    ("N1", "党组织班子配备不齐、书记长期缺职、工作处于停滞状态"),
    ("N2", "党组织书记不胜任现职、工作不在状态、严重影响班子整体战斗力"),
    ("N3", "班子不团结、内耗严重、工作不能正常开展"),
    ("N4", "组织制度形同虚设、不开展党组织活动"),
    ("N5", "换届选举拉票贿选问题突出"),
    ("N6", "宗族宗教和黑恶势力干扰渗透严重"),
    ("N7", "村务(居务)财务公开和民主管理混乱"),
    ("N8", "社会治安问题和信访矛盾纠纷集中"),
    ("N9", "无固定办公活动场所及便民服务设施"),
    ("N10", "党组织服务意识差、服务能力弱、群众意见大"),
)
