"""The dashboards' settings that are practice rather than policy: how often the big screen refreshes and
how many months a trend shows. No national text sets them; they are the platform's own choices, listed on
/rules with that said."""

from dangjian.core.rules import Rule, register

PLATFORM = "本平台约定（无上级文件规定，可按县里需要调整）"

SCREEN_REFRESH_SECONDS = register(
    Rule(
        code="dashboards.screen_refresh",
        title="数据大屏自动刷新间隔",
        value=60,
        unit="秒",
        source=PLATFORM,
        article="大屏每隔该秒数重新读取各图表数据，不重新加载页面",
        confidence="L",
        scope="local",
    )
)
TREND_MONTHS = register(
    Rule(
        code="dashboards.trend_months",
        title="趋势图显示月数",
        value=6,
        unit="个月",
        source=PLATFORM,
        article="趋势图显示所选月份及此前共若干个月",
        confidence="L",
        scope="local",
    )
)
