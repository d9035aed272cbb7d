"""The rules of assessment (一定二考三有, 晒成绩单, model stations), with their sources (seeds 000, 002)."""

from dangjian.core.rules import Rule, register

WUZHAI = "五寨县“3+X”月度分析：晾晒成绩单，表扬优秀、对问题提出整改要求（种子000）"
YIJUN = "宜君县基层党建工作站“一定二考三有”管理：定目标计划，月考评、年考核，有奖、有惩、有为（种子002）"
YIJUN_MODEL = "宜君县“七一”评比表彰5个党建示范站，每站奖励2万元（种子002）"

TOTAL = register(
    Rule(
        code="scoring.total",
        title="考核指标权重合计（满分）",
        value=100,
        unit="分",
        source=YIJUN,
        article="定工作目标计划，量化赋分；各县可定满分（常见为100分）",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
MANUAL_EVIDENCE_MIN = register(
    Rule(
        code="scoring.manual_evidence_min",
        title="人工评分须附依据（最少字数）",
        value=4,
        unit="字",
        source=WUZHAI,
        article="晾晒成绩单须说明依据，评分有据可查",
        confidence="M",
    )
)
MODEL_STATION_REWARD = register(
    Rule(
        code="scoring.model_station_reward",
        title="党建示范站奖励金额",
        value=20000,
        unit="元",
        source=YIJUN_MODEL,
        article="表彰5个党建示范站，每站奖励2万元，集中授牌",
        confidence="H",
        scope="local",
        overridable=True,
    )
)
MODEL_STATIONS = register(
    Rule(
        code="scoring.model_stations",
        title="每年表彰党建示范站个数",
        value=5,
        unit="个",
        source=YIJUN_MODEL,
        article="县上“七一”评比表彰了5个党建示范站",
        confidence="H",
        scope="local",
        overridable=True,
    )
)
HONOUR_SHARE = register(
    Rule(
        code="scoring.honour_share",
        title="年度评优推荐比例（按年度得分排名前列）",
        value=10,
        unit="%",
        source=YIJUN,
        article="年考核结果作为评先评优依据（比例为本系统默认值，县可调整）",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
JOINT_APPRAISAL = register(
    Rule(
        code="scoring.joint_appraisal",
        title="联村党总支下的村：村级人工评分指标可由所属联村党总支评议录入（县开启后适用）",
        value=False,
        unit="是/否",
        source="安定镇联村党总支“7项权限”之干部考核评议权（种子004）",
        article="赋予联村党总支干部考核评议权……对各党支部工作进行督促、检查、指导和审核",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
