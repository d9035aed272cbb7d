"""Deputies' liaison (代表委员联络): party congress deputies, people's congress deputies and political
consultative (政协) members in a work station's area; their contacts with branches and residents; the
consultation meetings (协商议事会) they attend.

Every row carries the station (or other org) it belongs to as `org`, so the scope layer reads it by path."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.villages.models import VILLAGE_POLICY

from .choices import ContactWay, DeputyKind, Level


class Deputy(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="联络站（所在区域）"
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_rows",
        verbose_name="人员档案",
    )
    name = models.CharField("姓名", max_length=40)
    kind = models.CharField("类别", max_length=10, choices=DeputyKind.choices)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    unit = models.CharField("工作单位及职务", max_length=100, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["org_id", "person_id", "name", "kind", "level", "term_start", "term_end", "unit"]

    class Meta:
        ordering = ["org_id", "kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="liaison_term_span"
            ),
            models.UniqueConstraint(
                fields=["org", "name", "kind", "level", "term_start"], name="liaison_deputy_unique"
            ),
        ]
        verbose_name = verbose_name_plural = "代表委员"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("liaison-deputy-detail", args=[self.pk])


class Contact(models.Model):
    """A deputy's contact with a branch or a resident: when, with whom, about what, what came of it."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="contacts", verbose_name="代表委员"
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="联络站")
    branch = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="联系支部"
    )
    resident_name = models.CharField("联系群众", max_length=40, blank=True)
    way = models.CharField("方式", max_length=20, choices=ContactWay.choices, default=ContactWay.VISIT)
    contacted_on = models.DateField("日期")
    topic = models.CharField("事由", max_length=200)
    outcome = models.CharField("结果", max_length=500)
    case_ref = models.CharField(
        "问题台账编号", max_length=40, blank=True, help_text="需转问题台账办理的，填写台账受理编号"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = [
        "deputy_id",
        "branch_id",
        "resident_name",
        "way",
        "contacted_on",
        "topic",
        "outcome",
        "case_ref",
    ]

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["deputy", "contacted_on"], name="liaison_contact_deputy_idx")]
        verbose_name = verbose_name_plural = "代表委员联系记录"

    def __str__(self) -> str:
        return f"{self.deputy.name if self.deputy_id else ''} {self.contacted_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("liaison-deputy-detail", args=[self.deputy_id])


class Consultation(models.Model):
    """A consultation meeting (协商议事会) of a station: date, topic, the deputies attending, the result."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="联络站")
    held_on = models.DateField("日期")
    topic = models.CharField("议题", max_length=200)
    place = models.CharField("地点", max_length=100, blank=True)
    result = models.CharField("协商结果", max_length=500)
    attendees = models.ManyToManyField(Deputy, related_name="consultations", verbose_name="参会代表委员")
    others = models.CharField("其他参会人员", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=VILLAGE_POLICY)
    audit_fields = ["org_id", "held_on", "topic", "place", "result", "others"]

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = verbose_name_plural = "协商议事会"

    def __str__(self) -> str:
        return f"{self.org.name if self.org_id else ''} {self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("liaison-consultation-detail", args=[self.pk])
