"""Pages of the two-down two-up weekly cycle. Thin: reads through the scope layer (and weekly.py's read
helpers), writes through weekly.py; a refusal comes back beside its field (or above the form) with a 400.

Township office: weeks list, 下发本周任务, a week's board (stations and their villages, late or missing in
red). Station chief (on a phone): 本周 — its villages' reports, 分解到各村, 起草汇总, edit, 上报乡镇.
Village: its weekly assignments with the report day and a link to report. County admin: the county's
report day, compile day and cadence."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.excel import xlsx_response
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can, path_q, role_paths, scope_prefixes
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import weekly as W
from . import weekly_forms as F
from . import weekly_rules as WR
from .choices import CompilationState, ListKind
from .models import DISPATCHERS, Assignment, Compilation, Task, WeeklyCycle
from .weekly_tables import CompilationTable, WeeklyAssignmentTable, WeekTable

TABS = (
    ("weekly-mine", "本周"),
    ("weekly-cycle-list", "周工作一览"),
    ("weekly-issue", "下发本周任务"),
    ("compilation-list", "工作站周汇总"),
    ("weekly-assignment-list", "村级周任务"),
    ("weekly-settings", "汇报日设置"),
)
# Who gets each tab (the pages themselves answer 403/404 or an empty list to anyone else).
TAB_ROLES = {
    "weekly-cycle-list": {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.READONLY_LEADER},
    "weekly-issue": {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF},
    "compilation-list": {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.READONLY_LEADER},
}


def tabs_for(user) -> list[tuple[str, str]]:
    roles = {r for r, _ in role_paths(user)}
    return [
        (route, label)
        for route, label in TABS
        if user.is_superuser or route not in TAB_ROLES or roles & TAB_ROLES[route]
    ]


def attach_errors(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def day_text(day: datetime.date | None) -> str:
    return f"{day:%Y-%m-%d}（{WR.weekday_name(day.weekday())}）" if day else "—"


# --- lists ----------------------------------------------------------------------------------------


class WeeklyListView(ScopedListView):
    template_name = "tasks/weekly/list.html"

    def add_links(self) -> list[tuple[str, str]]:
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tabs"] = tabs_for(self.request.user)
        ctx["add_links"] = self.add_links()
        return ctx


def _count(qs, group: str, counted: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated count per row (one subquery, so the page's query count does not grow)."""
    grouped = qs.order_by().values(group).annotate(n=Count(counted, distinct=distinct)).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), Value(0))


class WeekListView(WeeklyListView):
    model = WeeklyCycle
    table_class = WeekTable
    filterset_class = F.WeekFilter
    title = "两下两上周工作一览"
    export_name = "两下两上周工作"

    def base_queryset(self):
        today = timezone.localdate()
        in_list = {"task__task_list_id": OuterRef("task_list_id")}
        submitted = Compilation.objects.filter(cycle=OuterRef("pk"), state=CompilationState.SUBMITTED)
        missing = Assignment.objects.filter(
            **in_list, parent__isnull=False, relayed=False, first_report_at__isnull=True
        ).filter(task__task_list__cycle__report_due__lt=today)
        return WeeklyCycle.objects.select_related("org").annotate(
            n_tasks=_count(Task.objects.filter(task_list_id=OuterRef("task_list_id")), "task_list_id"),
            n_stations=_count(
                Assignment.objects.filter(**in_list, parent__isnull=True),
                "task__task_list_id",
                "org_id",
                True,
            ),
            n_submitted=_count(submitted, "cycle_id"),
            n_late=_count(submitted.filter(late=True), "cycle_id"),
            n_missing=_count(missing, "task__task_list_id"),
        )

    def add_links(self):
        if issuable_townships(self.request.user).exists():
            return [("下发本周任务", reverse("weekly-issue"))]
        return []


class CompilationListView(WeeklyListView):
    model = Compilation
    table_class = CompilationTable
    filterset_class = F.CompilationFilter
    title = "工作站周汇总"
    export_name = "工作站周汇总"

    def base_queryset(self):
        return Compilation.objects.select_related("org", "cycle__org", "submitted_by")


class WeeklyAssignmentListView(WeeklyListView):
    """Leaf weekly assignments in scope: a village sees its own, a station its villages'."""

    model = Assignment
    table_class = WeeklyAssignmentTable
    filterset_class = F.WeeklyAssignmentFilter
    title = "村级周任务（两下两上）"
    export_name = "村级周任务"

    def base_queryset(self):
        return Assignment.objects.filter(
            task__task_list__kind=ListKind.WEEKLY, relayed=False, parent__isnull=False
        ).select_related("org", "parent__org", "task__task_list__cycle")


