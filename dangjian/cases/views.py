"""Pages of the case engine: the case list with its tabs and ledger export, a case's page with the
actions its reader may take now, the forms that open and edit a case, evidence downloads, and the
county's categories. Thin: reads through the scope layer and selectors, writes through services, and
a refusal is shown beside its field with a 400 (the POST routes are in action_views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.excel import xlsx_response
from dangjian.core.roles import MANAGERS, Role
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can, get_scoped_or_404, role_paths, scope_prefixes, side_ids
from dangjian.core.uploads import extension
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.errands.models import Diary
from dangjian.office.models import FieldVisit
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.stations.models import StationInspection

from . import forms as F
from . import services, stats
from .choices import CaseKind, EventType, Level, RouteState, Source
from .filtersets import VIEWS, CaseFilter, CategoryFilter
from .kinds import KINDS, LEADS
from .models import Case, CaseEvent, CaseFile, CaseRoute, Category
from .tables import NOTE, CaseLedgerTable, CaseTable, CategoryTable, Colours

CONFLICT = "该案件刚被他人办理，请刷新后再试。"
ESCALATORS = frozenset(
    {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY, Role.GRID_LEADER}
)
RECORDERS = frozenset({Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY})
SAFE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CASE_RELATED = (
    "org",
    "township",
    "station",
    "county",
    "category",
    "owner",
    "acceptor",
    "accepted_by",
    "closed_by",
    "opened_by",
    "grid",
    "service",
    "field_visit",
    "diary",
    "inspection",
)


def attach_errors(form, exc: DomainError) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


def sees_resident_phone(user: Any, case: Case) -> bool:
    """The owner and the township office or county see a resident's full phone; others see it masked.
    Reads the user's role paths (cached) and the case's org path: no query."""
    if user.is_superuser or (case.owner_id and case.owner_id == user.pk):
        return True
    path = case.org.path
    return any(r in MANAGERS and path.startswith(p) for r, p in role_paths(user))


def counties_of(user: Any) -> list[str]:
    """Paths of the counties the user works in (whose people, categories and departments they choose)."""
    return list(F.orgs_around(user, OrgKind.COUNTY).values_list("path", flat=True))


def openable_kinds(user: Any) -> list[tuple[str, str]]:
    """The kinds of case the user may open somewhere, with their labels."""
    kinds = []
    for kind, spec in KINDS.items():
        places = F.opening_grids(user) if kind == CaseKind.WHISTLE else F.opening_orgs(user, kind)
        if places.exists():
            kinds.append((kind, spec.label))
    return kinds


# --- the list ---------------------------------------------------------------------------------------


def case_rows():
    """Everything a row of the list shows, in a fixed number of queries whatever the row count."""
    routes = CaseRoute.objects.select_related("department").order_by("-lead", "pk")
    return Case.objects.select_related("org", "township", "owner", "category", "grid").prefetch_related(
        Prefetch("routes", queryset=routes)
    )


def ledger_rows(qs):
    """The ledger export's rows: co-owners, acceptor and the number of supervisions (督办次数)."""
    supervised = (
        CaseEvent.objects.filter(case=OuterRef("pk"), type=EventType.SUPERVISE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("acceptor", "accepted_by")
        .prefetch_related("co_owners")
        .annotate(n_supervised=Coalesce(Subquery(supervised), 0))
    )


class CaseListView(ScopedListView):
    model = Case
    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "cases/list.html"
    title = "案件"
    export_name = "案件台账"

    def base_queryset(self):
        return case_rows()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        current = query.pop("view", ["all"])[-1] or "all"
        rest = query.urlencode()
        ctx["tabs"] = [(code, label, f"?view={code}{'&' + rest if rest else ''}") for code, label in VIEWS]
        ctx["current_view"] = current
        kind = self.request.GET.get("kind")
        ctx["title"] = KINDS[kind].label if kind in KINDS else "问题台账、代办与吹哨"
        ctx["new_kinds"] = openable_kinds(self.request.user)
        ctx["notes"] = NOTE
        metric, _, month = self.request.GET.get("ledger", "").partition(":")
        if metric in stats.LEDGER_METRICS:
            ctx["ledger"] = f"月度台账 {month} “{stats.LEDGER_METRICS[metric]}”"
        return ctx

    def export(self):
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
        table = CaseLedgerTable(ledger_rows(qs))
        values = iter(table.as_values())
        headers = next(values)
        now = timezone.localtime()
        name = self.export_name
        return xlsx_response(
            f"{name}-{now:%Y%m%d-%H%M}.xlsx",
            name,
            headers,
            values,
            title=f"{name}（导出时间 {now:%Y-%m-%d %H:%M}）",
        )


# --- a case's page ----------------------------------------------------------------------------------


def may_edit(user: Any, case: Case, roles: set[str]) -> bool:
    """The owner or a lead (station, township, county), as services.update_case and hand_over check."""
    return user.is_superuser or (bool(case.owner_id) and case.owner_id == user.pk) or bool(roles & LEADS)


def allowed(user: Any, case: Case, routes: list[CaseRoute]) -> dict[str, Any]:
    """What the user may do on the case now, for its buttons. The services remain the guard; these
    mirror their checks so a page never offers what would be refused."""
    roles = services.roles_on(user, case)
    su = user.is_superuser
    lead = su or bool(roles & LEADS)
    running = not case.is_closed
    route_t = case.spec.transition("route")
    departments = side_ids(user)[1]
    pending = [r for r in routes if r.state == RouteState.PENDING and (su or r.department_id in departments)]
    return {
        "transitions": [t for t in services.available(user, case) if t.code not in ("route", "answer")],
        "route": route_t is not None and services.refusal(user, case, route_t) is None,
        "decide": bool(pending) and (su or Role.DEPT_LIAISON in roles),
        "supervise": lead and running,
        "note": can(user, "act", case),
        "handover": may_edit(user, case, roles) and running,
        "reopen": (su or bool(roles & case.spec.reopen_roles)) and case.state in case.spec.reopen_from,
        "escalate": (su or bool(roles & ESCALATORS)) and running and case.level < Level.COUNTY,
        "publish": lead,
        "unpublish": lead and case.published_at is not None,
        "satisfaction": (su or bool(roles & RECORDERS)) and case.is_closed,
        "edit": may_edit(user, case, roles) and running,
    }


TRANSITION_STYLE = {
    "accept": "btn-success",
    "sign_off": "btn-success",
    "reject": "btn-outline-danger",
}


class CasePage:
    """Builds a case's page; a refused POST passes its bound form (by panel key) so what was typed
    stays and the message sits beside its field."""

    def __init__(self, request, case: Case):
        self.request, self.user = request, request.user
        self.case = Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)

    def render(self, status: int = 200, bound: dict[str, Any] | None = None) -> Any:
        case, user, bound = self.case, self.user, bound or {}
        routes = list(case.routes.select_related("department", "decided_by", "routed_by"))
        events = list(case.events.prefetch_related("files").order_by("at", "pk"))
        states = case.spec.states
        for e in events:
            e.case = case
            e.from_label, e.to_label = states.get(e.from_state, ""), states.get(e.to_state, "")
        may = allowed(user, case, routes)
        panels = self.panels(may, routes, bound)
        shown = {p["key"] for p in panels}
        errors = [
            str(e)
            for key, form in bound.items()
            if key not in shown
            for field_errors in form.errors.values()
            for e in field_errors
        ]
        colours = Colours()
        status_code = colours.status(case)
        ctx = {
            "title": f"{case.receipt_no} {case.title}",
            "case": case,
            "routes": routes,
            "events": events,
            "loose_files": list(case.files.filter(event__isnull=True)),
            "co_owners": list(case.co_owners.all()),
            "phone": case.resident_phone if sees_resident_phone(user, case) else case.resident_phone_masked,
            "deadline_status": status_code,
            "deadline_note": NOTE.get(status_code, ""),
            "panels": panels,
            "may": may,
            "errors": errors,
            "who": self.request.GET.get("who", ""),
        }
        return render(self.request, "cases/detail.html", ctx, status=status)

    def panels(self, may: dict[str, Any], routes: list[CaseRoute], bound: dict[str, Any]) -> list[dict]:
        case, who = self.case, self.request.GET.get("who", "")
        version = {"version": case.version}
        out: list[dict] = []

        def add(key, title, url, make, button, css="btn-outline-primary", opened=False, **extra):
            form = bound.get(key) or make()
            out.append(
                {
                    "key": key,
                    "title": title,
                    "url": reverse(url, args=[case.pk]),
                    "form": form,
                    "button": button,
                    "css": css,
                    "open": opened or key in bound,
                    "multipart": form.is_multipart(),
                    **extra,
                }
            )

        for t in may["transitions"]:
            add(
                f"act:{t.code}",
                t.label,
                "case-act",
                lambda t=t: F.TransitionForm(initial={"code": t.code, **version}, transition=t),
                t.label,
                TRANSITION_STYLE.get(t.code, "btn-primary"),
                opened=True,
            )
        if may["route"]:
            defaults = list(case.category.departments.all()) if case.category_id else []
            current = [r.department for r in routes if r.state != RouteState.DECLINED]
            add(
                "route",
                "派单到部门",
                "case-route",
                lambda: F.RouteForm(
                    initial={"departments": current or defaults, "acceptor": case.acceptor, **version},
                    case=case,
                    who=who,
                ),
                "派单",
                "btn-primary",
                opened=True,
                searchable=True,
            )
        if may["decide"]:
            add(
                "decide",
                "部门报到",
                "case-decide",
                lambda: F.DecideForm(initial=version),
                "",
                opened=True,
                decide=True,
            )
        simple = (
            ("supervise", "督办", "case-supervise", F.SuperviseForm, "登记督办"),
            ("note", "记录办理情况、上传材料", "case-note", F.NoteForm, "保存"),
            (
                "escalate",
                f"上报{Level(min(case.level + 1, Level.COUNTY)).label}",
                "case-escalate",
                F.EscalateForm,
                "上报",
            ),
            ("satisfaction", "满意度回访", "case-satisfaction", F.SatisfactionForm, "登记回访"),
        )
        for key, title, url, form_class, button in simple:
            if may[key]:
                add(key, title, url, form_class, button)
        if may["handover"]:
            add(
                "handover",
                "移交责任人",
                "case-handover",
                lambda: F.HandoverForm(case=case, who=who),
                "移交",
                searchable=True,
            )
        if may["reopen"]:
            add(
                "reopen",
                "重新打开",
                "case-reopen",
                lambda: F.ReopenForm(initial=version),
                "重新打开",
                "btn-outline-danger",
            )
        if may["publish"]:
            initial = {"public_title": case.public_title or case.title, "public_result": case.public_result}
            label = "修改公开内容" if case.published_at else "在公开栏公开"
            add("publish", label, "case-publish", lambda: F.PublishForm(initial=initial), "公开")
        if may["unpublish"]:
            add("unpublish", "撤回公开", "case-unpublish", F.UnpublishForm, "撤回", "btn-outline-danger")
        return out


