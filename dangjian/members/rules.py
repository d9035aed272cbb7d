"""Rules of the party roster, mobility, lost contact, transfers and dues, each with its source."""

from decimal import Decimal

from dangjian.core.rules import Rule, register

TIAOLI_2019 = "《中国共产党党员教育管理工作条例》（2019）"
DUES_2008 = "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）"

LOST_CONTACT_SUSPEND_MONTHS = register(
    Rule(
        code="members.lost_contact_suspend_months",
        title="失去联系满该月数仍无法取得联系的，停止党籍",
        value=6,
        unit="个月",
        source=TIAOLI_2019,
        article="失联党员的处置（条文序号未核实）",
    )
)
SUSPENSION_REMOVE_YEARS = register(
    Rule(
        code="members.suspension_remove_years",
        title="停止党籍满该年数仍无法取得联系的，按自行脱党予以除名",
        value=2,
        unit="年",
        source=TIAOLI_2019,
        article="失联党员的处置（条文序号未核实）",
    )
)
MOBILE_TRANSFER_MONTHS = register(
    Rule(
        code="members.mobile_transfer_months",
        title="外出学习、工作、生活在相对固定处所满该月数的，应转移组织关系",
        value=6,
        unit="个月",
        source=TIAOLI_2019 + "；中组部《关于加强和改进流动党员管理工作的意见》（2006）",
        article="党员外出的组织关系转移（条文序号未核实）",
    )
)
TRANSFER_CONFIRM_DAYS = register(
    Rule(
        code="members.transfer_confirm_days",
        title="组织关系介绍信开具后该天数内未确认接收的，列为待跟进",
        value=30,
        unit="天",
        source=TIAOLI_2019 + "：接收前原党组织仍负责管理；期限为平台约定的跟进提醒（一个月）",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
DUES_ARREARS_MONTHS = register(
    Rule(
        code="members.dues_arrears_months",
        title="连续该月数未交纳党费的，提醒党支部处置",
        value=6,
        unit="个月",
        source="《中国共产党章程》",
        article="第九条（连续六个月不交纳党费，按自行脱党处理）",
    )
)
DUES_WORKING_BANDS = register(
    Rule(
        code="members.dues_working_bands",
        title="在职党员党费比例（税后月工资收入分档：上限元，比例%）",
        value=[[3000, "0.5"], [5000, "1"], [10000, "1.5"], [None, "2"]],
        unit="元/%",
        source=DUES_2008,
        article="在职党员交纳标准",
    )
)
DUES_RETIRED_BANDS = register(
    Rule(
        code="members.dues_retired_bands",
        title="离退休党员党费比例（月离退休费分档：上限元，比例%）",
        value=[[5000, "0.5"], [None, "1"]],
        unit="元/%",
        source=DUES_2008 + "；计算基数的口径（离退休费总额或基本离退休费）各地不一，以县委组织部口径为准",
        article="离退休党员交纳标准",
    )
)
DUES_FARMER_AMOUNT = register(
    Rule(
        code="members.dues_farmer_amount",
        title="农民党员每月党费（元），由省级党委在0.2—1元之间确定",
        value="0.5",
        unit="元/月",
        source=DUES_2008,
        article="农民党员交纳标准",
        confidence="M",
        scope="provincial",
        overridable=True,
    )
)
DUES_LOW_INCOME_AMOUNT = register(
    Rule(
        code="members.dues_low_income_amount",
        title="学生、下岗失业、依靠抚恤或救济、领取最低生活保障金的党员每月党费",
        value="0.2",
        unit="元/月",
        source=DUES_2008,
        article="学生、下岗失业等党员交纳标准",
    )
)


def dues_amount(category: str, base: Decimal | None, farmer_amount: str | None = None) -> Decimal:
    """The monthly amount a member owes under the 2008 rules."""
    from .choices import DuesCategory

    if category == DuesCategory.EXEMPT:
        return Decimal("0.00")
    if category == DuesCategory.FARMER:
        return Decimal(farmer_amount or DUES_FARMER_AMOUNT.value).quantize(Decimal("0.01"))
    if category == DuesCategory.LOW_INCOME:
        return Decimal(DUES_LOW_INCOME_AMOUNT.value)
    bands = DUES_RETIRED_BANDS.value if category == DuesCategory.RETIRED else DUES_WORKING_BANDS.value
    income = Decimal(base or 0)
    for ceiling, percent in bands:
        if ceiling is None or income <= ceiling:
            return (income * Decimal(percent) / 100).quantize(Decimal("0.01"))
    raise AssertionError("the last band has no ceiling")
