"""Rules of the organisation tree. Station size is local practice, so each county may set its own."""

from dangjian.core.rules import Rule, register

STATION_MIN_BRANCHES = register(
    Rule(
        code="orgs.station_min_branches",
        title="每个党建工作站至少管辖的村级党组织数",
        value=3,
        unit="个",
        source="宜君县《党建工作站建设实施方案》（shared/seeds/002）：每个片区下辖3到7个村级党组织",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
STATION_MAX_BRANCHES = register(
    Rule(
        code="orgs.station_max_branches",
        title="每个党建工作站至多管辖的村级党组织数",
        value=7,
        unit="个",
        source="宜君县《党建工作站建设实施方案》（shared/seeds/002）：每个片区下辖3到7个村级党组织",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
NAME_MAX_LENGTH = register(
    Rule(
        code="orgs.name_max_length",
        title="组织名称最大长度",
        value=60,
        unit="字",
        source="平台约定（组织全称一般不超过60字）",
        confidence="L",
        scope="local",
    )
)
