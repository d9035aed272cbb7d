"""Choices of the office app: kinds of post, the steps of staff selection, half or full field days."""

from django.db import models


class PostKind(models.TextChoices):
    DIRECTOR = "director", "主任"
    EXECUTIVE_DEPUTY = "executive_deputy", "常务副主任"
    STAFF = "staff", "工作岗位"


# The office has one director and one executive deputy (001: 党委副书记任主任、组织委员任常务副主任).
SINGLE_KINDS = frozenset({PostKind.DIRECTOR, PostKind.EXECUTIVE_DEPUTY})


class CandidateSource(models.TextChoices):
    """Where the report says the office picks its staff from (001: 选调生、老乡镇、党务工作者)."""

    SELECTED_GRADUATE = "selected_graduate", "选调生"
    VETERAN = "veteran", "老乡镇干部"
    PARTY_WORKER = "party_worker", "党务工作者"
    OTHER = "other", "其他"


class SelectionRoute(models.TextChoices):
    SELF = "self", "个人自荐"
    RECOMMENDED = "recommended", "分管领导推荐"


class SelectionStatus(models.TextChoices):
    PENDING = "pending", "待乡镇审核"
    APPROVED = "approved", "审核通过"
    REFUSED = "refused", "审核未通过"
    APPOINTED = "appointed", "已任用"


class StepKind(models.TextChoices):
    NOMINATION = "nomination", "个人自荐"
    RECOMMENDATION = "recommendation", "分管领导推荐"
    REVIEW = "review", "乡镇审核把关"
    APPOINTMENT = "appointment", "任用到岗"


# Which step the route starts with.
ROUTE_STEP = {SelectionRoute.SELF: StepKind.NOMINATION, SelectionRoute.RECOMMENDED: StepKind.RECOMMENDATION}


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "同意"
    REFUSED = "refused", "不同意"


class VisitLength(models.IntegerChoices):
    """Stored in half days, so a week's total is one integer SUM (a half day counts 0.5)."""

    FULL = 2, "全天"
    HALF = 1, "半天"


class RequestKind(models.TextChoices):
    """What a township asks the county organisation department to approve (人员提级管理, report 000)."""

    APPOINT = "appoint", "任用"
    APPRAISE = "appraise", "考核"
    TRANSFER = "transfer", "调整"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待县委组织部审批"
    APPROVED = "approved", "已批准"
    RETURNED = "returned", "已退回"


class RequestAction(models.TextChoices):
    SUBMIT = "submit", "乡镇报送"
    RESUBMIT = "resubmit", "修改后重新报送"
    APPROVE = "approve", "县委组织部批准"
    RETURN = "return", "县委组织部退回"


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
