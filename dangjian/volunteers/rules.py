"""The rules of volunteer teams and call-outs, with their sources."""

from dangjian.core.rules import Rule, register

REGULATION = "《志愿服务条例》（国务院令第685号，2017）"

HOURS_RECORDED = register(
    Rule(
        code="volunteers.hours_recorded",
        title="如实记录志愿服务时间",
        value="按出动逐人登记到岗与服务时长",
        unit="",
        source=REGULATION,
        article="第十九条：志愿服务组织安排志愿者参与志愿服务活动，应当如实记录志愿者个人基本信息、"
        "志愿服务情况、培训情况、表彰奖励情况、评价情况等信息",
    )
)
MAX_HOURS_PER_DAY = register(
    Rule(
        code="volunteers.max_hours_per_day",
        title="单人每出动日可登记的服务时长上限",
        value=12,
        unit="小时/日",
        source="本平台默认值（防止误录，如把“8”录成“80”）；县可按本地值守制度调整",
        article="一次出动按其跨越的日历天数计，每人每天至多登记此时长，且不超过出动起止时长",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
