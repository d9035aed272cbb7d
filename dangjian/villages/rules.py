"""The rules this app enforces, with their sources (shared/domain/rules.md §2.3 and §6)."""

from dangjian.core.rules import Rule, register

LAW = "《中华人民共和国村民委员会组织法》（2010年修订，2018年修正）"
RURAL = "《中国共产党农村基层组织工作条例》（2019年）"
SOURCE_000 = "五寨县李家坪乡大辛庄村“按188名常住人口的工作量，科学核定村‘两委’职数5人”（据报告000）"

VC_MIN = register(
    Rule(
        code="villages.villagers_committee.min",
        title="村民委员会由主任、副主任和委员共三至七人组成（下限）",
        value=3,
        unit="人",
        source=LAW,
        article="第六条",
    )
)
VC_MAX = register(
    Rule(
        code="villages.villagers_committee.max",
        title="村民委员会由主任、副主任和委员共三至七人组成（上限）",
        value=7,
        unit="人",
        source=LAW,
        article="第六条",
    )
)
VC_WOMAN = register(
    Rule(
        code="villages.villagers_committee.woman",
        title="村民委员会成员中应当有妇女成员",
        value=1,
        unit="人",
        source=LAW,
        article="第六条",
    )
)
TERM_YEARS = register(
    Rule(
        code="villages.term_years",
        title="村党组织委员会、村民委员会每届任期五年，届满换届",
        value=5,
        unit="年",
        source=f"{RURAL}；{LAW}（2018年修正）",
        article="村民委员会组织法第十一条；农村基层组织工作条例",
    )
)
SECRETARY_VACANT_MONTHS = register(
    Rule(
        code="villages.secretary_vacant_months",
        title="村党组织书记空缺超过该月数列为问题",
        value=3,
        unit="个月",
        source="地方实践（各县可自定）",
        article="书记岗位空缺应及时选配；软弱涣散排查中“书记长期缺职”",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
ELECTION_WARN_MONTHS = register(
    Rule(
        code="villages.election_warn_months",
        title="换届日期前该月数起提示准备换届",
        value=6,
        unit="个月",
        source="平台约定（来源报告未规定，县可自行设定）",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
SEATS = register(
    Rule(
        code="villages.seats",
        title="村“两委”职数按本县常住人口职数表核定；定补干部不得超出核定职数",
        value="按县职数表",
        unit="个",
        source=SOURCE_000,
        article="职数由县按常住人口和工作量分档核定",
        confidence="M",
        scope="local",
    )
)
CROSS_HOLDING = register(
    Rule(
        code="villages.cross_holding",
        title="村党组织书记通过法定程序担任村民委员会主任（“一肩挑”），“两委”成员交叉任职",
        value="提倡",
        unit="",
        source=RURAL,
        confidence="M",
    )
)
SOURCE_003 = "交城县夏家营镇连家寨村“明确村干部坐班值班、履职尽责标准”（据报告003）"
DUTY_PER_WORKDAY = register(
    Rule(
        code="villages.duty_per_workday",
        title="每个工作日至少安排该人数的村“两委”现任成员坐班值班（0：县未统一要求，只检查已排班的村，按至少1人）",
        value=0,
        unit="人/工作日",
        source=SOURCE_003,
        article="连家寨村自定的坐班值班制度；报告未载明人数和时段。县设为1人以上后，全县未排班的村也列为缺口",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
DUTY_HOLDER = register(
    Rule(
        code="villages.duty_holder",
        title="坐班值班人员须为本村“两委”现任成员",
        value="本村“两委”现任成员",
        unit="",
        source=SOURCE_003,
        article="村干部坐班值班",
        confidence="M",
    )
)