# --- 下发本周任务 ---------------------------------------------------------------------------------------


def issuable_townships(user):
    qs = Org.objects.restrict(user).filter(kind=OrgKind.TOWNSHIP, archived_at__isnull=True)
    if user.is_superuser:
        return qs.order_by("path")
    prefixes = scope_prefixes(user, DISPATCHERS - {Role.STATION_CHIEF})
    return qs.filter(path_q("path", prefixes)).order_by("path") if prefixes else qs.none()


def _formset_errors(formset, errors: list[DomainError]) -> list[str]:
    """`tasks.<row>.<field>` beside that field of that (non-blank) row; the rest for above the form."""
    filled = [f for f in formset.forms if f.cleaned_task() is not None]
    rest = []
    for err in errors:
        parts = (err.field or "").split(".")
        if len(parts) == 3 and parts[0] == "tasks" and parts[1].isdigit() and int(parts[1]) < len(filled):
            row = filled[int(parts[1])]
            row.add_error(parts[2] if parts[2] in row.fields else None, err.message)
        else:
            rest.append(err.message)
    return rest


class IssueView(LoginRequiredMixin, View):
    route_scope = RouteScope("list", model=WeeklyCycle)
    template_name = "tasks/weekly/issue.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.options = issuable_townships(request.user)
        if not self.options.exists():
            raise PermissionDenied("只有乡镇党建办和县委组织部可以下发周任务清单。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        today = timezone.localdate()
        initial: dict[str, Any] = {}
        township = None
        wanted = request.GET.get("township", "")
        if wanted.isdigit():
            township = self.options.filter(pk=wanted).first()
        if township is None and self.options.count() == 1:
            township = self.options.first()
        if township is not None:
            initial["township"] = township
            initial["week_start"] = W.next_issuable(township, W.week_rules(W.county_of(township)), today)
        else:
            initial["week_start"] = W.monday_of(today) + datetime.timedelta(days=7)
        form = F.IssueForm(initial=initial, townships=self.options)
        formset = F.TaskFormSet(prefix="tasks")
        return self.show(form, formset, township)

    def post(self, request):
        form = F.IssueForm(request.POST, townships=self.options)
        formset = F.TaskFormSet(request.POST, prefix="tasks")
        errors: list[str] = []
        if form.is_valid() and formset.is_valid():
            rows = [t for t in (f.cleaned_task() for f in formset.forms) if t is not None]
            try:
                cycle = W.issue_week(
                    request.user,
                    township=form.cleaned_data["township"],
                    week_start=form.cleaned_data["week_start"],
                    tasks=rows,
                    note=form.cleaned_data.get("note") or "",
                )
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except NotInScope as exc:
                raise Http404("未找到") from exc
            except DomainError as exc:
                others = []
                for err in getattr(exc, "errors", None) or [exc]:
                    if err.field in form.fields:
                        form.add_error(err.field, err.message)
                    else:
                        others.append(err)
                errors = _formset_errors(formset, others)
            else:
                n = cycle.task_list.tasks.count()
                messages.success(request, f"已下发{cycle.week_start:%Y-%m-%d}周任务清单（{n}项）到各工作站。")
                return redirect(cycle.get_absolute_url())
        township = form.cleaned_data.get("township") if hasattr(form, "cleaned_data") else None
        return self.show(form, formset, township, errors=errors, status=400)

    def show(self, form, formset, township, errors=(), status=200):
        rules = W.week_rules(W.county_of(township)) if township is not None else None
        ctx = {
            "title": "下发本周任务（两下两上）",
            "form": form,
            "formset": formset,
            "errors": list(errors),
            "rules": rules,
            "tabs": tabs_for(self.request.user),
            "township": township,
        }
        return render(self.request, self.template_name, ctx, status=status)


# --- a week's board (township) --------------------------------------------------------------------


class CycleDetailView(ScopedObjectMixin, View):
    model = WeeklyCycle

    def get(self, request, pk):
        cycle, user = self.object, request.user
        today = timezone.localdate()
        board = W.week_board(user, cycle, today)
        if request.GET.get("export") == "xlsx":
            return self.export(cycle, board)
        tasks = list(Task.objects.filter(task_list_id=cycle.task_list_id).order_by("sort_order", "pk"))
        ctx = {
            "title": f"{cycle.org.name} {cycle.week_start:%Y-%m-%d}周（两下两上）",
            "cycle": cycle,
            "board": board,
            "tasks": tasks,
            "today": today,
            "report_due": day_text(cycle.report_due),
            "compile_due": day_text(cycle.compile_due),
            "n_late": sum(len(s.late_villages) for s in board),
            "n_missing": sum(len(s.missing_villages) for s in board),
            "tabs": tabs_for(self.request.user),
        }
        return render(request, "tasks/weekly/cycle_detail.html", ctx)

    def export(self, cycle, board):
        rows = []
        for s in board:
            sub = s.compilation.submitted_at if s.compilation else None
            rows.append([s.name, "工作站", s.label, timezone.localtime(sub) if sub else None, ""])
            for v in s.villages:
                first = timezone.localtime(v.first_report) if v.first_report else None
                rows.append([v.name, f"村（{s.name}）", v.label, first, f"{v.reported}/{v.tasks}"])
        name = f"{cycle.org.name}{cycle.week_start:%Y-%m-%d}周两下两上"
        return xlsx_response(
            f"{name}.xlsx",
            "两下两上",
            ["组织", "层级", "状态", "上报/首次汇报时间", "已报任务/任务数"],
            rows,
            title=f"{name}（村级汇报期限{cycle.report_due:%Y-%m-%d}，工作站上报期限{cycle.compile_due:%Y-%m-%d}）",
        )


# --- the station's week ---------------------------------------------------------------------------


def _station_week(request, station: Org, cycle_id: Any):
    cycles = W.station_cycles(request.user, station)
    cycle = None
    if str(cycle_id or "").isdigit():
        cycle = next((c for c in cycles if c.pk == int(cycle_id)), None)
    if cycle is None and cycles:
        today = timezone.localdate()
        cycle = next((c for c in cycles if c.week_start <= today), cycles[-1])
    return cycles, cycle


class StationWeekView(ScopedObjectMixin, View):
    """本周: one station's week (`?cycle=`), for its chief on a phone and for the township office."""

    model = Org

    def get(self, request, pk):
        if self.object.kind != OrgKind.STATION:
            return redirect("weekly-mine")
        return self.show(request.GET.get("cycle"))

    def show(self, cycle_id, *, error: str = "", form=None, status: int = 200):
        station, user = self.object, self.request.user
        today = timezone.localdate()
        cycles, cycle = _station_week(self.request, station, cycle_id)
        ctx: dict[str, Any] = {
            "title": f"{station.name} · 本周两下两上",
            "station": station,
            "cycles": cycles,
            "cycle": cycle,
            "error": error,
            "tabs": tabs_for(self.request.user),
            "today": today,
        }
        if cycle is not None:
            comp = Compilation.objects.restrict(user).filter(cycle=cycle, org=station).first()
            tasks = W.station_tasks(user, cycle, station, today)
            probe = comp or Compilation(cycle=cycle, org=station, county_id=cycle.county_id)
            submitted = comp is not None and comp.state == CompilationState.SUBMITTED
            can_report = can(user, "report", probe)
            relayed = bool(tasks) and all(t["assignment"].relayed for t in tasks)
            held = {v["assignment"].org_id for t in tasks for v in t["villages"]}
            unassigned = [v for v in W.villages_of(station) if v.pk not in held] if relayed else []
            villages: dict[int, dict[str, Any]] = {}
            for t in tasks:
                for v in t["villages"]:
                    row = villages.setdefault(
                        v["assignment"].org_id, {"name": v["assignment"].org.name, "states": []}
                    )
                    row["states"].append(v["state"])
            summary = []
            for row in villages.values():
                s = W.worst(row["states"])
                summary.append({"name": row["name"], "label": W.VILLAGE_LABELS[s], "css": W.STATE_CLASS[s]})
            ctx.update(
                compilation=comp,
                tasks=tasks,
                summary=summary,
                n_late=sum(1 for r in villages.values() if W.worst(r["states"]) == W.LATE),
                n_missing=sum(1 for r in villages.values() if W.worst(r["states"]) == W.MISSING),
                report_due=day_text(cycle.report_due),
                compile_due=day_text(cycle.compile_due),
                state=W.station_state(comp, cycle.compile_due, today),
                can_relay=bool(tasks)
                and not submitted
                and cycle.report_due >= today
                and can(user, "dispatch", tasks[0]["assignment"])
                and (not relayed or bool(unassigned)),
                relayed=relayed,
                can_draft=can_report and not submitted and any(t["assignment"].relayed for t in tasks),
                can_edit=can_report and comp is not None and not submitted,
                form=form or F.CompilationForm(initial={"body": comp.body if comp else ""}),
                can_see_week=can(user, "view", cycle),
            )
            ctx["state_label"] = W.STATION_LABELS[ctx["state"]]
            ctx["state_css"] = W.STATE_CLASS[ctx["state"]]
        return render(self.request, "tasks/weekly/station.html", ctx, status=status)


class StationActionView(StationWeekView):
    """POST 分解到各村 / 起草汇总 for the station's week named by `cycle`."""

    http_method_names = ["post"]
    verb = ""

    def post(self, request, pk):
        if self.object.kind != OrgKind.STATION:
            raise Http404("未找到")
        cycle_id = request.POST.get("cycle")
        _cycles, cycle = _station_week(request, self.object, cycle_id)
        if cycle is None or str(cycle.pk) != str(cycle_id):
            return self.show(None, error="请选择本周任务。", status=400)
        try:
            text = self.act(cycle)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except NotInScope as exc:
            raise Http404("未找到") from exc
        except DomainError as exc:
            return self.show(cycle.pk, error=exc.message, status=400)
        messages.success(request, text)
        return redirect(f"{reverse('weekly-station', args=[self.object.pk])}?cycle={cycle.pk}")

    def act(self, cycle) -> str:
        raise NotImplementedError


class StationRelayView(StationActionView):
    def act(self, cycle):
        made = W.relay_week(self.request.user, cycle, self.object)
        villages = len({a.org_id for a in made})
        return f"已将本周任务分解到{villages}个村（社区），汇报期限{cycle.report_due:%Y-%m-%d}。"


class StationDraftView(StationActionView):
    def act(self, cycle):
        W.draft_compilation(self.request.user, cycle, self.object)
        return "已根据各村汇报起草本周汇总，请核对修改后上报乡镇。"


# --- compilations ---------------------------------------------------------------------------------


def _figures_for_page(figures: Any) -> list[dict[str, Any]]:
    tasks = (figures or {}).get("tasks", []) if isinstance(figures, dict) else []
    out = []
    for t in tasks:
        villages = [
            v
            | {
                "label": W.VILLAGE_LABELS.get(v.get("state"), ""),
                "css": W.STATE_CLASS.get(v.get("state"), ""),
            }
            for v in t.get("villages", [])
        ]
        out.append(t | {"villages": villages})
    return out


class CompilationDetailView(ScopedObjectMixin, View):
    model = Compilation

    def get(self, request, pk):
        return self.show()

    def show(self, form=None, error: str = "", status: int = 200):
        comp, user = self.object, self.request.user
        cycle = comp.cycle
        today = timezone.localdate()
        state = W.station_state(comp, cycle.compile_due, today)
        editable = comp.state == CompilationState.DRAFT and can(user, "report", comp)
        ctx = {
            "title": f"{comp.org.name} {cycle.week_start:%Y-%m-%d}周工作汇总",
            "compilation": comp,
            "cycle": cycle,
            "figures": _figures_for_page(comp.figures),
            "state_label": W.STATION_LABELS[state],
            "state_css": W.STATE_CLASS[state],
            "compile_due": day_text(cycle.compile_due),
            "report_due": day_text(cycle.report_due),
            "editable": editable,
            "form": form or F.CompilationForm(initial={"body": comp.body}),
            "error": error,
            "station_url": f"{reverse('weekly-station', args=[comp.org_id])}?cycle={cycle.pk}",
            "tabs": tabs_for(self.request.user),
        }
        return render(self.request, "tasks/weekly/compilation_detail.html", ctx, status=status)


class CompilationActionView(CompilationDetailView):
    http_method_names = ["post"]
    action = "report"

    def post(self, request, pk):
        form = F.CompilationForm(request.POST)
        try:
            text = self.act(form)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except NotInScope as exc:
            raise Http404("未找到") from exc
        except DomainError as exc:
            self.object.refresh_from_db()
            if self.object.state == CompilationState.DRAFT and exc.field == "body" and "body" in request.POST:
                form = F.CompilationForm(request.POST)
                if form.is_valid():
                    form.add_error("body", exc.message)
                return self.show(form=form, status=400)
            return self.show(error=exc.message, status=400)
        messages.success(request, text)
        back = request.POST.get("next", "")
        if back.startswith("/tasks/weeks/") and "//" not in back:
            return redirect(back)
        return redirect(self.object.get_absolute_url())

    def act(self, form) -> str:
        raise NotImplementedError


class CompilationEditView(CompilationActionView):
    def act(self, form):
        if not form.is_valid():
            raise DomainError("；".join(sum(form.errors.values(), [])), "body")
        W.update_compilation(self.request.user, self.object, body=form.cleaned_data["body"])
        if self.request.POST.get("submit") == "1":
            W.submit_compilation(self.request.user, self.object)
            return "已保存并上报乡镇。"
        return "已保存汇总草稿。"


class CompilationSubmitView(CompilationActionView):
    def act(self, form):
        comp = W.submit_compilation(self.request.user, self.object)
        return "已上报乡镇（逾期上报）。" if comp.late else "已上报乡镇。"


# --- 本周 (by role) and the settings ----------------------------------------------------------------


class MineView(LoginRequiredMixin, View):
    """本周: a station chief to their station's week, a village to its weekly tasks, others to the weeks."""

    route_scope = RouteScope("user")

    def get(self, request):
        paths = {p for r, p in role_paths(request.user) if r == Role.STATION_CHIEF}
        station = (
            Org.objects.filter(path__in=paths, kind=OrgKind.STATION, archived_at__isnull=True)
            .order_by("path")
            .first()
            if paths
            else None
        )
        if station is not None:
            return redirect("weekly-station", pk=station.pk)
        roles = {r for r, _ in role_paths(request.user)}
        if request.user.is_superuser or roles & {
            Role.COUNTY_ADMIN,
            Role.TOWNSHIP_STAFF,
            Role.READONLY_LEADER,
        }:
            return redirect("weekly-cycle-list")
        return redirect("weekly-assignment-list")


def _counties(user) -> list[Org]:
    """Counties whose weekly settings the user may read: those in scope, and the county above each
    org where the user holds a role."""
    ids: set[int] = set()
    for _role, path in role_paths(user):
        ids.update(int(s) for s in path.strip("/").split("/") if s)
    qs = Org.objects.filter(kind=OrgKind.COUNTY, archived_at__isnull=True)
    if user.is_superuser:
        return list(qs.order_by("path")[:500])
    visible = Org.objects.restrict(user).filter(kind=OrgKind.COUNTY).values("pk")
    return list(qs.filter(Q(pk__in=ids) | Q(pk__in=visible)).order_by("path")[:500])


class SettingsView(LoginRequiredMixin, View):
    route_scope = RouteScope("list", model=RuleOverride)

    @cached_property
    def counties(self) -> list[Org]:
        return _counties(self.request.user)

    def county(self, wanted: Any) -> Org | None:
        if str(wanted or "").isdigit():
            return next((c for c in self.counties if c.pk == int(wanted)), None)
        return self.counties[0] if self.counties else None

    def get(self, request):
        county = self.county(request.GET.get("county"))
        form = None
        if county is not None:
            r = W.week_rules(county)
            form = F.SettingsForm(
                initial={
                    "report_weekday": r.report_weekday,
                    "compile_weekday": r.compile_weekday,
                    "cadence_weeks": r.cadence_weeks,
                }
            )
        return self.show(county, form)

    def post(self, request):
        county = self.county(request.POST.get("county"))
        if county is None:
            return self.show(None, None, error="请选择县（区）。", status=400)
        if not can(request.user, "change", RuleOverride(county=county)):
            raise PermissionDenied("只有县委组织部管理员可以设置本县的两下两上汇报日。")
        form = F.SettingsForm(request.POST)
        if form.is_valid():
            try:
                W.set_week_rules(request.user, county, **form.cleaned_data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存{county.name}的两下两上汇报日与周期；已下发的周不受影响。")
                return redirect(f"{reverse('weekly-settings')}?county={county.pk}")
        return self.show(county, form, status=400)

    def show(self, county, form, error: str = "", status: int = 200):
        rules = W.week_rules(county) if county is not None else None
        editable = county is not None and can(self.request.user, "change", RuleOverride(county=county))
        if form is not None and not editable:
            for f in form.fields.values():
                f.disabled = True
        ctx = {
            "title": "两下两上汇报日与周期设置",
            "counties": self.counties,
            "county": county,
            "form": form,
            "rules": rules,
            "editable": editable,
            "error": error,
            "defaults": WR.WEEKLY_RULES,
            "weekday_name": WR.weekday_name,
            "tabs": tabs_for(self.request.user),
        }
        return render(self.request, "tasks/weekly/settings.html", ctx, status=status)
