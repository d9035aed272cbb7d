"""Core tables: the audit trail and per-county rule overrides."""

from django.conf import settings
from django.db import models

from .roles import ALL_ROLES, Role
from .scope import ScopedManager, ScopedQuerySet, ScopeSpec


class AppendOnlyQuerySet(ScopedQuerySet):
    """Bulk update and delete are refused too: the audit trail is append-only."""

    def update(self, **kwargs):
        raise RuntimeError("AuditEvent rows are append-only")

    def delete(self):
        raise RuntimeError("AuditEvent rows are append-only")


class AuditEvent(models.Model):
    """One write, recorded in the same transaction as the write. Never edited, never deleted."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=100)
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属组织"
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    object_repr = models.CharField("对象", max_length=200)
    before = models.JSONField("修改前", default=dict)
    after = models.JSONField("修改后", default=dict)
    note = models.CharField("说明", max_length=300, blank=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    scope = ScopeSpec(path="org__path", policy={"view": ALL_ROLES - {Role.DEPT_LIAISON, Role.GRID_LEADER}})

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = verbose_name_plural = "操作记录"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise RuntimeError("AuditEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("AuditEvent rows are append-only")

    def get_action_display(self) -> str:
        from .audit_labels import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class RuleOverride(models.Model):
    """A county's own value for a rule whose national value is a default (e.g. station size)."""

    county = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="rule_overrides", verbose_name="县"
    )
    code = models.CharField("规则代码", max_length=60)
    value = models.JSONField("取值")
    source = models.CharField("依据", max_length=200)
    effective_from = models.DateField("生效日期")

    objects = ScopedManager()
    scope = ScopeSpec(
        path="county__path", policy={"view": ALL_ROLES, "change": frozenset({Role.COUNTY_ADMIN})}
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "code"], name="rule_override_unique")]
        verbose_name = verbose_name_plural = "县级规则取值"

    def __str__(self) -> str:
        return f"{self.county} {self.code}={self.value}"


class WorkdayOverride(models.Model):
    """A county's own change to the working calendar: a local day off, or a weekend day worked.
    The national calendar (dangjian.core.holidays) applies where a county has no row for the day."""

    county = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="workday_overrides", verbose_name="县"
    )
    date = models.DateField("日期")
    is_workday = models.BooleanField("是否上班")
    name = models.CharField("说明", max_length=60)
    source = models.CharField("依据", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    scope = ScopeSpec(
        path="county__path",
        policy={
            "view": ALL_ROLES,
            "change": frozenset({Role.COUNTY_ADMIN}),
            "add": frozenset({Role.COUNTY_ADMIN}),
        },
    )
    audit_fields = ["county_id", "date", "is_workday", "name", "source"]

    class Meta:
        ordering = ["county_id", "date"]
        constraints = [models.UniqueConstraint(fields=["county", "date"], name="workday_override_unique")]
        verbose_name = verbose_name_plural = "县级工作日调整"

    def __str__(self) -> str:
        state = "上班" if self.is_workday else "放假"
        return f"{self.county.name if self.county_id else ''} {self.date:%Y-%m-%d} {state}（{self.name}）"
