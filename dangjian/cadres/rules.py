"""The rules this app enforces, with their sources, and the default pay figures a county starts from.

The seeds say how pay works (基本报酬按月发放, 绩效与考核挂钩) but not the amounts; the amounts below are
platform defaults a county replaces with its own scheme (`services.set_pay_scheme`)."""

from decimal import Decimal

from dangjian.core.rules import Rule, register

from .choices import AssessmentGrade

SOURCE_000 = (
    "五寨县李家坪乡大辛庄村“村干部基本报酬按月‘一卡通’发放，个人绩效直接与乡党建办考核结果挂钩”（据报告000）"
)
SOURCE_000_POOL = (
    "五寨县小河头镇小武州村“从后备库中优选具有大专学历的曹爱玲任村党支部书记，并安排党建办主任‘一对一’辅导”"
    "（据报告000）"
)
SOURCE_003 = (
    "交城县天宁镇寨上村“建立村级后备力量‘导师帮带’制度，通过‘跟岗实践+列席会议+参与治理’模式”（据报告003）"
)
DEFAULTS = "平台默认值（报告未给出金额，各县按本县标准修改）"

MENTOR_NOT_IN_POOL = register(
    Rule(
        code="cadres.mentor_not_in_pool",
        title="帮带导师由现任村“两委”干部或乡镇干部担任，后备库在库人员不能担任导师",
        value="不得",
        unit="",
        source=SOURCE_003,
        article="导师帮带：以现职干部带后备力量",
        confidence="M",
        scope="local",
    )
)
CHOOSE_FROM_POOL = register(
    Rule(
        code="cadres.choose_from_pool",
        title="村党组织书记空缺时从后备库中优选，由乡镇党委研究决定并留存依据",
        value="留痕",
        unit="",
        source=SOURCE_000_POOL,
        article="选任须记明决定机关、日期、依据（会议纪要）及同时考察的人选",
        confidence="M",
        scope="local",
    )
)
PAY_MONTHLY = register(
    Rule(
        code="cadres.pay_monthly",
        title="村干部基本报酬按月发放，每乡镇每月一个发放批次，审核后不得改动",
        value=1,
        unit="批/月",
        source=SOURCE_000,
        article="基本报酬按月“一卡通”发放",
        confidence="M",
        scope="local",
    )
)
PAY_PERFORMANCE = register(
    Rule(
        code="cadres.pay_performance",
        title="村干部绩效报酬与年度考核结果挂钩：绩效 = 等次系数 × 月基本报酬 × 绩效月数",
        value="按县公式",
        unit="",
        source=SOURCE_000,
        article="个人绩效直接与乡党建办考核结果挂钩",
        confidence="M",
        scope="local",
    )
)

# Monthly base pay per post kind in yuan (villages.PostKind values), 一肩挑 allowance, performance formula.
DEFAULT_BASE_PAY: dict[str, int] = {
    "secretary": 3000,
    "director": 2800,
    "deputy_secretary": 2200,
    "deputy_director": 2200,
    "member": 1800,
    "subsidy": 1500,
}
DEFAULT_DUAL_ALLOWANCE = Decimal(500)
DEFAULT_COEFFICIENTS: dict[str, str] = {
    AssessmentGrade.EXCELLENT: "1.2",
    AssessmentGrade.COMPETENT: "1.0",
    AssessmentGrade.BASIC: "0.6",
    AssessmentGrade.INCOMPETENT: "0",
}
DEFAULT_PERFORMANCE_MONTHS = 2
DEFAULT_PERFORMANCE_MONTH = 1  # January pays the year before's performance
