"""The 3+X monthly analysis (MonthlyReview): at the end of each month the county organisation department
(or a township's party-building office) reviews its townships (or stations / villages) with "3" fixed
parts — the completion of the month's key tasks, the published scorecard (praise for the best,
rectification demands for the weakest) and next month's main tasks — plus "X" special topics with the
departments invited (source: 五寨县 “3+X”机制, seeds 000).

The figures are never stored: they are read live from the tasks and the findings (reviews/stats.py)
each time the page or a file is produced. What people write (praise and rectification notes, next
month's tasks text, the topics) is stored here; publishing sends the pack to the subtree as a notice
with read-sign (notices.services.send_notice) with the Word file and the PDF attached."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.roles import MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec

# The office staff who run the analysis and the leaders who chair it read it; writing is for the
# county organisation department and the township office.
REVIEW_READERS: frozenset[str] = MANAGERS | {Role.READONLY_LEADER}
REVIEW_POLICY = {"view": REVIEW_READERS, "add": MANAGERS, "change": MANAGERS, "publish": MANAGERS}


class ReviewState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class MonthlyReview(models.Model):
    """One month's 3+X analysis of a county (over its townships) or a township (over its stations or
    villages)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="monthly_reviews", verbose_name="组织"
    )
    county = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="县")
    month = models.DateField("月份", db_index=True, help_text="当月1日")
    state = models.CharField("状态", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    praise_note = models.TextField("表扬意见", max_length=3000, blank=True)
    rectification_note = models.TextField("整改要求", max_length=3000, blank=True)
    next_tasks_text = models.TextField(
        "下月主要任务（补充）", max_length=5000, blank=True, help_text="列在下月任务清单之后"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布通知",
    )

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=REVIEW_POLICY)
    audit_fields = [
        "org_id",
        "month",
        "state",
        "praise_note",
        "rectification_note",
        "next_tasks_text",
        "published_at",
        "notice_id",
    ]

    class Meta:
        ordering = ["-month", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="monthlyreview_one_per_month")]
        indexes = [models.Index(fields=["county", "month"], name="monthlyreview_county_month")]
        verbose_name = verbose_name_plural = "3+X月度分析"

    def __str__(self) -> str:
        return f"{self.org.name}{self.month.year}年{self.month.month}月“3+X”工作分析"

    def get_absolute_url(self) -> str:
        return reverse("review-detail", args=[self.pk])

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def is_published(self) -> bool:
        return self.state == ReviewState.PUBLISHED


class ReviewTopic(models.Model):
    """An "X": a special topic on the agenda, with the county department invited to explain a policy
    and the notes of what was settled on the spot."""

    review = models.ForeignKey(
        MonthlyReview, on_delete=models.CASCADE, related_name="topics", verbose_name="月度分析"
    )
    title = models.CharField("专题", max_length=100)
    agenda = models.TextField("议程", max_length=2000, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="邀请部门",
    )
    notes = models.TextField(
        "研讨纪要", max_length=5000, blank=True, help_text="政策解读要点、现场解决的问题"
    )
    sort_order = models.IntegerField("排序", default=0)

    objects = ScopedManager()
    scope = ScopeSpec(path="review__org__path", policy=REVIEW_POLICY)
    audit_fields = ["title", "agenda", "department_id", "notes", "sort_order"]

    class Meta:
        ordering = ["review_id", "sort_order", "pk"]
        verbose_name = verbose_name_plural = "专题研讨"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("review-detail", args=[self.review_id]) + f"#topic-{self.pk}"