class CaseDetailView(ScopedObjectMixin, View):
    model = Case

    def get(self, request, pk):
        return CasePage(request, self.object).render()


class CaseFileView(ScopedObjectMixin, View):
    """Evidence is private: streamed as an attachment, with a content type from a short list of
    safe types, only to users who may see the case."""

    model = CaseFile

    def get(self, request, pk):
        item = self.object
        try:
            handle = item.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        kind = SAFE_TYPES.get(extension(item.name), "application/octet-stream")
        response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=kind)
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- opening and editing ----------------------------------------------------------------------------


def form_page(request, template: str, status: int = 200, **ctx: Any):
    return render(request, template, ctx, status=status)


class CaseNewView(LoginRequiredMixin, View):
    """`/cases/new/?kind=problem|errand|whistle`, prefilled from `?diary=`, `?field_visit=`,
    `?inspection=`, `?org=` or `?grid=`; each linked record is read through the scope layer."""

    route_scope = RouteScope("list", model=Case)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.kinds = openable_kinds(request.user)
        default = (
            CaseKind.ERRAND if request.GET.get("diary") else (self.kinds or [(CaseKind.PROBLEM, "")])[0][0]
        )
        kind = request.GET.get("kind") or default
        if kind not in KINDS:
            raise Http404("未找到")
        self.kind = kind
        self.links = self.linked()
        if kind not in dict(self.kinds):
            raise PermissionDenied(f"您的角色无权登记{KINDS[kind].label}。")
        self.prefill = self.initial()
        return super().dispatch(request, *args, **kwargs)

    def linked(self) -> dict[str, Any]:
        user, get = self.request.user, self.request.GET
        links: dict[str, Any] = {}
        for key, model in (("diary", Diary), ("field_visit", FieldVisit), ("inspection", StationInspection)):
            if get.get(key):
                links[key] = get_scoped_or_404(model, user, "view", pk=get[key])
        return links

    def initial(self) -> dict[str, Any]:
        get, links, user = self.request.GET, self.links, self.request.user
        initial: dict[str, Any] = {}
        if diary := links.get("diary"):
            initial |= {
                "org": diary.org_id,
                "description": diary.content,
                "title": diary.content.strip().splitlines()[0][:40] if diary.content.strip() else "",
                "source": Source.DIARY,
            }
        if visit := links.get("field_visit"):
            initial |= {
                "org": visit.org_id,
                "description": visit.found,
                "measures": visit.follow_up,
                "title": (visit.found.strip().splitlines() or [visit.purpose])[0][:40],
                "source": Source.FIELD_VISIT,
            }
        if inspection := links.get("inspection"):
            initial |= {
                "org": inspection.branch_id,
                "description": inspection.problems,
                "title": f"{inspection.branch.name}督查发现的问题",
                "source": Source.STATION_INSPECTION,
            }
        if get.get("org", "").isdigit():
            initial.setdefault("org", int(get["org"]))
        grids = F.opening_grids(user)
        if get.get("grid", "").isdigit():
            initial["grid"] = int(get["grid"])
        elif self.kind == CaseKind.WHISTLE:
            own = grids.filter(pk__in=side_ids(user)[0]).first() or (
                grids.first() if grids.count() == 1 else None
            )
            if own is not None:
                initial["grid"] = own.pk
        if self.kind == CaseKind.PROBLEM and any(r == Role.VILLAGE_SECRETARY for r, _ in role_paths(user)):
            initial.setdefault("owner", user)
        return initial

    def form(self, data=None, files=None):
        user = self.request.user
        around = [p for _, p in role_paths(user)]
        org_id = (data or {}).get("org") or self.prefill.get("org")
        if str(org_id or "").isdigit():
            org_path = Org.objects.restrict(user).filter(pk=org_id).values_list("path", flat=True).first()
            around = [org_path] if org_path else around
        return F.NEW_FORMS[self.kind](
            data,
            files,
            initial=self.prefill,
            user=user,
            county_paths=counties_of(user),
            around=around,
            who=self.request.GET.get("who", ""),
        )

    def get(self, request):
        return self.show(self.form())

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                case = self.open(dict(form.cleaned_data))
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except NotInScope as exc:
                raise Http404("未找到") from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记{case.spec.label}，受理编号 {case.receipt_no}。")
                return redirect(case)
        return self.show(form, status=400)

    def open(self, data: dict[str, Any]) -> Case:
        if self.kind == CaseKind.ERRAND and not data.get("title") and data.get("service"):
            data["title"] = data["service"].name
        data["co_owners"] = list(data.get("co_owners") or ())
        return services.open_case(self.request.user, kind=self.kind, **data, **self.links)

    def show(self, form, status=200):
        kind = self.kind
        catalogue = (
            list(F.catalogue_for(self.request.user).select_related("org")) if kind == CaseKind.ERRAND else []
        )
        return form_page(
            self.request,
            "cases/form.html",
            status,
            title=f"登记{KINDS[kind].label}",
            form=form,
            kind=kind,
            kinds=self.kinds,
            links=self.links,
            catalogue=catalogue,
            searchable=any(n in form.fields for n in ("owner", "acceptor")),
            who=self.request.GET.get("who", ""),
            back=reverse("case-list"),
        )


