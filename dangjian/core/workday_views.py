"""The working calendar page: the national holidays and 调休 days of a year, and the county's own days,
which the county admin adds and removes here. Deadlines in working days count with this calendar."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from dangjian.orgs.models import Org

from .errors import DomainError
from .holidays import YEARS, national_adjustments
from .models import WorkdayOverride
from .roles import Role
from .routes import scoped
from .scope import can, get_scoped_or_404
from .views_base import ScopedObjectMixin
from .workdays import remove_workday, set_workday


class WorkdayForm(forms.Form):
    county = forms.ModelChoiceField(queryset=Org.objects.none(), label="县（区）")
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="当天",
        choices=[("0", "放假"), ("1", "上班")],
        coerce=lambda v: v == "1",
    )
    name = forms.CharField(label="说明", max_length=60)
    source = forms.CharField(label="依据", max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Org.objects.restrict(user, "view").filter(kind="county")


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@scoped("list", model=WorkdayOverride)
@login_required
def workday_calendar(request):
    year = _year(request)
    user = request.user
    form = WorkdayForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            county = get_scoped_or_404(Org, user, "view", pk=form.cleaned_data["county"].pk)
            try:
                row = set_workday(
                    user,
                    county,
                    form.cleaned_data["date"],
                    is_workday=form.cleaned_data["is_workday"],
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已登记：{row}。")
                return redirect(f"{request.path}?year={row.date.year}")
        status = 400
    else:
        status = 200
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    national = sorted(national_adjustments(start, end).values(), key=lambda a: a.date)
    county_rows = list(
        WorkdayOverride.objects.restrict(user, "view")
        .filter(date__range=(start, end))
        .select_related("county")
    )
    can_edit = user.is_superuser or any(
        can(user, "add", WorkdayOverride(county=c)) for c in form.fields["county"].queryset
    )
    return render(
        request,
        "core/workdays.html",
        {
            "title": f"{year}年工作日历",
            "year": year,
            "years": sorted(YEARS),
            "national": national,
            "source": YEARS[year].source if year in YEARS else "",
            "county_rows": county_rows,
            "form": form,
            "can_edit": can_edit,
            "Role": Role,
        },
        status=status,
    )


class WorkdayRemoveView(ScopedObjectMixin, View):
    model = WorkdayOverride
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        year = self.object.date.year
        remove_workday(request.user, self.object)
        messages.success(request, "已删除该调整。")
        return redirect(f"/rules/calendar/?year={year}")
