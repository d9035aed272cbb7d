from django.db import models


class Level(models.TextChoices):
    """Whom an indicator scores (一定二考三有 applies to branches, stations, townships and their staff)."""

    BRANCH = "branch", "村（社区）党组织"
    STATION = "station", "党建工作站"
    TOWNSHIP = "township", "乡镇党委"
    STAFF = "staff", "党建办工作人员"
    DEPARTMENT = "department", "县直部门"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "月度"
    ANNUAL = "annual", "年度"


class Method(models.TextChoices):
    COMPUTED = "computed", "系统计算"
    MANUAL = "manual", "人工评分（附依据）"


class Rollup(models.TextChoices):
    """How a parent's score is made from its children's (chosen per county)."""

    WEIGHTED = "weighted", "子单位按所辖村数加权平均"
    AVERAGE = "average", "子单位简单平均"
    OWN_PLUS = "own_plus", "本级得分＋子单位平均"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "考评中"
    CLOSED = "closed", "已定结果"


class AwardKind(models.TextChoices):
    TWO_EXCELLENT = "two_excellent", "两优一先"
    EXCELLENT_GRADE = "excellent_grade", "年度考核优秀等次"
    MODEL_WORKER = "model_worker", "优秀党务工作者"
    MODEL_STATION = "model_station", "党建示范站"
    PENALTY = "penalty", "通报批评/约谈"


class Nature(models.TextChoices):
    REWARD = "reward", "奖励"
    PENALTY = "penalty", "惩戒"


# Ranked levels: the org kinds each level covers.
LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    Level.BRANCH: ("branch", "community"),
    Level.STATION: ("station", "joint_branch"),
    Level.TOWNSHIP: ("township",),
    Level.STAFF: ("township",),
}
RANKED = (Level.TOWNSHIP, Level.STATION, Level.BRANCH)
