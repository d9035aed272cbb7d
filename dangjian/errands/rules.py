"""Rules of the errands app (registered with dangjian.core.rules).

No national text sets how often a township's service centres open: the number is the 安定镇
"55819" practice of seed report 004, so it is local and a county may set its own."""

from dangjian.core.rules import Rule, register

SOURCE_004 = "北京市大兴区安定镇“55819”工作模式（据报告004《安定镇党建工作》）"

HALF_DAYS_PER_MONTH = register(
    Rule(
        code="errands.service_half_days_per_month",
        title="设有便民服务中心的乡镇每月组织职能科室下村服务至少半天数",
        value=5,
        unit="个半天",
        source=SOURCE_004,
        article="统筹设立5个服务中心，每月利用5个半天，8个职能科室下村为群众现场办理便民服务事宜",
        confidence="M",
        scope="local",
        overridable=True,
    )
)

# Platform limits (not rules of the domain): what the forms accept.
PROMISED_DAYS_MAX = 180
SECTIONS_MAX = 20
SECTION_NAME_MAX = 20
SCHEDULE_YEARS = 1  # sessions may be scheduled this many years before or after today
