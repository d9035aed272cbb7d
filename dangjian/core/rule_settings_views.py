"""The county's rule settings page: every rule a county may set for itself, the value in force there
and the document behind it; the county organisation department changes a value here."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from dangjian.orgs.models import Org

from .errors import DomainError
from .models import RuleOverride
from .routes import scoped
from .rule_settings import overridable_rules, set_county_rule
from .scope import can


@scoped("list", model=RuleOverride)
@login_required
def county_rules(request):
    user = request.user
    counties = list(Org.objects.restrict(user, "view").filter(kind="county").order_by("path"))
    wanted = request.POST.get("county") or request.GET.get("county") or ""
    county = next((c for c in counties if str(c.pk) == wanted), None)
    if request.method == "POST" and county is None:
        raise Http404  # a county outside the user's scope reads as absent
    county = county or (counties[0] if counties else None)
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        posted = {k: request.POST.get(k, "") for k in ("code", "value", "source", "effective_from")}
        try:
            effective = (
                datetime.date.fromisoformat(posted["effective_from"]) if posted["effective_from"] else None
            )
        except ValueError:
            errors[code] = "生效日期格式应为 2026-01-01。"
        else:
            try:
                set_county_rule(
                    user, county, code, posted["value"], source=posted["source"], effective_from=effective
                )
            except DomainError as exc:
                errors[code] = exc.message
            else:
                messages.success(request, f"已设置{county.name}的规则 {code}。")
                return redirect(f"{request.path}?county={county.pk}")
        status = 400
    overrides = (
        {o.code: o for o in RuleOverride.objects.restrict(user).filter(county=county)}
        if county is not None
        else {}
    )
    rows = [
        {
            "rule": r,
            "override": overrides.get(r.code),
            "is_bool": isinstance(r.value, bool),
            "error": errors.get(r.code, ""),
            "posted": posted if posted.get("code") == r.code else {},
        }
        for r in overridable_rules()
    ]
    return render(
        request,
        "core/county_rules.html",
        {
            "title": f"{county.name if county else ''}县级规则设置",
            "counties": counties,
            "county": county,
            "rows": rows,
            "can_edit": county is not None and can(user, "change", RuleOverride(county=county)),
        },
        status=status,
    )