class CaseEditView(ScopedObjectMixin, View):
    model = Case

    def check(self) -> None:
        case, user = self.object, self.request.user
        if case.is_closed:
            raise PermissionDenied("已销号的案件不能修改，如需继续办理请先重新打开。")
        if not may_edit(user, case, services.roles_on(user, case)):
            raise PermissionDenied("只有责任人或上级才能修改案件。")

    def form(self, data=None):
        case = self.object
        initial = {
            "title": case.title,
            "category": case.category_id,
            "description": case.description,
            "measures": case.measures,
            "responsibility": case.responsibility,
            "place": case.place,
            "priority": case.priority,
            "deadline": case.deadline,
            "acceptor": case.acceptor,
            "co_owners": list(case.co_owners.all()),
        }
        return F.EditForm(data, initial=initial, case=case, who=self.request.GET.get("who", ""))

    def get(self, request, pk):
        self.check()
        return self.show(self.form())

    def post(self, request, pk):
        self.check()
        form = self.form(request.POST)
        if form.is_valid():
            changes = dict(form.cleaned_data)
            changes["co_owners"] = list(changes.get("co_owners") or ())
            try:
                services.update_case(request.user, self.object, **changes)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存修改。")
                return redirect(self.object)
        return self.show(form, status=400)

    def show(self, form, status=200):
        case = self.object
        return form_page(
            self.request,
            "cases/form.html",
            status,
            title=f"修改：{case.receipt_no} {case.title}",
            form=form,
            case=case,
            searchable=True,
            who=self.request.GET.get("who", ""),
            back=case.get_absolute_url(),
        )


