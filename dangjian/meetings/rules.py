"""Rules the meetings app enforces, each with its source (registered with dangjian.core.rules).

The frequencies of branch organisational life are national text (《中国共产党支部工作条例（试行）》,
shared/domain/rules.md §2.1) and cannot be changed by a county. The office's routine meetings and the
station's monthly half-day summary are the practice the seed reports describe (001 老牛湾镇, 002 宜君县):
local, so a county may set its own value (0 switches an obligation off). `OBLIGATIONS` says, for each
frequency rule, which meeting kind satisfies it, per which period, and which orgs owe it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.core.rules import Rule, register
from dangjian.orgs.choices import OrgKind

from .choices import MeetingKind

TIAOLI = "《中国共产党支部工作条例（试行）》（中共中央，2018年10月）"
DANGZHANG = "《中国共产党章程》"
UNVERIFIED = "条文号未核实（shared/domain/rules.md §2.1 列出频次）"
S001 = "偏关县老牛湾镇“143”工作模式：“周小结、月例会、季总结、年盘点”党建工作例会制度（seeds/001）"
S002 = "宜君县“两个半天”工作法：每月月底利用半天时间召开小结会议（seeds/002）"
LOCAL = "本系统设定（各县可按本地做法调整）"

# The period each frequency is counted per; finer periods nest in coarser ones.
PERIOD_ORDER = ("week", "month", "quarter", "year")
PERIOD_UNITS = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}


def _rule(code: str, title: str, value: int, unit: str, source: str, article: str = "", **kw) -> Rule:
    return register(
        Rule(
            code=f"meetings.{code}", title=title, value=value, unit=unit, source=source, article=article, **kw
        )
    )


def _local(code: str, title: str, value: int, unit: str, source: str, confidence: str = "L") -> Rule:
    return _rule(code, title, value, unit, source, confidence=confidence, scope="local", overridable=True)


MEMBER_ASSEMBLY = _rule(
    "member_assembly_per_quarter", "支部党员大会一般每季度召开", 1, "次/季度", TIAOLI, "第十一条"
)
COMMITTEE = _rule(
    "committee_per_month",
    "支部委员会会议一般每月召开（设支部委员会的党支部）",
    1,
    "次/月",
    TIAOLI,
    "第十二条",
)
GROUP = _rule("group_per_month", "党小组会一般每月召开（每个党小组）", 1, "次/月", TIAOLI, "第十三条")
LECTURE = _rule("lecture_per_quarter", "党课每季度至少召开", 1, "次/季度", TIAOLI, UNVERIFIED)
THEME_DAY = _rule("theme_day_per_month", "主题党日每月相对固定1天开展", 1, "次/月", TIAOLI, UNVERIFIED)
ORG_LIFE = _rule(
    "org_life_per_year", "组织生活会一般每年召开（通常在第四季度）", 1, "次/年", TIAOLI, UNVERIFIED
)
APPRAISAL = _rule(
    "appraisal_per_year", "民主评议党员一般每年开展（可结合组织生活会）", 1, "次/年", TIAOLI, UNVERIFIED
)
TALK = _rule("talk_per_year", "谈心谈话每年一般不少于", 1, "次/年", TIAOLI, UNVERIFIED)
COMMITTEE_MIN_FULL = _rule(
    "committee_min_full_members",
    "正式党员达到此数的党支部应设支部委员会（不足则不设，只设书记）",
    7,
    "名正式党员",
    TIAOLI,
    "党支部设置条款，条文号未核实（shared/domain/rules.md §2.2）",
)
OFFICE_WEEKLY = _local("office_weekly_per_week", "乡镇党建办周小结", 1, "次/周", S001)
OFFICE_MONTHLY = _local("office_monthly_per_month", "乡镇党建办月例会", 1, "次/月", S001)
OFFICE_QUARTERLY = _local("office_quarterly_per_quarter", "乡镇党建办季总结", 1, "次/季度", S001)
OFFICE_ANNUAL = _local("office_annual_per_year", "乡镇党建办年盘点", 1, "次/年", S001)
STATION_MONTHLY = _local("station_monthly_per_month", "党建工作站月度半日总结（月底）", 1, "次/月", S002)
WARNING_DAYS = _local("warning_days", "期间结束前多少天提醒尚未召开的会议", 7, "天", LOCAL, confidence="M")
ABSENT_RUNNING = _local(
    "absent_running",
    "党员连续缺席（非请假）已召开会议达此次数时提示",
    3,
    "次",
    "本地预警做法（党章第九条的自行脱党界限为连续六个月，见 meetings.absent_months；"
    "连续3次是提前提醒，不是党章条文）",
    confidence="L",
)
ABSENT_MONTHS = _rule(
    "absent_months",
    "没有正当理由连续不参加党的组织生活即被认为自行脱党的月数",
    6,
    "个月",
    DANGZHANG,
    "第九条",
)

BRANCH_ORGS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})


@dataclass(frozen=True)
class Obligation:
    """A meeting some orgs owe per period. `needs`: "committee" only where the branch has enough full
    members to set up a committee; "groups" once per party group under the branch; "office" only at
    townships that have a 党建办."""

    kind: str
    rule: Rule
    period: str
    org_kinds: frozenset[str]
    needs: str = ""

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def title(self) -> str:
        return MeetingKind(self.kind).label


OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation(MeetingKind.COMMITTEE, COMMITTEE, "month", BRANCH_ORGS, "committee"),
    Obligation(MeetingKind.GROUP, GROUP, "month", BRANCH_ORGS, "groups"),
    Obligation(MeetingKind.THEME_DAY, THEME_DAY, "month", BRANCH_ORGS),
    Obligation(MeetingKind.MEMBER_ASSEMBLY, MEMBER_ASSEMBLY, "quarter", BRANCH_ORGS),
    Obligation(MeetingKind.LECTURE, LECTURE, "quarter", BRANCH_ORGS),
    Obligation(MeetingKind.ORG_LIFE, ORG_LIFE, "year", BRANCH_ORGS),
    Obligation(MeetingKind.APPRAISAL, APPRAISAL, "year", BRANCH_ORGS),
    Obligation(MeetingKind.TALK, TALK, "year", BRANCH_ORGS),
    Obligation(MeetingKind.OFFICE_WEEKLY, OFFICE_WEEKLY, "week", frozenset({OrgKind.TOWNSHIP}), "office"),
    Obligation(MeetingKind.OFFICE_MONTHLY, OFFICE_MONTHLY, "month", frozenset({OrgKind.TOWNSHIP}), "office"),
    Obligation(
        MeetingKind.OFFICE_QUARTERLY, OFFICE_QUARTERLY, "quarter", frozenset({OrgKind.TOWNSHIP}), "office"
    ),
    Obligation(MeetingKind.OFFICE_ANNUAL, OFFICE_ANNUAL, "year", frozenset({OrgKind.TOWNSHIP}), "office"),
    Obligation(MeetingKind.STATION_MONTHLY, STATION_MONTHLY, "month", frozenset({OrgKind.STATION})),
)
BY_CODE: dict[str, Obligation] = {o.code: o for o in OBLIGATIONS}
