"""Rules the office app enforces, each with its source (registered with dangjian.core.rules).

All four are local practice from the source reports, not national text, so each county may set its own
value (scope local, overridable)."""

from dangjian.core.rules import Rule, register

S001 = "偏关县老牛湾镇“143”工作体系（来源报告001）"

FIELD_DAYS = register(
    Rule(
        code="office.field_days_per_week",
        title="党建办工作人员每周到村工作天数（不少于）",
        value=2,
        unit="天/周",
        source=S001,
        article="“党建办工作人员每周到村工作不少于2天”",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
STAFF_MIN_BRANCHES = register(
    Rule(
        code="office.staff_min_branches",
        title="每名党建办工作人员至少定点联系的党支部数",
        value=1,
        unit="个",
        source=S001,
        article="“镇党建办工作人员每人至少确定1个支部联系点”",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
BRANCH_MIN_CONTACTS = register(
    Rule(
        code="office.branch_min_contacts",
        title="每个村（社区）党支部至少有的定点联系人数",
        value=1,
        unit="名",
        source=S001,
        article="“实现全镇9个村支部包联全覆盖”",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
LEADER_VISITS = register(
    Rule(
        code="office.contact_leader_visits_per_month",
        title="县级包联领导到每个包联村的次数（每月不少于）",
        value=1,
        unit="次/月",
        source="软弱涣散村党组织整顿“四个一”地方做法（甘肃漳县，2015；见 rules.md §4.2）",
        article="包联领导“每周调度1次、每月到村≥1次”；交城县报告（003）记有县级包联领导累计到村指导12次",
        confidence="L",
        scope="local",
        overridable=True,
    )
)
ELEVATED = register(
    Rule(
        code="office.elevated_management",
        title="乡镇党建办工作人员的任用、考核、调整由乡镇报送、县委组织部审批（人员提级管理）",
        value="县委组织部审批",
        unit="",
        source="五寨县“建立人员提级管理机制，全力确保队伍专业化”（来源报告000）",
        article="报告未载明审批程序细节，平台按“乡镇报送—县委组织部批准或退回”办理",
        confidence="M",
        scope="local",
    )
)
