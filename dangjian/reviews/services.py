"""What people do with a 3+X monthly analysis: open it for an org and month, write the praise and
rectification notes and next month's tasks, add the "X" topics, and publish it to the subtree with
read-sign. Each function checks the actor's role, validates in Chinese beside the field, writes in one
transaction and leaves an audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.dates import month_start
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require
from dangjian.members.records.common import Errors
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Org

from . import rules as R
from .models import MonthlyReview, ReviewState, ReviewTopic

REVIEW_KINDS = (OrgKind.COUNTY, OrgKind.TOWNSHIP)
PUBLISHED = "该月度分析已发布，不能再修改。"


def county_of(org: Org) -> Org | None:
    if org.kind == OrgKind.COUNTY:
        return org
    return Org.objects.filter(pk__in=org.ancestor_ids(), kind=OrgKind.COUNTY).first()


def site_url(base_url: str = "") -> str:
    """Where the files' links point: settings.SITE_URL when set, else the request's own origin."""
    return (getattr(settings, "SITE_URL", "") or base_url or "").rstrip("/")


def _editable(actor: Any, review: MonthlyReview) -> None:
    require(actor, "change", review)
    if review.state == ReviewState.PUBLISHED:
        raise DomainError(PUBLISHED)


def create_review(
    actor: Any, *, org: Org | None, month: datetime.date | None, today: datetime.date | None = None
) -> MonthlyReview:
    """Open the analysis of `org` (a county, or a township) for `month` (any day of it)."""
    today = today or timezone.localdate()
    errors = Errors()
    if org is None:
        errors.add("请选择组织。", "org")
    elif org.kind not in REVIEW_KINDS:
        errors.add("“3+X”月度分析只能以县或乡镇为单位开展。", "org")
    elif org.archived_at is not None:
        errors.add("该组织已归档。", "org")
    elif not can(actor, "view", MonthlyReview(org=org)):
        errors.add("所选组织不在您的管辖范围内。", "org")
    if month is None:
        errors.add("请选择月份。", "month")
    else:
        month = month_start(month)
        if month > month_start(today):
            errors.add("不能为尚未开始的月份开展月度分析。", "month")
    errors.raise_any()
    assert org is not None and month is not None
    if not can(actor, "add", MonthlyReview(org=org)):
        raise ActionDenied("只有县委组织部或本乡镇党建办可以开展月度分析。")
    if MonthlyReview.objects.filter(org=org, month=month).exists():
        raise DomainError(f"{org.name}{month.year}年{month.month}月的月度分析已经建立。", "month")
    county = county_of(org)
    with transaction.atomic():
        review = MonthlyReview.objects.create(org=org, county=county, month=month, created_by=actor)
        audit.record(actor, "reviews.create", review, org=org, after=snapshot(review))
    return review


def update_review(
    actor: Any,
    review: MonthlyReview,
    *,
    praise_note: str | None = None,
    rectification_note: str | None = None,
    next_tasks_text: str | None = None,
) -> MonthlyReview:
    """Edit what people write in the pack; fields left None are unchanged."""
    _editable(actor, review)
    errors = Errors()
    changes = {}
    for name, value, label, limit in (
        ("praise_note", praise_note, "表扬意见", 3000),
        ("rectification_note", rectification_note, "整改要求", 3000),
        ("next_tasks_text", next_tasks_text, "下月主要任务（补充）", 5000),
    ):
        if value is not None:
            changes[name] = errors.text(value, label=label, field=name, limit=limit)
    errors.raise_any()
    before = snapshot(review)
    for name, value in changes.items():
        setattr(review, name, value)
    with transaction.atomic():
        review.save(update_fields=list(changes) or None)
        audit.record(actor, "reviews.update", review, org=review.org, before=before, after=snapshot(review))
    return review


def _topic_fields(review: MonthlyReview, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors = Errors()
    out: dict[str, Any] = {}
    if not partial or "title" in data:
        out["title"] = errors.text(data.get("title"), label="专题", field="title", limit=100, required=True)
    for name, label, limit in (("agenda", "议程", 2000), ("notes", "研讨纪要", 5000)):
        if not partial or name in data:
            out[name] = errors.text(data.get(name), label=label, field=name, limit=limit)
    if not partial or "department" in data:
        dept = data.get("department")
        if dept is not None and (not isinstance(dept, Department) or dept.county_id != review.county_id):
            errors.add("邀请部门须为本县的县直部门。", "department")
        out["department"] = dept
    if "sort_order" in data and data["sort_order"] is not None:
        out["sort_order"] = data["sort_order"]
    errors.raise_any()
    return out


def add_topic(actor: Any, review: MonthlyReview, **data: Any) -> ReviewTopic:
    """Add an "X": title, agenda, the department invited, notes."""
    _editable(actor, review)
    fields = _topic_fields(review, data, partial=False)
    if "sort_order" not in fields:
        fields["sort_order"] = review.topics.count() + 1
    with transaction.atomic():
        topic = ReviewTopic.objects.create(review=review, **fields)
        audit.record(actor, "reviews.topic_add", topic, org=review.org, after=snapshot(topic))
    return topic


def update_topic(actor: Any, topic: ReviewTopic, **changes: Any) -> ReviewTopic:
    review = topic.review
    _editable(actor, review)
    fields = _topic_fields(review, changes, partial=True)
    before = snapshot(topic)
    for name, value in fields.items():
        setattr(topic, name, value)
    with transaction.atomic():
        topic.save()
        audit.record(
            actor, "reviews.topic_update", topic, org=review.org, before=before, after=snapshot(topic)
        )
    return topic


def remove_topic(actor: Any, topic: ReviewTopic) -> None:
    review = topic.review
    _editable(actor, review)
    before = snapshot(topic)
    with transaction.atomic():
        audit.record(actor, "reviews.topic_remove", topic, org=review.org, before=before, after={})
        topic.delete()


def notice_body(pack: Any) -> str:
    review = pack.review
    lines = [
        f"现将{review.org.name}{review.month_label}“3+X”工作分析印发给你们，请认真阅读并签收，"
        "按要求抓好整改和下月任务落实。",
        "",
        f"一、重点任务完成情况：共{len(pack.completion)}项"
        + (f"，逾期未完成{sum(r.late for r in pack.completion)}个承办单位次。" if pack.completion else "。"),
    ]
    if pack.praised:
        lines.append("二、表扬：" + "、".join(r.org_name for r in pack.praised) + "。")
    if pack.rectified:
        lines.append("三、限期整改：" + "、".join(r.org_name for r in pack.rectified) + "。")
    lines.append(f"四、下月主要任务{len(pack.next_tasks)}项，专题研讨{len(pack.topics)}个，详见附件。")
    return "\n".join(lines)


def publish_review(
    actor: Any,
    review: MonthlyReview,
    *,
    base_url: str = "",
    sign_by: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> MonthlyReview:
    """Send the pack to the org's subtree as a notice with read-sign, the Word file and the PDF
    attached; once only."""
    from dangjian.notices.services import send_notice

    from . import documents, stats

    now = now or timezone.now()
    require(actor, "publish", review)
    today = timezone.localdate(now)
    if sign_by is None:
        sign_by = today + datetime.timedelta(days=int(rule_value(R.SIGN_DAYS.code, review.county)))
    with transaction.atomic():
        review = MonthlyReview.objects.select_for_update().select_related("org", "county").get(pk=review.pk)
        if review.state == ReviewState.PUBLISHED:
            when = timezone.localtime(review.published_at) if review.published_at else None
            raise DomainError(
                "该月度分析" + (f"已于{when:%Y-%m-%d %H:%M}" if when else "已") + "发布，不能重复发布。"
            )
        before = snapshot(review)
        pack = stats.build_pack(actor, review, today=today)
        base = site_url(base_url)
        stem = f"{review.org.name}{review.month:%Y年%m月}“3+X”工作分析"
        files = [
            ContentFile(documents.build_docx(pack, base), name=f"{stem}.docx"),
            ContentFile(documents.build_pdf(pack, base), name=f"{stem}.pdf"),
        ]
        notice = send_notice(
            actor,
            review.org,
            str(review)[:100],
            notice_body(pack),
            sign_by=sign_by,
            files=files,
            now=now,
        )
        review.state = ReviewState.PUBLISHED
        review.published_at = now
        review.published_by = actor
        review.notice = notice
        review.save(update_fields=["state", "published_at", "published_by", "notice"])
        audit.record(
            actor,
            "reviews.publish",
            review,
            org=review.org,
            before=before,
            after=snapshot(review),
            note=f"发送给{notice.recipient_count}人签阅",
        )
    return review
