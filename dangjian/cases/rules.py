"""Rules of the case engine, each with its source (registered with dangjian.core.rules).

Deadlines and cadences are per county (RuleOverride) and, where a category sets its own, per
category (Category.answer_days/solve_days/deadline_days), looked up in that order by services."""

from dangjian.core.rules import Rule, register

SOURCE_000 = "五寨县“网格吹哨、部门报到”机制（据报告000《五寨县乡镇党建办工作实践》）"
SOURCE_002 = "宜君县党建工作站问题台账制度（据报告002《宜君县全覆盖建立农村党建工作站》）"
PLATFORM = "平台约定（来源报告未规定，县可自行设定）"


def _local(code: str, title: str, value: int, unit: str, source: str, article: str, conf: str = "M") -> Rule:
    return register(
        Rule(
            code=code,
            title=title,
            value=value,
            unit=unit,
            source=source,
            article=article,
            confidence=conf,
            scope="local",
            overridable=True,
        )
    )


SUPERVISION_DAYS = _local(
    "cases.problem.supervision_days",
    "问题台账：未销号问题每隔不超过该天数督办一次",
    15,
    "天",
    SOURCE_002,
    "建立问题台账制度：农村党建工作站每15天对存在问题督办一次",
)
PROBLEM_DEADLINE_DAYS = _local(
    "cases.problem.deadline_days",
    "问题台账：未指定时限时的默认整改时限",
    30,
    "天",
    PLATFORM,
    "默认值，立项时可另定",
    "L",
)
WHISTLE_ANSWER_DAYS = _local(
    "cases.whistle.answer_days",
    "网格吹哨：部门自吹哨之日起报到响应时限",
    3,
    "天",
    SOURCE_000,
    "砚城镇居民：“问题3天就有回应”（实践数字，非规定；各县可自定）",
)
WHISTLE_SOLVE_DAYS = _local(
    "cases.whistle.solve_days",
    "网格吹哨：自吹哨之日起办结时限",
    7,
    "天",
    SOURCE_000,
    "砚城镇居民：“1周内解决”（实践数字，非规定；各县可自定）",
)
ESCALATION_INTERVAL_DAYS = _local(
    "cases.escalation_interval_days",
    "逾期未办结的案件每逾期该天数上报上一级（村→镇→县）",
    7,
    "天",
    PLATFORM,
    "“小事不出村、大事不出镇”：逾期即上报，之后每隔该天数再上报一级",
    "L",
)
WARN_DAYS = _local(
    "cases.warn_days",
    "办理时限前该天数起列入即将到期提醒",
    2,
    "天",
    PLATFORM,
    "提醒窗口",
    "L",
)
FILE_MAX_MB = _local(
    "cases.file_max_mb",
    "案件佐证材料单个文件大小上限",
    10,
    "MB",
    PLATFORM,
    "只收图片（JPG、PNG）和文档（PDF、Word、Excel）",
    "L",
)
ERRAND_PROMISE = register(
    Rule(
        code="cases.errand.promised_days",
        title="群众代办事项按目录公布的承诺时限（工作日）办结",
        value="按目录",
        unit="工作日",
        source="宜君县党建工作站“首问负责、限时办结”（据报告002）；安定镇“三大类19项”便民服务（据报告004）",
        article="各事项的承诺时限在乡镇代办事项目录中逐项公布",
        confidence="M",
        scope="local",
    )
)
