from django.db import models


class MeetingKind(models.TextChoices):
    # 三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话: the branch's organisational life (支部工作条例)
    MEMBER_ASSEMBLY = "member_assembly", "支部党员大会"
    COMMITTEE = "committee", "支部委员会会议"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    ORG_LIFE = "org_life", "组织生活会"
    APPRAISAL = "appraisal", "民主评议党员"
    TALK = "talk", "谈心谈话"
    # the township office's routine meetings (工作例会) and the station's monthly half-day summary
    OFFICE_WEEKLY = "office_weekly", "党建办周小结"
    OFFICE_MONTHLY = "office_monthly", "党建办月例会"
    OFFICE_QUARTERLY = "office_quarterly", "党建办季总结"
    OFFICE_ANNUAL = "office_annual", "党建办年盘点"
    STATION_MONTHLY = "station_monthly", "工作站月度半日总结"
    CONSULTATION = "consultation", "工作会商"
    # village self-government meetings, used by the four-deliberations decisions
    TWO_COMMITTEES = "two_committees", "村“两委”会议"
    REPRESENTATIVES = "representatives", "村民代表会议"
    VILLAGERS = "villagers", "村民会议"


BRANCH_KINDS = frozenset(
    {
        MeetingKind.MEMBER_ASSEMBLY,
        MeetingKind.COMMITTEE,
        MeetingKind.GROUP,
        MeetingKind.LECTURE,
        MeetingKind.THEME_DAY,
        MeetingKind.ORG_LIFE,
        MeetingKind.APPRAISAL,
        MeetingKind.TALK,
    }
)
OFFICE_KINDS = frozenset(
    {
        MeetingKind.OFFICE_WEEKLY,
        MeetingKind.OFFICE_MONTHLY,
        MeetingKind.OFFICE_QUARTERLY,
        MeetingKind.OFFICE_ANNUAL,
        MeetingKind.CONSULTATION,
    }
)
STATION_KINDS = frozenset({MeetingKind.STATION_MONTHLY, MeetingKind.CONSULTATION})
VILLAGE_KINDS = frozenset({MeetingKind.TWO_COMMITTEES, MeetingKind.REPRESENTATIVES, MeetingKind.VILLAGERS})

# Which org kinds hold which meetings; a theme day at a township is refused.
KINDS_BY_ORG_KIND: dict[str, frozenset[str]] = {
    "township": OFFICE_KINDS,
    "station": STATION_KINDS,
    "joint_branch": BRANCH_KINDS | {MeetingKind.CONSULTATION},
    "branch": BRANCH_KINDS | VILLAGE_KINDS,
    "community": BRANCH_KINDS | VILLAGE_KINDS,
    "group": frozenset({MeetingKind.GROUP, MeetingKind.TALK}),
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class Attendance(models.TextChoices):
    EXPECTED = "expected", "未登记"
    PRESENT = "present", "出席"
    ABSENT = "absent", "缺席"
    EXCUSED = "excused", "请假"


class SignInMethod(models.TextChoices):
    CODE = "code", "签到码"
    QR = "qr", "扫码"
    MANUAL = "manual", "记录人登记"
    ONLINE = "online", "线上参会"


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class FileKind(models.TextChoices):
    PHOTO = "photo", "照片"
    MINUTES = "minutes", "会议记录扫描件"
    OTHER = "other", "其他材料"
