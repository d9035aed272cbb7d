from django.db import models


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    MASSES = "masses", "群众"


class ReserveStatus(models.TextChoices):
    IN_POOL = "in_pool", "在库"
    CHOSEN = "chosen", "已选任"
    LEFT = "left", "已出库"


class ActivityKind(models.TextChoices):
    SHADOWING = "shadowing", "跟岗实践"
    MEETING = "meeting", "列席会议"
    GOVERNANCE = "governance", "参与治理"
    OTHER = "other", "其他"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    APPROVED = "approved", "已审核"


class AssessmentGrade(models.TextChoices):
    """Annual assessment grades of village cadres (年度考核等次)."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
