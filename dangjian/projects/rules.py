"""The rules the projects app enforces, with their sources (shared/domain/rules.md; seeds 000, 001, 003)."""

from dangjian.core.rules import Rule, register

SEED000 = "五寨县乡镇党建办做法（种子000）：“党建办协助争取的30万元水渠整修项目，已惠及200亩农田”"
PLATFORM = "平台设计（DESIGN.md：项目和资金须写明金额、来源、用途和成效）"

SOURCES_NOT_OVER_BUDGET = register(
    Rule(
        code="projects.sources_not_over_budget",
        title="各渠道资金合计不得超过项目预算（不足部分显示为资金缺口）",
        value=True,
        unit="",
        source=PLATFORM,
        article="资金来源逐项登记金额，合计与预算核对",
        confidence="M",
    )
)
OUTCOME_NEEDS_UNIT = register(
    Rule(
        code="projects.outcome_needs_unit",
        title="项目成效须有计量单位（亩、米、户、人、个、斤……），才能按单位汇总",
        value=True,
        unit="",
        source=SEED000,
        article="成效写明数量和单位（200亩农田、1000米灌溉渠、67户160多人）",
        confidence="H",
    )
)
MILESTONES_IN_ORDER = register(
    Rule(
        code="projects.milestones_in_order",
        title="项目节点按顺序排定、按顺序完成",
        value=True,
        unit="",
        source=PLATFORM,
        article="节点计划完成日期不得早于前一节点；前一节点未完成的，后一节点不能标记完成",
        confidence="M",
    )
)
COMPLETE_NEEDS_MILESTONES = register(
    Rule(
        code="projects.complete_needs_milestones",
        title="按节点计算进度的项目，全部节点完成后才能标记“已完成”",
        value=True,
        unit="",
        source=PLATFORM,
        article="进度以节点完成情况为准",
        confidence="M",
    )
)
FILE_MAX_MB = register(
    Rule(
        code="projects.file_max_mb",
        title="项目照片和资料单个文件大小上限",
        value=20,
        unit="MB",
        source="平台上传限制（与会议材料一致的检查：扩展名与文件内容须一致）",
        article="jpg、png、webp 图片或 pdf、docx、xlsx 文件",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