# --- categories -------------------------------------------------------------------------------------


def admin_counties(user: Any):
    """Counties where the user may set categories (the county organisation department)."""
    qs = Org.objects.filter(kind=OrgKind.COUNTY, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, Category.scope.roles_for("add"))
    if not prefixes:
        return qs.none()
    q = Q()
    for p in prefixes:
        q |= Q(path__startswith=p)
    return qs.filter(q)


class CategoryListView(ScopedListView):
    model = Category
    table_class = CategoryTable
    filterset_class = CategoryFilter
    template_name = "cases/category_list.html"
    title = "案件类别"
    export_name = "案件类别"

    def base_queryset(self):
        return Category.objects.select_related("county").prefetch_related("departments")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_add"] = admin_counties(self.request.user).exists()
        return ctx


class CategoryFormView(LoginRequiredMixin, View):
    title = ""

    def counties(self):
        return admin_counties(self.request.user)

    def form(self, data=None, category=None, initial=None):
        return F.CategoryForm(data, counties=self.counties(), category=category, initial=initial)

    def finish(self, form, category=None):
        if not form.is_valid():
            return self.show(form, status=400)
        data = dict(form.cleaned_data)
        county = category.county if category else data.pop("county")
        kind = category.kind if category else data.pop("kind")
        data["departments"] = list(data.get("departments") or ())
        try:
            saved = services.set_category(self.request.user, county, kind=kind, category=category, **data)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except NotInScope as exc:
            raise Http404("未找到") from exc
        except DomainError as exc:
            attach_errors(form, exc)
            return self.show(form, status=400)
        messages.success(self.request, f"已保存类别“{saved.name}”。")
        return redirect("case-category-list")

    def show(self, form, status=200):
        return form_page(
            self.request,
            "cases/form.html",
            status,
            title=self.title,
            form=form,
            back=reverse("case-category-list"),
        )


class CategoryNewView(CategoryFormView):
    route_scope = RouteScope("list", model=Category)
    title = "新建案件类别"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.counties().exists():
            raise PermissionDenied("只有县委组织部可以设置案件类别。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        counties = list(self.counties()[:2])
        initial = {"county": counties[0].pk} if len(counties) == 1 else {}
        if request.GET.get("kind") in KINDS:
            initial["kind"] = request.GET["kind"]
        return self.show(self.form(initial=initial))

    def post(self, request):
        return self.finish(self.form(request.POST))


class CategoryEditView(ScopedObjectMixin, CategoryFormView):
    model = Category
    action = "change"

    @property
    def title(self):  # type: ignore[override]
        return f"修改案件类别：{self.object.name}"

    def get(self, request, pk):
        c = self.object
        initial = {
            "name": c.name,
            "deadline_days": c.deadline_days,
            "answer_days": c.answer_days,
            "solve_days": c.solve_days,
            "departments": list(c.departments.all()),
        }
        return self.show(self.form(category=c, initial=initial))

    def post(self, request, pk):
        return self.finish(self.form(request.POST, category=self.object), category=self.object)
