"""Rules the stations app enforces, each with its source (registered with dangjian.core.rules).

No national text governs rural party-building work stations (shared/domain/rules.md §7): every
number here is the 宜君县 practice of seed report 002, so each is local and a county may set its own."""

from dangjian.core.rules import Rule, register

SOURCE_002 = "宜君县《党建工作站建设实施方案》（据报告002《宜君县全覆盖建立农村党建工作站》）"


def _local(code: str, title: str, value: int, unit: str, article: str, confidence: str = "M") -> Rule:
    return register(
        Rule(
            code=code,
            title=title,
            value=value,
            unit=unit,
            source=SOURCE_002,
            article=article,
            confidence=confidence,
            scope="local",
            overridable=True,
        )
    )


STAFF = "“六个到位”之人员到位"
CHIEFS = _local("stations.chiefs", "每个工作站设站长人数", 1, "名", STAFF)
DEPUTIES_MIN = _local("stations.deputies_min", "每个工作站副站长至少", 1, "名", STAFF)
DEPUTIES_MAX = _local("stations.deputies_max", "每个工作站副站长至多", 2, "名", STAFF)
WORKERS_MIN = _local("stations.workers_min", "每个工作站专职党务工作者至少", 1, "名", STAFF)
WORKERS_MAX = _local("stations.workers_max", "每个工作站专职党务工作者至多", 2, "名", STAFF)
INSPECTIONS_PER_HALF_MONTH = _local(
    "stations.inspections_per_half_month",
    "工作站每半月（1–15日、16日–月末）对所辖每个村党组织至少督查讲评次数",
    1,
    "次",
    "建立督查协调制度：对区域内基层党建工作情况每两周督查讲评1次",
)
HALF_DAYS_PER_WEEK = _local(
    "stations.service_half_days_per_week",
    "工作站每周（周一至周日）集中便民服务至少半天数",
    1,
    "个半天",
    "“两个半天”工作法：每个星期的“集中便民日”用半天时间开展工作",
)
RESEARCH_ROUNDS_PER_YEAR = _local(
    "stations.research_rounds_per_year",
    "每个工作站每年组织开展集中调研不少于",
    2,
    "次",
    "建立调查研究制度：每个工作站每年组织开展集中调研不少于2次",
    confidence="H",
)
RESEARCH_WARN_MONTH = _local(
    "stations.research_warn_month",
    "自该月起，当年集中调研仍不足规定次数的工作站列入即将到期提醒",
    10,
    "月",
    "平台约定：第四季度起提醒（报告未规定提醒时间）",
    confidence="L",
)

STAFF_RULES = (CHIEFS, DEPUTIES_MIN, DEPUTIES_MAX, WORKERS_MIN, WORKERS_MAX)

# Research reports: what the upload accepts (a platform limit, not a rule of the domain).
REPORT_MAX_MB = 10
REPORT_EXTENSIONS = (".pdf", ".docx")
EVIDENCE_EXTENSIONS = (*REPORT_EXTENSIONS, ".jpg", ".jpeg", ".png")
