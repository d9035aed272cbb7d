"""Collective-income bands, with their sources. The thresholds are common provincial practice for
eliminating 空壳村 (no income) and 薄弱村 (under 5万元 a year); the wording differs by province, so they are
marked unconfirmed (L) and kept in one place."""

from dangjian.core.rules import Rule, register

PRACTICE = (
    "各省“消除村级集体经济空壳村、薄弱村”工作通行口径：无经营性收入为空壳村，年收入5万元以下为薄弱村"
    "（shared/domain/rules.md §4.1 列“无集体经济收入”为软弱涣散增补情形）"
)

NO_INCOME = register(
    Rule(
        code="economy.no_income",
        title="村集体经济年收入为0或未登记（空壳村）",
        value=0,
        unit="元",
        source=PRACTICE,
        article="年度村集体经济收入为0；未登记的按无收入提示核实",
        confidence="L",
        scope="local",
    )
)
WEAK = register(
    Rule(
        code="economy.weak_below",
        title="薄弱村：村集体经济年收入低于该值",
        value=50000,
        unit="元",
        source=PRACTICE,
        article="年收入5万元以下（恰好5万元不算薄弱村）",
        confidence="L",
        scope="local",
    )
)
BAND_EDGES = register(
    Rule(
        code="economy.band_edges",
        title="收入分档（元）：5万、10万、50万、100万",
        value=[50000, 100000, 500000, 1000000],
        unit="元",
        source=PRACTICE,
        article="分档下限含本数（10万元计入“10万—50万元”档）",
        confidence="L",
        scope="local",
    )
)
EXPIRING_DAYS = register(
    Rule(
        code="economy.contract_expiring_days",
        title="集体资产合同即将到期：终止日期在今后该天数以内",
        value=90,
        unit="天",
        source="平台自定（提前一个季度提醒续签或重新发包，留出“四议两公开”的时间）",
        article="今天至今天+90天（含两端）终止的合同标为即将到期",
        confidence="L",
        scope="local",
    )
)
PRORATE = register(
    Rule(
        code="economy.contract_prorate",
        title="合同当年应收 = 年金额 × 当年计入月数 ÷ 12",
        value=12,
        unit="月",
        source="平台自定（按月折算，与按年约定金额的承包、租赁合同一致）",
        article="某月1日在合同起止日期内（含两端）即计入该月；因此满12个月的合同跨年时两年合计恰为12个月",
        confidence="L",
        scope="local",
    )
)
