"""The rules of deputies' liaison, with their sources."""

from dangjian.core.rules import Rule, register

TERM_YEARS = register(
    Rule(
        code="liaison.term_years",
        title="县、乡两级代表（委员）每届任期",
        value=5,
        unit="年",
        source="《中华人民共和国宪法》第九十八条；《中国共产党章程》第二十六条；《中国人民政治协商会议章程》地方委员会一章",
        article="地方各级人民代表大会每届任期五年；党的县级代表大会每五年举行一次；政协地方委员会每届任期五年"
        "（党章、政协章程条号待核）",
        confidence="M",
    )
)
NO_TOWNSHIP_CPPCC = register(
    Rule(
        code="liaison.no_township_cppcc",
        title="乡镇不设政协",
        value=True,
        unit="",
        source="《中国人民政治协商会议章程》地方委员会一章（条号待核）",
        confidence="M",
        article="政协地方委员会设至县级（省、自治区、直辖市、自治州、设区的市、县、自治县、不设区的市和市辖区）",
    )
)
CONTACT_TARGET = register(
    Rule(
        code="liaison.contacts_per_year",
        title="每名代表（委员）每年联系支部、群众次数目标",
        value=4,
        unit="次/年",
        source="宜君县党建工作站“协调调动区域内各级党代表、人大代表、政协委员……参与村级党建工作”（种子002）；"
        "次数为本平台默认（每季度一次），县可调整",
        article="联络站页面按此目标标注：达标绿色，未达标琥珀色，全年未联系红色",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
