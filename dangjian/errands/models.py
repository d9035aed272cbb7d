"""Errands for residents (群众事项代办, seeds 002 and 004) outside the case itself: the catalogue of
errands a township publishes with their documents and promised days, the service centres and their
half-day schedule with the departments that come, and staff diaries (民情日记) that can become cases.

A received errand is a Case of kind "errand" (dangjian.cases); this app holds what surrounds it."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, MANAGERS, WORKERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Stores Chinese as written (not as \\u escapes), so a plain text search finds a section by name
    on SQLite as on PostgreSQL."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


VIEWERS = ALL_ROLES - {Role.DEPT_LIAISON}
CATALOGUE = {"view": VIEWERS, "add": MANAGERS, "change": MANAGERS}
DIARY = {"view": VIEWERS - {Role.GRID_LEADER}, "add": WORKERS, "change": WORKERS}


class ErrandService(models.Model):
    """One errand in a township's published catalogue (e.g. 安定镇: 3 categories, 19 services)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="errand_services", verbose_name="乡镇"
    )
    category = models.CharField("类别", max_length=40)
    name = models.CharField("事项名称", max_length=80)
    documents = models.TextField("所需材料", max_length=1000, blank=True, help_text="每行一项")
    promised_days = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    handled_by = models.CharField("承办科室（部门）", max_length=60, blank=True)
    published = models.BooleanField("已公开", default=True)
    sort_order = models.IntegerField("排序", default=0)
    archived_at = models.DateTimeField("停用时间", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=CATALOGUE)
    audit_fields = [
        "org_id",
        "category",
        "name",
        "documents",
        "promised_days",
        "handled_by",
        "published",
        "sort_order",
        "archived_at",
    ]

    class Meta:
        ordering = ["org_id", "sort_order", "category", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="errandservice_unique_name")]
        verbose_name = verbose_name_plural = "代办事项目录"

    def __str__(self) -> str:
        return self.name

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]


class ServiceCentre(models.Model):
    """A convenience service centre (便民服务中心/点) of a township where departments sit on set half-days."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="service_centres", verbose_name="所在组织"
    )
    name = models.CharField("名称", max_length=60)
    place = models.CharField("地点", max_length=120, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    archived_at = models.DateTimeField("停用时间", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=CATALOGUE)
    audit_fields = ["org_id", "name", "place", "phone", "archived_at"]

    class Meta:
        ordering = ["org_id", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="servicecentre_unique_name")]
        verbose_name = verbose_name_plural = "便民服务中心"

    def __str__(self) -> str:
        return self.name


class ServiceSession(models.Model):
    """A half-day on which a centre is open and which township sections or departments come to serve
    (安定镇: 5 centres, 5 half-days a month, 8 sections such as 司法、规划、民政)."""

    class Half(models.TextChoices):
        AM = "am", "上午"
        PM = "pm", "下午"

    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.CASCADE, related_name="sessions", verbose_name="中心"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在组织")
    date = models.DateField("日期")
    half = models.CharField("时段", max_length=2, choices=Half.choices, default=Half.AM)
    sections = models.JSONField("下村科室（部门）", default=list, blank=True, encoder=UnicodeJSONEncoder)
    note = models.CharField("说明", max_length=200, blank=True)
    served = models.PositiveIntegerField("服务群众人次", null=True, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=CATALOGUE)
    audit_fields = ["centre_id", "org_id", "date", "half", "sections", "note", "served"]

    class Meta:
        ordering = ["date", "half", "centre_id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date", "half"], name="servicesession_unique_slot")
        ]
        indexes = [models.Index(fields=["org", "date"], name="servicesession_org_date_idx")]
        verbose_name = verbose_name_plural = "便民服务日程"

    def __str__(self) -> str:
        return f"{self.centre.name} {self.date:%Y-%m-%d}{self.get_half_display()}"


class Diary(models.Model):
    """A staff member's people's-conditions diary (民情日记): whom they met, what they heard.

    Anything that needs doing is opened as a case in one step; the case points back here."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diaries", verbose_name="记录人"
    )
    written_on = models.DateField("日期")
    visited = models.CharField("走访对象", max_length=100, blank=True)
    content = models.TextField("民情记录", max_length=2000)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=DIARY)
    audit_fields = ["org_id", "author_id", "written_on", "visited", "content"]

    class Meta:
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["org", "written_on"], name="diary_org_date_idx")]
        verbose_name = verbose_name_plural = "民情日记"

    def __str__(self) -> str:
        return f"{self.written_on:%Y-%m-%d} {self.content[:20]}"

    def get_absolute_url(self) -> str:
        return reverse("diary-detail", args=[self.pk])
