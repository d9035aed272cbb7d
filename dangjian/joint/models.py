"""The team of a joint-village general branch (联村党总支班子, seed 004): its secretary, a member of the
township's leadership, and its deputies, the section chiefs who each look after some of its villages.
Its members (委员) are its villages' branch secretaries: they are read from the villages' two committees,
so a change of village secretary changes the roster with nothing to keep in step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.roles import ALL_ROLES, MANAGERS, Role
from dangjian.core.scope import ScopedManager, ScopeSpec
from dangjian.members.models import mask_phone

from .choices import PostKind

# The township party committee appoints the team; everyone in the subtree may read it.
POLICY = {"view": ALL_ROLES - {Role.DEPT_LIAISON}, "add": MANAGERS, "change": MANAGERS}


class JointPost(models.Model):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="joint_posts", verbose_name="联村党总支"
    )
    kind = models.CharField("职务", max_length=10, choices=PostKind.choices)
    name = models.CharField("姓名", max_length=30)
    title = models.CharField("本职", max_length=60, blank=True, help_text="如：镇党委委员、农业服务中心科长")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_posts",
        verbose_name="平台账号",
    )
    villages = models.ManyToManyField(
        "orgs.Org", blank=True, related_name="joint_deputies", verbose_name="包联村"
    )
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)
    end_reason = models.CharField("离任原因", max_length=100, blank=True)
    demo_source = models.CharField("演示数据来源", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(path="org__path", policy=POLICY)
    audit_fields = ["org_id", "kind", "name", "title", "phone", "user_id", "since", "until", "end_reason"]
    audit_masked = ["phone"]

    class Meta:
        ordering = ["org_id", "kind", "since", "pk"]
        indexes = [models.Index(fields=["org", "kind", "until"], name="joint_post_org_kind_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["org"],
                condition=Q(kind="secretary", until__isnull=True),
                name="joint_one_current_secretary",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="joint_post_span"
            ),
        ]
        verbose_name = verbose_name_plural = "联村党总支班子成员"

    def __str__(self) -> str:
        org = self.org.name if self.org_id else ""
        return f"{self.name}（{org}{self.get_kind_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("joint-org", args=[self.org_id])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
