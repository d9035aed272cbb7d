"""The two-down two-up weekly cycle's rules, with their sources (registered with dangjian.core.rules).

Seed report 002 (宜君县) sets the cycle itself — the township issues a list to its stations every week,
stations assign to villages, villages report every week, stations compile and report to the township —
but names no weekday: the report and compile days and the cadence are local practice, not in the
source (confidence L), so every county may set its own (RuleOverride, on the weekly settings page).
Weekdays are numbered as Python does: 0 = Monday … 6 = Sunday."""

from dangjian.core.rules import Rule, register

SOURCE_002 = "宜君县“两下两上”工作机制（据报告002《宜君县全覆盖建立农村党建工作站》）"
ARTICLE_002 = (
    "乡镇（街道）党委每周向工作站下发任务清单，工作站向区域内村党组织安排具体工作，"
    "村党支部每周向工作站汇报工作完成情况，工作站收集整理后向乡镇（街道）党委汇报"
)
LOCAL = "；具体星期几为本地做法，来源未作规定"

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _local(code: str, title: str, value: int, unit: str, article: str) -> Rule:
    return register(
        Rule(
            code=code,
            title=title,
            value=value,
            unit=unit,
            source=SOURCE_002,
            article=article,
            confidence="L",
            scope="local",
            overridable=True,
        )
    )


REPORT_WEEKDAY = _local(
    "tasks.weekly_report_weekday",
    "两下两上：村党组织每周向工作站汇报的期限（星期几，0=周一）",
    3,
    "星期（0=周一，3=周四）",
    ARTICLE_002 + LOCAL,
)
COMPILE_WEEKDAY = _local(
    "tasks.weekly_compile_weekday",
    "两下两上：工作站每周汇总向乡镇汇报的期限（星期几，0=周一）",
    4,
    "星期（0=周一，4=周五）",
    ARTICLE_002 + LOCAL,
)
CADENCE_WEEKS = _local(
    "tasks.weekly_cadence_weeks",
    "两下两上：乡镇下发周任务清单的间隔周数（自该乡镇第一期起算）",
    1,
    "周",
    "报告为“每周”；隔周开展的县可设为2" + LOCAL,
)
DUE_SOON_DAYS = _local(
    "tasks.weekly_due_soon_days",
    "两下两上：距汇报（汇总）期限不超过该天数时提前提醒",
    1,
    "天",
    "平台约定（来源未规定提醒时间）",
)

WEEKLY_RULES = (REPORT_WEEKDAY, COMPILE_WEEKDAY, CADENCE_WEEKS)
CADENCE_MAX = 8  # platform limit on the settings form


def weekday_name(n: int) -> str:
    return WEEKDAYS[int(n) % 7]
