"""The rules this app enforces, with their sources."""

from __future__ import annotations

from dangjian.core.rules import Rule, register

SOURCE_3X = (
    "五寨县“3+X”机制：每月末县委组织部牵头开展乡镇党建办工作分析"
    "（晾晒“成绩单”，表扬优秀、对存在问题的提出整改要求）；前几名的人数为本平台约定"
)
LOCAL = "本平台约定（来源未规定计分方法，县可调整）"

RED_DEDUCTION = register(
    Rule(
        code="reviews.red_finding_deduction",
        title="成绩单得分：每条未解决的红色问题（逾期）扣分",
        value=5,
        unit="分/条",
        source=LOCAL,
        confidence="L",
        scope="local",
        overridable=True,
    )
)
SCORECARD_TOP_N = register(
    Rule(
        code="reviews.scorecard_top_n",
        title="成绩单表扬前几名、对后几名提出整改要求",
        value=3,
        unit="名",
        source=SOURCE_3X,
        confidence="L",
        scope="local",
        overridable=True,
    )
)
SIGN_DAYS = register(
    Rule(
        code="reviews.sign_days",
        title="月度分析发布后下级签阅期限（日历天）",
        value=7,
        unit="天",
        source=LOCAL,
        confidence="L",
        scope="local",
        overridable=True,
    )
)
