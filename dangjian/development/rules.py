"""The development pipeline as data: each rule version lists its steps, and each time limit or
threshold is a registered rule with its source. A case keeps the version it was opened under, so a
revised set of steps sits beside the old one without touching old cases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dangjian.core.rules import Rule, register

XIZE_2014 = "《中国共产党发展党员工作细则》（中办，2014年6月）"
XIZE_2026 = "《中国共产党发展党员工作细则》（2026年5月修订，据公开转引，官方全文未核实）"
DANGZHANG = "《中国共产党章程》"
TIAOLI_ZHIBU = "《中国共产党支部工作条例（试行）》（2018）"
ANDING = "安定镇联村党总支“7项权限”之党员发展预审权（seeds 004）"


def _rule(code: str, title: str, value, unit: str, source: str, article: str = "", **kw) -> Rule:
    return register(
        Rule(
            code=f"development.{code}",
            title=title,
            value=value,
            unit=unit,
            source=source,
            article=article,
            **kw,
        )
    )


MIN_AGE = _rule(
    "min_age", "递交入党申请时应年满", 18, "周岁", DANGZHANG + "；" + XIZE_2014, "党章第一条；细则第五条"
)
TALK_MONTHS = _rule("talk_within_months", "收到入党申请书后派人谈话的期限", 1, "个月", XIZE_2014, "第七条")
ACTIVIST_WAIT_MONTHS = _rule(
    "activist_min_wait_months",
    "递交申请书至确定为积极分子的最短间隔（细则未作规定，部分地方规定6个月）",
    0,
    "个月",
    "中组部答问：细则未作出具体规定；地方规定见 shared/domain/rules.md §1.1 第3步",
    confidence="L",
    scope="local",
    overridable=True,
)
CONTACTS_MIN = _rule("contacts_min", "培养联系人最少人数（正式党员）", 1, "名", XIZE_2014, "第九条")
CONTACTS_MAX = _rule("contacts_max", "培养联系人最多人数（正式党员）", 2, "名", XIZE_2014, "第九条")
ASSESSMENT_MONTHS = _rule(
    "assessment_interval_months",
    "党支部对入党积极分子考察的最长间隔（每半年一次）",
    6,
    "个月",
    XIZE_2014,
    "第十一条",
    confidence="M",
)
ACTIVIST_YEARS = _rule(
    "activist_min_years",
    "确定为发展对象前作为积极分子培养考察的最短时间",
    1,
    "年",
    XIZE_2014,
    "第三章（发展对象的确定和考察）首条",
)
PUBLICITY_DAYS = _rule(
    "publicity_working_days",
    "确定发展对象前公示的最少工作日数（2014年细则未规定；0表示不要求）",
    0,
    "个工作日",
    "地方规定：不少于5个工作日或7天（shared/domain/rules.md §1.1 第13步）",
    confidence="L",
    scope="local",
    overridable=True,
)
PUBLICITY_DAYS_2026 = _rule(
    "v2026.publicity_working_days",
    "确定发展对象前公示的最少工作日数",
    5,
    "个工作日",
    XIZE_2026,
    "第十三条",
    version="2026.05",
    effective_from=datetime.date(2026, 5, 18),
    confidence="M",
)
SPONSORS = _rule("sponsors_count", "入党介绍人人数（须为正式党员）", 2, "名", DANGZHANG, "第五条")
TRAINING_DAYS = _rule("training_min_days", "集中培训最少天数（或学时数达标）", 3, "天", XIZE_2014, "第十七条")
TRAINING_HOURS = _rule(
    "training_min_hours", "集中培训最少学时（或天数达标）", 24, "学时", XIZE_2014, "第十七条"
)
PRE_REVIEW_DAYS = _rule(
    "pre_review_within_days",
    "支部委员会审查后上级党委完成预审的期限（地方规定）",
    30,
    "天",
    "地方规定：预审一般在一个月内完成（shared/domain/rules.md §1.1 第13步）",
    confidence="L",
    scope="local",
    overridable=True,
)
ASSEMBLY_AFTER_PRE_REVIEW_MONTHS_2026 = _rule(
    "v2026.assembly_within_months",
    "预审合格后召开支部大会讨论接收的期限",
    1,
    "个月",
    XIZE_2026,
    "第十九条",
    version="2026.05",
    effective_from=datetime.date(2026, 5, 18),
    confidence="M",
)
QUORUM = _rule(
    "assembly_quorum",
    "支部大会有效：到会有表决权的正式党员不少于应到会人数的",
    "1/2",
    "",
    XIZE_2014 + "；" + TIAOLI_ZHIBU,
    "细则第二十二条；条例第十一条",
)
MAJORITY = _rule(
    "assembly_majority", "通过：赞成人数超过应到会有表决权正式党员的", "1/2", "", XIZE_2014, "第二十二条"
)
APPROVAL_MONTHS = _rule(
    "approval_within_months", "支部大会决议后上级党委审批的期限", 3, "个月", XIZE_2014, "第二十五条"
)
APPROVAL_MAX_MONTHS = _rule(
    "approval_max_months", "遇特殊情况可延长审批，但最长不超过", 6, "个月", XIZE_2014, "第二十五条"
)
PROBATION_YEARS = _rule("probation_years", "预备期（自支部大会通过之日起）", 1, "年", DANGZHANG, "第七条")
OATH_MONTHS_2026 = _rule(
    "v2026.oath_within_months",
    "审批后组织入党宣誓的期限",
    1,
    "个月",
    XIZE_2026,
    "第二十九条",
    version="2026.05",
    effective_from=datetime.date(2026, 5, 18),
    confidence="M",
)
CONVERSION_LEAD_DAYS = _rule(
    "conversion_application_lead_days",
    "预备期满前可提前递交转正申请的天数（地方规定约一周）",
    7,
    "天",
    "地方规定（shared/domain/rules.md §1.1 第22步）",
    confidence="L",
    scope="local",
    overridable=True,
)
CONVERSION_ASSEMBLY_MONTHS = _rule(
    "conversion_assembly_within_months",
    "预备期满后召开支部大会讨论转正的期限（地方规定）",
    1,
    "个月",
    "地方规定：转正申请后一个月内讨论（shared/domain/rules.md §1.1 第23步）",
    confidence="L",
    scope="local",
    overridable=True,
)
CONVERSION_APPROVAL_MONTHS = _rule(
    "conversion_approval_within_months",
    "转正的支部大会决议后上级党委审批的期限",
    3,
    "个月",
    XIZE_2014,
    "第三十三条",
)
EXTENSION_MIN_MONTHS = _rule("extension_min_months", "延长预备期最短", 6, "个月", DANGZHANG, "第七条")
EXTENSION_MAX_MONTHS = _rule(
    "extension_max_months", "延长预备期最长（只能延长一次）", 12, "个月", DANGZHANG, "第七条"
)
NO_ADMISSION_YEARS = _rule(
    "no_admission_years",
    "连续该年数未发展党员的党支部列入提醒",
    2,
    "年",
    "地方排查软弱涣散党组织的量化情形（shared/domain/rules.md §4.1）",
    confidence="L",
    scope="local",
    overridable=True,
)
DUE_SOON_DAYS = _rule(
    "due_soon_days",
    "期限前该天数内列为“即将到期”",
    14,
    "天",
    "平台约定（提醒窗口）",
    confidence="L",
    scope="local",
    overridable=True,
)
JOINT_PRE_REVIEW = _rule(
    "joint_pre_review",
    "联村党总支下的村：发展对象先经联村党总支预审，再报乡镇党委预审（县开启后适用）",
    False,
    "是/否",
    ANDING,
    "赋予联村党总支……党员发展预审权",
    confidence="M",
    scope="local",
    overridable=True,
)
V2026_FROM = _rule(
    "v2026_effective_from",
    "自该日起递交申请的，按2026年修订细则办理",
    "2026-05-18",
    "日期",
    XIZE_2026,
    "发布日期",
    confidence="M",
    scope="provincial",
    overridable=True,
)


@dataclass(frozen=True)
class StepDef:
    code: str
    stage: int
    title: str
    article: str = ""
    by_higher: bool = False  # taken by the higher party committee (township or county), not the branch
    repeatable: bool = False  # recorded many times (half-yearly assessments)
    joint: bool = False  # taken by the village's joint branch, only where the county turned it on


@dataclass(frozen=True)
class PipelineVersion:
    code: str
    title: str
    source: str
    steps: tuple[StepDef, ...]
    # Soft deadlines that exist only in this version: step -> (after step, rule, unit).
    extra_deadlines: dict[str, tuple[str, Rule]] = field(default_factory=dict)

    def step(self, code: str) -> StepDef:
        for s in self.steps:
            if s.code == code:
                return s
        raise KeyError(code)

    def codes(self) -> list[str]:
        return [s.code for s in self.steps]


STEPS_2014: tuple[StepDef, ...] = (
    StepDef("application", 1, "递交入党申请书", "第五、六条"),
    StepDef("talk", 1, "党组织派人谈话", "第七条"),
    StepDef("activist", 2, "推荐和确定入党积极分子", "第八条"),
    StepDef("activist_filed", 2, "入党积极分子报上级党委备案", "第八条", by_higher=True),
    StepDef("contacts", 2, "指定培养联系人", "第九条"),
    StepDef("assessment", 2, "培养教育考察（每半年一次）", "第十一条", repeatable=True),
    StepDef("candidate", 3, "确定发展对象", "第三章"),
    StepDef("candidate_filed", 3, "发展对象报上级党委备案", "第三章", by_higher=True),
    StepDef("sponsors", 3, "确定入党介绍人", "党章第五条"),
    StepDef("political_review", 3, "进行政治审查", "第三章"),
    StepDef("training", 3, "开展集中培训", "第十七条"),
    StepDef("committee_review", 4, "支部委员会审查", "第十九条"),
    StepDef("joint_pre_review", 4, "联村党总支预审", "联村党总支党员发展预审权", joint=True),
    StepDef("pre_review", 4, "上级党委预审", "第十九条", by_higher=True),
    StepDef("application_form", 4, "填写入党志愿书", "第二十条"),
    StepDef("branch_assembly", 4, "支部大会讨论接收", "第二十二条"),
    StepDef("committee_talk", 4, "上级党委派人谈话", "第二十四条", by_higher=True),
    StepDef("approval", 4, "上级党委审批", "第二十五条", by_higher=True),
    StepDef("approval_filed", 4, "报再上一级党委组织部门备案", "第二十五条", by_higher=True),
    StepDef("placement", 5, "编入党支部和党小组", "第二十七条"),
    StepDef("oath", 5, "入党宣誓", "党章第六条"),
    StepDef("probation_education", 5, "继续教育考察", "第三十条", repeatable=True),
    StepDef("conversion_application", 5, "提出转正申请", "第三十二条"),
    StepDef("conversion_assembly", 5, "支部大会讨论转正", "第三十二条"),
    StepDef("conversion_approval", 5, "上级党委审批转正", "第三十三条", by_higher=True),
    StepDef("archive", 5, "材料归档", "第三十六条"),
)


def _steps_2026() -> tuple[StepDef, ...]:
    articles = {
        "application": "第六条",
        "talk": "第七条",
        "activist": "第八条",
        "assessment": "第十一条",
        "candidate": "第十三条",
        "political_review": "第十六条",
        "training": "第十七条",
        "pre_review": "第十八条",
        "branch_assembly": "第十九条、第二十二条",
        "approval": "第二十五条",
        "oath": "第二十九条",
        "conversion_application": "第三十二条",
        "conversion_assembly": "第三十二条",
        "conversion_approval": "第三十三条",
        "archive": "第三十六条",
    }
    steps: list[StepDef] = []
    for s in STEPS_2014:
        if s.code == "candidate":
            steps.append(StepDef("candidate_publicity", 3, "发展对象公示（不少于5个工作日）", "第十三条"))
        steps.append(
            StepDef(
                s.code, s.stage, s.title, articles.get(s.code, s.article), s.by_higher, s.repeatable, s.joint
            )
        )
    return tuple(steps)


VERSIONS: dict[str, PipelineVersion] = {
    "2014": PipelineVersion("2014", "2014年细则（5个阶段25个步骤）", XIZE_2014, STEPS_2014),
    "2026.05": PipelineVersion(
        "2026.05",
        "2026年5月修订细则（据公开转引；在2014年步骤上增加发展对象公示，并规定支部大会、入党宣誓期限）",
        XIZE_2026,
        _steps_2026(),
        extra_deadlines={
            "branch_assembly": ("pre_review", ASSEMBLY_AFTER_PRE_REVIEW_MONTHS_2026),
            "oath": ("approval", OATH_MONTHS_2026),
        },
    ),
}


def step_title(version: str, code: str) -> str:
    try:
        return VERSIONS[version].step(code).title
    except KeyError:
        return code
