from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专/高中"
    JUNIOR = "junior", "初中"
    PRIMARY = "primary", "小学及以下"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


class Standing(models.TextChoices):
    """Whether the member is on the branch's books: normal, suspended (停止党籍) or gone."""

    NORMAL = "normal", "正常"
    SUSPENDED = "suspended", "停止党籍"
    REMOVED = "removed", "除名"
    TRANSFERRED = "transferred", "已转出系统外"
    DECEASED = "deceased", "已去世"


ON_ROLL = (Standing.NORMAL, Standing.SUSPENDED)


class DuesCategory(models.TextChoices):
    WORKING = "working", "在职"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    LOW_INCOME = "low_income", "学生、下岗失业、低保等"
    EXEMPT = "exempt", "困难党员（经批准减免）"


class TransferKind(models.TextChoices):
    INTERNAL = "internal", "系统内转接"
    OUT = "out", "转出到系统外"
    IN = "in", "从系统外转入"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    RECEIVED = "received", "已接收"
    CANCELLED = "cancelled", "已撤回"


class MobileActivityKind(models.TextChoices):
    STUDY = "study", "线上学习"
    MEETING = "meeting", "线上会议"
    DUES = "dues", "流入地交纳党费"
    REPORT = "report", "思想汇报"


AGE_BANDS: dict[str, tuple[int | None, int | None, str]] = {
    "u35": (None, 35, "35岁以下"),
    "35_45": (35, 45, "35—45岁"),
    "45_60": (45, 60, "45—60岁"),
    "60_70": (60, 70, "60—70岁"),
    "70p": (70, None, "70岁及以上"),
}
