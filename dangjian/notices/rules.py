"""Rules the notices app enforces, each with its source (registered with dangjian.core.rules)."""

from __future__ import annotations

from dangjian.core.rules import Rule, register

PLATFORM = "本平台约定（通知的签阅期限由发文单位在通知中规定）"
PLAN_2019 = "《2019—2023年全国党员教育培训工作规划》（中共中央，2019年11月）"

SIGN_GRACE_DAYS = register(
    Rule(
        code="notices.sign_grace_days",
        title="签阅期限届满后仍不算逾期的天数（0：期限当日签收不算逾期，次日起逾期未签）",
        value=0,
        unit="天",
        source=PLATFORM,
        confidence="M",
        scope="local",
    )
)
MEMBER_STUDY_HOURS = register(
    Rule(
        code="notices.member_study_hours",
        title="党员每年集中学习培训时间一般不少于",
        value=32,
        unit="学时",
        source=PLAN_2019,
        confidence="M",
    )
)
MAX_HOURS_PER_DAY = register(
    Rule(
        code="notices.max_hours_per_day",
        title="培训每天计入的学时上限（防止误填）",
        value=12,
        unit="学时/天",
        source="本平台约定",
        confidence="M",
        scope="local",
    )
)
