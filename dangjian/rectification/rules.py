"""The rules of rectifying weak and lax branches, with their sources (shared/domain/rules.md §4)."""

from dangjian.core.rules import Rule, register

PEOPLE_DAILY = (
    "人民日报（2017-09）关于整顿软弱涣散基层党组织的报道 "
    "http://big5.chinataiwan.cn/gate/big5/www.taiwan.cn/xwzx/PoliticsNews/201709/t20170912_11841688.htm"
)
CFE = "州级“3项17条”软弱涣散认定标准（http://cfenews.com/finance/2019/0605/7218.html）"
ZHANGXIAN = "甘肃漳县 2015 整顿软弱涣散村党组织“四个一”工作要求（https://zxdjw.gov.cn/htm/20157/20_2323.htm）"
HEZE = "菏泽“四个一”整顿做法（http://wx.heze.cn/a/7107.html）"

QUOTA_MIN = register(
    Rule(
        code="rectification.quota_min",
        title="年度倒排整顿比例下限",
        value=5,
        unit="%",
        source=PEOPLE_DAILY,
        article="每年按5%—10%的比例倒排确定整顿对象，不捂不盖、应纳尽纳",
        confidence="M",
    )
)
QUOTA_MAX = register(
    Rule(
        code="rectification.quota_max",
        title="年度倒排整顿比例上限",
        value=10,
        unit="%",
        source=PEOPLE_DAILY,
        article="每年按5%—10%的比例倒排确定整顿对象（部分省份为10%）",
        confidence="M",
    )
)
QUOTA = register(
    Rule(
        code="rectification.quota",
        title="本县年度倒排比例（县定，须在5%—10%之间）",
        value=5,
        unit="%",
        source=PEOPLE_DAILY,
        article="县（乡）每年倒排5%—10%",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
SECRETARY_VACANT = register(
    Rule(
        code="rectification.signal.secretary_vacant",
        title="预警信号：村党组织书记出缺超过3个月",
        value=3,
        unit="个月",
        source=CFE,
        article="书记出缺3个月以上（月数以村“两委”检查 villages.secretary_vacant 的县定值为准）",
        confidence="L",
        scope="local",
    )
)
NO_ADMISSION = register(
    Rule(
        code="rectification.signal.no_admission",
        title="预警信号：连续2年以上无发展对象",
        value=2,
        unit="年",
        source=CFE,
        article="连续2年以上未发展党员（年数以发展党员检查 development.no_admission 的县定值为准）",
        confidence="L",
        scope="local",
    )
)
MEETINGS_UNMET = register(
    Rule(
        code="rectification.signal.meetings_unmet",
        title="预警信号：组织生活未按规定开展",
        value=1,
        unit="项",
        source=CFE,
        article="组织制度形同虚设、不开展党组织活动（10类界定第4类；以会议检查 meetings.unmet 为准）",
        confidence="M",
        scope="local",
    )
)
LOW_SATISFACTION = register(
    Rule(
        code="rectification.signal.low_satisfaction",
        title="预警信号：群众满意率低于60%（近12个月已办结案件的满意度回访）",
        value=60,
        unit="%",
        source=CFE,
        article="群众满意率低于60%（满意和基本满意计为满意）",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
SATISFACTION_MONTHS = register(
    Rule(
        code="rectification.signal.satisfaction_months",
        title="群众满意率的统计期",
        value=12,
        unit="个月",
        source=CFE,
        article="按年度计（近12个月办结的案件）",
        confidence="L",
        scope="local",
    )
)
BOTTOM_RANK = register(
    Rule(
        code="rectification.signal.bottom_rank",
        title="预警信号：年度考核排名末位（本县年度排查倒排候选）",
        value=True,
        unit="",
        source=CFE,
        article="年度考核排名末位",
        confidence="L",
        scope="local",
    )
)
NO_INCOME = register(
    Rule(
        code="rectification.signal.no_income",
        title="预警信号：无村集体经济收入",
        value=0,
        unit="万元",
        source="部分地区软弱涣散类型增补（13类）：无集体经济收入（shared/domain/rules.md §4.1）",
        article="年度排查表中村集体经济收入为0",
        confidence="L",
        scope="local",
    )
)
LEADER_VISITS = register(
    Rule(
        code="rectification.leader_visits_monthly",
        title="包联领导每月到村不少于1次",
        value=1,
        unit="次/月",
        source=ZHANGXIAN,
        article="包联领导每周调度1次、每月到村≥1次",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
ACCEPT_BY_YEAR_END = register(
    Rule(
        code="rectification.accept_by_year_end",
        title="县级组织验收销号，年底前完成；未通过的继续整顿",
        value=True,
        unit="",
        source=HEZE,
        article="县委组织部年底前逐村验收，验收不合格的继续整顿",
        confidence="M",
    )
)
CONSOLIDATION_MONTHS = register(
    Rule(
        code="rectification.consolidation_months",
        title="验收通过后巩固提升、跟踪问效的期限（期满复查）",
        value=12,
        unit="个月",
        source=HEZE,
        article="整顿验收后跟踪问效1年",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
FIVE_ESSENTIALS = register(
    Rule(
        code="rectification.five_essentials",
        title="一村一策须具备“五个要件”：定目标任务、定责任主体、定时限要求、定工作措施、定整改成效",
        value=True,
        unit="",
        source="交城县软弱涣散村党组织整顿做法（种子003：水峪贯镇牛头咀村“五个要件”）",
        article="一村一策、建立整顿台账",
        confidence="M",
        scope="local",
    )
)
