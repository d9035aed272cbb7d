"""Pages of the cadres' office hours: a village's week (days stacked, so it reads at 375 px), the forms
that call the duty services, and the county/township list of gaps with its Excel export."""

from __future__ import annotations

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views import View
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from dangjian.core.errors import DomainError
from dangjian.core.excel import xlsx_response
from dangjian.core.routes import scoped
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of
from dangjian.orgs.tables import TABLE_ATTRS

from . import duty
from .forms import DutyCheckInForm, DutyEndForm, DutySlotForm
from .models import DutyCheckIn, DutySlot, DutyStatus
from .views import _form_error

WEEK = datetime.timedelta(days=7)


def _monday(value: str | None, today: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - datetime.timedelta(days=day.weekday())


class DutyWeekView(ScopedObjectMixin, View):
    """A village's rota for one week: each day's slots with who was there, the day's gaps in red."""

    model = Org

    def get(self, request, pk):
        org, user = self.object, request.user
        today = timezone.localdate()
        monday = _monday(request.GET.get("week"), today)
        sunday = monday + datetime.timedelta(days=6)
        checks = DutyCheckIn.objects.filter(date__range=(monday, sunday)).select_related("replaced_by")
        slots = list(
            DutySlot.objects.restrict(user)
            .filter(org=org, valid_from__lte=sunday)
            .exclude(valid_until__lt=monday)
            .select_related("post")
            .prefetch_related(Prefetch("check_ins", queryset=checks, to_attr="week_checks"))
            .order_by("start", "pk")
        )
        gaps = duty.gaps(user, monday, sunday, villages=[org.pk], today=today) if monday <= today else []
        by_day: dict[datetime.date, list] = {}
        for gap in gaps:
            if gap.kind != duty.GapKind.NO_ROTA:
                by_day.setdefault(gap.date, []).append(gap)
        county = county_of(org)
        adjust = duty.workday_map(monday, sunday, [county.pk] if county else [])[
            county.pk if county else None
        ]
        days = []
        for i in range(7):
            day = monday + datetime.timedelta(days=i)
            rows = []
            for slot in slots:
                if slot.applies_on(day):
                    check = next((c for c in slot.week_checks if c.date == day), None)
                    rows.append({"slot": slot, "check": check, "past": day <= today})
            days.append(
                {
                    "date": day,
                    "workday": duty.is_workday(adjust, day),
                    "rows": rows,
                    "gaps": by_day.get(day, []),
                }
            )
        return render(
            request,
            "villages/duty_week.html",
            {
                "title": f"{org.name} 村干部坐班值班",
                "org": org,
                "days": days,
                "monday": monday,
                "prev": monday - WEEK,
                "next": monday + WEEK,
                "this_week": _monday(None, today),
                "no_rota": [g for g in gaps if g.kind == duty.GapKind.NO_ROTA],
                "can_change": can(user, "change", DutySlot(org=org)),
                "today": today,
            },
        )


class _DutyForm(ScopedObjectMixin, View):
    """A rota form on one village; subclasses give `form(data, initial)` and `save(request, data)`."""

    heading = ""

    def village(self) -> Org:
        return self.object.org

    def check(self, request):
        if not can(request.user, "change", DutySlot(org=self.village())):
            raise PermissionDenied("您的角色无权执行此操作。")

    def get(self, request, pk):
        self.check(request)
        return self.page(request, self.form(initial=self.initial(request)))

    def initial(self, request):
        return {}

    def post(self, request, pk):
        self.check(request)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                done = self.save(request, form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, done)
                week = getattr(self, "week_of", None)
                url = reverse("village-duty", args=[self.village().pk])
                return redirect(f"{url}?week={week:%Y-%m-%d}" if week else url)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        org = self.village()
        return render(
            request,
            "villages/duty_form.html",
            {"title": f"{org.name} {self.heading}", "form": form, "org": org},
            status=status,
        )


class DutySlotCreateView(_DutyForm):
    model = Org
    heading = "安排坐班值班"

    def village(self) -> Org:
        return self.object

    def form(self, data=None, initial=None):
        return DutySlotForm(data, initial=initial, posts=duty.on_duty_posts(self.object))

    def initial(self, request):
        return {"start": "08:30", "end": "12:00", "date": request.GET.get("date")}

    def save(self, request, data):
        slot = duty.add_slot(request.user, self.object, **data)
        self.week_of = slot.valid_from
        return f"已安排：{slot.post.name} {slot}。"


class DutyCheckInView(_DutyForm):
    model = DutySlot
    heading = "登记值班情况"

    def form(self, data=None, initial=None):
        return DutyCheckInForm(data, initial=initial, posts=duty.on_duty_posts(self.object.org))

    def initial(self, request):
        return {"date": request.GET.get("date"), "status": DutyStatus.PRESENT}

    def save(self, request, data):
        row = duty.check_in(request.user, self.object, **data)
        self.week_of = row.date
        return f"已登记：{row.date:%Y-%m-%d} {self.object.post.name} {row.get_status_display()}。"


class DutyEndView(_DutyForm):
    model = DutySlot
    heading = "结束值班安排"

    def form(self, data=None, initial=None):
        return DutyEndForm(data, initial=initial)

    def save(self, request, data):
        slot = duty.end_slot(request.user, self.object, until=data["until"])
        return f"已结束：{slot.post.name} {slot}，截至{slot.valid_until:%Y-%m-%d}。"


# --- the list of gaps --------------------------------------------------------------------------------


class GapFilter(django_filters.FilterSet):
    """Filters of the gap list (over computed rows, so the methods read the form, not a queryset)."""

    q = django_filters.CharFilter(label="搜索村名")
    township = django_filters.ModelChoiceFilter(queryset=Org.objects.none(), label="乡镇")
    kind = django_filters.ChoiceFilter(choices=duty.GapKind.choices, label="缺口类别")
    start = django_filters.DateFilter(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = Org
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = (
            Org.objects.restrict(user).filter(kind=OrgKind.TOWNSHIP).order_by("path")
        )


class GapTable(tables.Table):
    date = tables.DateColumn(format="Y-m-d", verbose_name="日期")
    township = tables.Column(verbose_name="乡镇")
    org_name = tables.Column(verbose_name="村（社区）")
    kind_label = tables.Column(verbose_name="缺口类别", order_by=("kind",))
    detail = tables.Column(verbose_name="说明", orderable=False)

    class Meta:
        attrs = TABLE_ATTRS

    def render_org_name(self, record, value):
        week = f"?week={record.date:%Y-%m-%d}" if record.date else ""
        return format_html(
            '<a href="{}{}">{}</a>', reverse("village-duty", args=[record.org_id]), week, value
        )

    def render_kind_label(self, record, value):
        css = "status-amber" if record.kind == duty.GapKind.ABSENT else "status-red"
        return format_html('<span class="{} fw-semibold">{}</span>', css, value)

    def value_kind_label(self, value):
        return value

    def value_org_name(self, value):
        return value


@scoped("list", model=DutySlot, exports=True)
@login_required
@require_GET
def duty_gaps(request):
    """The county's or township's gaps of the village cadres' office hours, as a list and in Excel."""
    user, today = request.user, timezone.localdate()
    filterset = GapFilter(request.GET or None, queryset=Org.objects.none(), user=user)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end.replace(day=1)
    villages = Org.objects.restrict(user).filter(kind__in=duty.VILLAGE_KINDS)
    if data.get("township"):
        villages = villages.filter(path__startswith=data["township"].path)
    if data.get("q"):
        villages = villages.filter(name__icontains=data["q"])
    rows = duty.gaps(user, start, end, villages=villages, today=today)
    if data.get("kind"):
        rows = [g for g in rows if g.kind == data["kind"]]
    title = "村干部坐班值班缺口"
    if request.GET.get("export") == "xlsx":
        stamp = timezone.localtime()
        return xlsx_response(
            f"{title}-{stamp:%Y%m%d-%H%M}.xlsx",
            title,
            ["日期", "乡镇", "村（社区）", "缺口类别", "说明"],
            ([g.date, g.township, g.org_name, g.kind_label, g.detail] for g in rows),
            title=f"{title}（{start:%Y-%m-%d}至{min(end, today):%Y-%m-%d}，导出时间 {stamp:%Y-%m-%d %H:%M}）",
        )
    table = GapTable(rows, order_by="date")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/list.html",
        {
            "title": f"{title}（{start:%Y-%m-%d}至{min(end, today):%Y-%m-%d}）",
            "filter": filterset,
            "table": table,
            "export_query": query.urlencode(),
        },
    )
