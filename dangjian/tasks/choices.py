from django.db import models


class ListKind(models.TextChoices):
    MONTHLY = "monthly", "月度任务清单"
    WEEKLY = "weekly", "周任务清单（两下两上）"


class TargetKind(models.TextChoices):
    NUMBER = "number", "数量指标"
    CHECKLIST = "checklist", "清单事项"


class AssignmentState(models.TextChoices):
    PENDING = "pending", "未报告"
    REPORTED = "reported", "已报告"
    DONE = "done", "已完成"


class CompilationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已上报"
