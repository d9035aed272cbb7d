from django.db import models


class PostKind(models.TextChoices):
    """由镇域领导班子成员担任党总支书记，25名包村科长和33名村党支部书记分别担任副书记和委员 (004).
    委员 are the villages' branch secretaries, read from the villages app rather than stored twice."""

    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"


class Power(models.TextChoices):
    """The seven powers 安定镇 gave its joint branches (004), in the report's order."""

    APPRAISAL = "appraisal", "干部考核评议权"
    TEAM_ADJUSTMENT = "team_adjustment", "村级班子调整建议权"
    FIRST_REVIEW = "first_review", "重要事务初审权"
    SUPERVISION = "supervision", "村务监督检查权"
    EMERGENCY = "emergency", "紧急情况处置权"
    GUIDANCE = "guidance", "组织建设指导权"
    PRE_REVIEW = "pre_review", "党员发展预审权"
