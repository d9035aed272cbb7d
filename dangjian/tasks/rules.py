"""The rules of monthly task lists, with their sources (the weekly cycle's are in weekly_rules.py).

Neither number is in any source text (rules.md §7: no rule text found for task lists of the township
office or the stations): both are platform defaults of local practice (confidence L) that each county may
set for itself (RuleOverride)."""

from dangjian.core.rules import Rule, register

PLATFORM = "平台约定（来源报告未规定，县可自行设定）"
SOURCE_000 = "五寨县乡镇党建办月度任务清单（据报告000《五寨县乡镇党建办工作实践》）"


def _local(code: str, title: str, value: int, unit: str, source: str, article: str) -> Rule:
    return register(
        Rule(
            code=code,
            title=title,
            value=value,
            unit=unit,
            source=source,
            article=article,
            confidence="L",
            scope="local",
            overridable=True,
        )
    )


REPORT_FILE_MAX_MB = _local(
    "tasks.report_file_max_mb",
    "任务报告附件单个文件大小上限",
    10,
    "MB",
    PLATFORM,
    "只收图片（JPG、PNG）和文档（PDF、Word、Excel），与案件佐证材料一致",
)
DUE_SOON_DAYS = _local(
    "tasks.due_soon_days",
    "任务完成期限前该天数起列入即将到期提醒",
    3,
    "天",
    f"{SOURCE_000}；{PLATFORM}",
    "月度任务按期完成、按期报告；提前提醒的天数为平台默认值（地方做法，可按县调整）",
)
TASK_DUE = register(
    Rule(
        code="tasks.assignment_due",
        title="承办单位在任务下达时确定的完成期限内完成并报告",
        value="按任务",
        unit="",
        source=SOURCE_000,
        article="乡镇党建办按月下达任务清单，明确完成时限，逐项对账销号（期限由下达单位逐项确定）",
        confidence="M",
        scope="local",
    )
)
