"""Rules of recording a meeting (sign-in window, uploads), each registered with its source.

They are this system's own settings, not text of the 条例: a county may set its own values
(`RuleOverride`), so they are local and overridable. Imported by services.py and testing.py."""

from __future__ import annotations

from dangjian.core.rules import Rule, register

LOCAL = "本系统设定（各县可按本地做法调整）"


def _rule(code: str, title: str, value: int, unit: str, **kw) -> Rule:
    return register(
        Rule(
            code=f"meetings.{code}",
            title=title,
            value=value,
            unit=unit,
            source=LOCAL,
            confidence="M",
            scope="local",
            overridable=True,
            **kw,
        )
    )


SIGNIN_LEAD = _rule("signin_lead_minutes", "会议开始前可开启签到的时间", 30, "分钟")
SIGNIN_VALID = _rule("signin_valid_minutes", "签到码在会议开始后仍然有效的时间", 120, "分钟")
SIGNIN_MAX_FAILURES = _rule("signin_max_failures", "同一人签到码连续输错后暂停签到的次数", 10, "次")
FILE_MAX_MB = _rule("file_max_mb", "会议照片和材料单个文件大小上限", 10, "MB")

RECORD_RULES: tuple[Rule, ...] = (SIGNIN_LEAD, SIGNIN_VALID, SIGNIN_MAX_FAILURES, FILE_MAX_MB)
