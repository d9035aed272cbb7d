"""Pages of the joint branches: the list, each org's rosters (a joint branch its own; a township or county
all of theirs), appointing to the team and ending a post. Thin: reads through selectors, writes through
services; a refused write shows the service's Chinese message beside its field with a 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from dangjian.core.excel import xlsx_response
from dangjian.core.scope import can
from dangjian.core.views_base import FormPageMixin, ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import JointBranchFilter
from .forms import AppointForm, EndForm
from .models import JointPost
from .tables import JointBranchTable


class JointListView(ScopedListView):
    model = Org
    table_class = JointBranchTable
    filterset_class = JointBranchFilter
    title = "联村党总支"

    def get_queryset(self):
        return selectors.joint_branches(self.request.user)


def _joints_under(user, org: Org):
    return list(selectors.joint_branches(user).filter(path__startswith=org.path).order_by("path"))


def _may_appoint(user, joints) -> bool:
    return any(can(user, "add", JointPost(org=j)) for j in joints)


class JointOrgView(ScopedObjectMixin, View):
    """The rosters of the joint branches at or under an org, with the powers each county has turned on."""

    model = Org

    def get(self, request, pk):
        org, user = self.object, request.user
        rosters = selectors.rosters(user, _joints_under(user, org))
        if request.GET.get("export") == "xlsx":
            return _export(org, rosters)
        ctx = {
            "title": org.name if org.kind == OrgKind.JOINT_BRANCH else f"{org.name}：联村党总支",
            "org": org,
            "rosters": rosters,
            "may_appoint": _may_appoint(user, [r.joint for r in rosters]),
            "may_end": {
                p.pk for r in rosters for p in [r.secretary, *r.deputies] if p and can(user, "change", p)
            },
        }
        return render(request, "joint/org.html", ctx)


def _export(org: Org, rosters):
    rows = []
    for r in rosters:
        township = r.joint.parent.name if r.joint.parent_id else ""
        for p in [r.secretary, *r.deputies]:
            if p is None:
                continue
            villages = "、".join(v.name for v in p.villages.all())
            rows.append(
                [
                    township,
                    r.joint.name,
                    p.get_kind_display(),
                    p.name,
                    p.title,
                    villages,
                    p.phone_masked,
                    p.since,
                ]
            )
        for village, holder in r.members:
            name, since = (holder.name, holder.since) if holder else ("（空缺）", None)
            rows.append([township, r.joint.name, "委员", name, "村党支部书记", village.name, "", since])
    stamp = timezone.localtime()
    return xlsx_response(
        f"{org.name}-联村党总支班子-{stamp:%Y%m%d-%H%M}.xlsx",
        "联村党总支班子",
        ["乡镇", "联村党总支", "职务", "姓名", "本职", "包联村/所在村", "联系电话", "任职日期"],
        rows,
        title=f"{org.name}联村党总支班子（导出时间 {stamp:%Y-%m-%d %H:%M}）",
    )


class AppointView(FormPageMixin, ScopedObjectMixin, View):
    """Put someone on the team of a joint branch at or under the org (the township office or the county)."""

    model = Org
    form_template = "joint/form.html"

    @property
    def heading(self):
        return f"{self.object.name}：联村党总支班子任职"

    def back_url(self):
        return reverse("joint-org", args=[self.object.pk])

    def make_form(self, data=None):
        user = self.request.user
        joints = [j for j in _joints_under(user, self.object) if can(user, "add", JointPost(org=j))]
        if not joints:
            raise PermissionDenied("您的角色无权任命联村党总支班子成员，或该组织下没有联村党总支。")
        villages = (
            Org.objects.restrict(user, "view")
            .filter(
                path__startswith=self.object.path, kind__in=services.VILLAGE_KINDS, archived_at__isnull=True
            )
            .order_by("path")
        )
        return AppointForm(
            data, joints=Org.objects.filter(pk__in=[j.pk for j in joints]).order_by("path"), villages=villages
        )

    def save(self, form):
        data = dict(form.cleaned_data)
        post = services.appoint(self.request.user, data.pop("org"), **data)
        return reverse("joint-org", args=[post.org_id]), f"已登记{post}。"


class EndPostView(FormPageMixin, ScopedObjectMixin, View):
    model = JointPost
    action = "change"
    form_template = "joint/form.html"

    @property
    def heading(self):
        return f"{self.object}离任"

    def back_url(self):
        return reverse("joint-org", args=[self.object.org_id])

    def make_form(self, data=None):
        return EndForm(data)

    def save(self, form):
        post = services.end_post(self.request.user, self.object, **form.cleaned_data)
        return reverse("joint-org", args=[post.org_id]), f"{post.name}已离任。"
