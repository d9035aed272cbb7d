"""Findings of the notices app (registered with dangjian.core.findings): recipients who have not signed
a notice after its sign-by date. One query through the scope layer."""

from __future__ import annotations

import datetime

from dangjian.core.findings import Finding, register_check

from . import rules as R
from . import selectors

AREA = "通知签阅"


@register_check("notices.unsigned", "通知逾期未签收", AREA)
def unsigned(user, today: datetime.date) -> list[Finding]:
    return [
        Finding(
            rule=R.SIGN_GRACE_DAYS.code,
            org_id=r.org_id,
            org_name=r.org.name,
            subject=r.user.display_name,
            message=f"《{r.notice.title}》应于{r.notice.sign_by:%Y-%m-%d}前签收，"
            f"已逾期{(today - r.notice.sign_by).days}天未签收。",
            severity="overdue",
            due_on=r.notice.sign_by,
            url=r.notice.get_absolute_url(),
        )
        for r in selectors.unsigned_overdue(user, today)
    ]
