"""Pages of the errands app: a township's catalogue of errands (and its public, printable page),
service centres and their half-day schedule, staff diaries, and the contact cards. Thin: reads
through the scope layer and the selectors, writes through the services, and a refusal is shown beside
its field with a 400."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.accounts.models import RoleAssignment
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.roles import Role
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of
from dangjian.stations.models import StationStaff

from . import cards as C
from . import forms as F
from . import rules as R
from . import selectors as S
from . import services
from .choices import CATEGORIES, SECTION_SEPARATORS
from .filtersets import CardFilter, CentreFilter, DiaryFilter, ServiceFilter, SessionFilter
from .models import Diary, ErrandService, ServiceCentre, ServiceSession
from .tables import CardTable, CentreTable, DiaryTable, ServiceTable, SessionTable

TABS = (
    ("errand-service-list", "代办事项目录"),
    ("service-centre-list", "便民服务中心"),
    ("service-schedule", "服务日程（按月）"),
    ("service-session-list", "下村服务记录"),
    ("diary-list", "民情日记"),
    ("contact-card-list", "连心卡"),
)


def attach_errors(form, exc: DomainError) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


# --- lists -------------------------------------------------------------------------------------------


class ErrandsListView(ScopedListView):
    template_name = "errands/list.html"

    def add_links(self) -> list[tuple[str, str]]:
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tabs"] = TABS
        ctx["add_links"] = self.add_links()
        return ctx


class ServiceListView(ErrandsListView):
    model = ErrandService
    table_class = ServiceTable
    filterset_class = ServiceFilter
    title = "代办事项目录"
    export_name = "群众代办事项目录"

    def base_queryset(self):
        return ErrandService.objects.select_related("org")

    def add_links(self):
        if S.townships(self.request.user, "add").exists():
            return [("新建代办事项", reverse("errand-service-add"))]
        return []

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["public_links"] = [
            (name, reverse("errand-public", args=[pk]))
            for pk, name in S.townships(self.request.user).values_list("pk", "name")[:50]
        ]
        return ctx


class CentreListView(ErrandsListView):
    model = ServiceCentre
    table_class = CentreTable
    filterset_class = CentreFilter
    title = "便民服务中心"
    export_name = "便民服务中心"

    def base_queryset(self):
        month = S.Month.of(timezone.localdate())
        held = (
            ServiceSession.objects.filter(month.q(), centre=OuterRef("pk"))
            .order_by()
            .values("centre")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return ServiceCentre.objects.select_related("org").annotate(
            n_month=Coalesce(Subquery(held, output_field=IntegerField()), Value(0))
        )

    def add_links(self):
        if S.townships(self.request.user, "add", ServiceCentre).exists():
            return [("新建便民服务中心", reverse("service-centre-add"))]
        return []


class SessionListView(ErrandsListView):
    model = ServiceSession
    table_class = SessionTable
    filterset_class = SessionFilter
    title = "下村服务记录"
    export_name = "便民服务中心下村服务"

    def base_queryset(self):
        return ServiceSession.objects.select_related("centre", "org")

    def add_links(self):
        if ServiceCentre.objects.restrict(self.request.user, "add").filter(archived_at__isnull=True).exists():
            return [("安排下村服务", reverse("service-session-add"))]
        return []


class DiaryListView(ErrandsListView):
    model = Diary
    table_class = DiaryTable
    filterset_class = DiaryFilter
    title = "民情日记"
    export_name = "民情日记"

    def base_queryset(self):
        case = Diary._meta.get_field("cases").related_model
        linked = (
            case.objects.filter(diary=OuterRef("pk"))
            .order_by()
            .values("diary")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Diary.objects.select_related("org", "author").annotate(
            n_cases=Coalesce(Subquery(linked, output_field=IntegerField()), Value(0))
        )

    def add_links(self):
        if S.diary_villages(self.request.user).exists():
            return [("写民情日记", reverse("diary-add"))]
        return []


class CardListView(ErrandsListView):
    """Stations, and townships without a station, in scope: each prints its own contact card."""

    model = Org
    table_class = CardTable
    filterset_class = CardFilter
    title = "连心卡"
    export_name = "便民连心卡"

    def get_queryset(self):
        has_station = Org.objects.filter(
            parent=OuterRef("pk"), kind=OrgKind.STATION, archived_at__isnull=True
        )
        staff = (
            StationStaff.objects.filter(org=OuterRef("pk"), until__isnull=True)
            .order_by()
            .values("org")
            .annotate(n=Count("pk"))
            .values("n")
        )
        office = (
            RoleAssignment.objects.filter(org=OuterRef("pk"), role=Role.TOWNSHIP_STAFF, user__is_active=True)
            .order_by()
            .values("org")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            Org.objects.restrict(self.request.user)
            .filter(archived_at__isnull=True, kind__in=(OrgKind.STATION, OrgKind.TOWNSHIP))
            .filter(Q(kind=OrgKind.STATION) | ~Exists(has_station))
            .select_related("parent")
            .annotate(
                n_staff=Coalesce(Subquery(staff, output_field=IntegerField()), Value(0))
                + Coalesce(Subquery(office, output_field=IntegerField()), Value(0))
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        own = RoleAssignment.objects.filter(
            user_id=self.request.user.pk,
            org__kind__in=(*S.VILLAGE_KINDS, OrgKind.JOINT_BRANCH, OrgKind.GROUP),
            org__archived_at__isnull=True,
        ).select_related("org")
        ctx["own_cards"] = [(ra.org.name, reverse("contact-card", args=[ra.org_id])) for ra in own]
        return ctx


# --- forms -------------------------------------------------------------------------------------------


class FormPage(LoginRequiredMixin, View):
    """GET shows the form, POST calls the service; a refusal comes back beside its field with a 400.
    Where the user may only read, the same page shows the record with its fields disabled."""

    form_class: Any = None
    title = ""
    success = ""
    template_name = "errands/form.html"
    editable = True

    def form(self, data=None):
        return self.form_class(data, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {"initial": self.initial()}

    def initial(self) -> dict[str, Any]:
        return {}

    def extra(self) -> dict[str, Any]:
        return {}

    def back(self) -> str:
        raise NotImplementedError

    def save(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def done(self, target: Any) -> str:
        return self.back()

    def get(self, request, *args, **kwargs):
        return self.show(self.form())

    def post(self, request, *args, **kwargs):
        if not self.editable:
            raise PermissionDenied("您的角色无权执行此操作。")
        form = self.form(request.POST)
        if form.is_valid():
            try:
                target = self.save(dict(form.cleaned_data))
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(self.done(target))
        return self.show(form, status=400)

    def show(self, form, status=200):
        if not self.editable:
            for field in form.fields.values():
                field.disabled = True
        ctx = {
            "title": self.title,
            "form": form,
            "back": self.back(),
            "editable": self.editable,
            "tabs": TABS,
            "categories": CATEGORIES,
            **self.extra(),
        }
        return render(self.request, self.template_name, ctx, status=status)


class ChoicesFormPage(FormPage):
    """A list-kind route: what the form offers (townships, centres, villages) is looked up among those
    where the user may add, so an out-of-scope one is refused like an unknown one, and a role that may
    add nowhere gets a 403."""

    def choices(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.options = self.choices()
        if not self.options.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)


class TownshipFormPage(ChoicesFormPage):
    model: Any = ErrandService

    def choices(self):
        return S.townships(self.request.user, "add", self.model)

    def form_kwargs(self):
        initial = self.initial()
        if self.options.count() == 1:
            initial["township"] = self.options.first()
        return {"initial": initial, "townships": self.options}


class ServiceAddView(TownshipFormPage):
    route_scope = RouteScope("list", model=ErrandService)
    form_class = F.ServiceForm
    title = "新建代办事项"
    success = "已加入代办事项目录。"

    def initial(self):
        return {"published": True, "sort_order": 0, "category": self.request.GET.get("category", "")}

    def back(self):
        return reverse("errand-service-list")

    def save(self, data):
        return services.create_service(self.request.user, data.pop("township"), **data)


class ObjectFormPage(ScopedObjectMixin, FormPage):
    """Edit one row: in scope but without the right to change it, the page is read-only."""

    @cached_property
    def editable(self) -> bool:
        return can(self.request.user, "change", self.object)


class ServiceEditView(ObjectFormPage):
    model = ErrandService
    form_class = F.ServiceForm
    success = "已保存代办事项。"

    @property
    def title(self):
        return f"代办事项：{self.object.name}"

    def initial(self):
        s = self.object
        return {
            "category": s.category,
            "name": s.name,
            "documents": s.documents,
            "promised_days": s.promised_days,
            "handled_by": s.handled_by,
            "published": s.published,
            "sort_order": s.sort_order,
        }

    def extra(self):
        return {
            "subject": self.object,
            "township": self.object.org,
            "archive_url": reverse("errand-service-archive", args=[self.object.pk]),
        }

    def back(self):
        return reverse("errand-service-list")

    def save(self, data):
        return services.update_service(self.request.user, self.object, **data)


class ArchiveView(ScopedObjectMixin, View):
    """POST `archived=1` stops using a row, `archived=0` restores it."""

    action = "change"
    http_method_names = ["post"]
    service: Any = None
    edit_route = ""

    def post(self, request, pk):
        archived = request.POST.get("archived") == "1"
        try:
            type(self).service(request.user, self.object, archived)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已{'停用' if archived else '恢复'}“{self.object.name}”。")
        return redirect(self.edit_route, pk=self.object.pk)


class ServiceArchiveView(ArchiveView):
    model = ErrandService
    service = services.set_service_archived
    edit_route = "errand-service-edit"


class CentreAddView(TownshipFormPage):
    route_scope = RouteScope("list", model=ServiceCentre)
    model = ServiceCentre
    form_class = F.CentreForm
    title = "新建便民服务中心"
    success = "已新建便民服务中心。"

    def back(self):
        return reverse("service-centre-list")

    def save(self, data):
        return services.create_centre(self.request.user, data.pop("township"), **data)


class CentreEditView(ObjectFormPage):
    model = ServiceCentre
    form_class = F.CentreForm
    success = "已保存便民服务中心。"

    @property
    def title(self):
        return f"便民服务中心：{self.object.name}"

    def initial(self):
        c = self.object
        return {"name": c.name, "place": c.place, "phone": c.phone}

    def extra(self):
        return {
            "subject": self.object,
            "township": self.object.org,
            "archive_url": reverse("service-centre-archive", args=[self.object.pk]),
            "schedule_url": f"{reverse('service-schedule')}?township={self.object.org_id}",
        }

    def back(self):
        return reverse("service-centre-list")

    def save(self, data):
        return services.update_centre(self.request.user, self.object, **data)


class CentreArchiveView(ArchiveView):
    model = ServiceCentre
    service = services.set_centre_archived
    edit_route = "service-centre-edit"


def _sections_text(names: list[str]) -> str:
    return SECTION_SEPARATORS[0].join(names)


class SessionAddView(ChoicesFormPage):
    route_scope = RouteScope("list", model=ServiceSession)
    form_class = F.SessionForm
    title = "安排下村服务"
    success = "已安排下村服务。"

    def choices(self):
        return ServiceCentre.objects.restrict(self.request.user, "add").filter(archived_at__isnull=True)

    def form_kwargs(self):
        get = self.request.GET
        initial = {"centre": get.get("centre"), "date": get.get("date"), "half": get.get("half", "")}
        if get.get("copy", "").isdigit():
            last = ServiceSession.objects.restrict(self.request.user).filter(pk=get["copy"]).first()
            if last is not None:
                initial |= {"centre": last.centre_id, "sections": _sections_text(last.sections)}
        return {"initial": initial, "centres": self.options}

    def back(self):
        return reverse("service-schedule")

    def save(self, data):
        return services.schedule_session(self.request.user, data.pop("centre"), **data)

    def done(self, session):
        return f"{reverse('service-schedule')}?township={session.org_id}&month={session.date:%Y-%m}"


class SessionEditView(ObjectFormPage):
    model = ServiceSession
    form_class = F.SessionForm
    success = "已保存下村服务安排。"

    @property
    def title(self):
        return f"下村服务：{self.object}"

    def form_kwargs(self):
        s = self.object
        centres = ServiceCentre.objects.filter(org=s.org).filter(
            Q(archived_at__isnull=True) | Q(pk=s.centre_id)
        )
        initial = {
            "centre": s.centre_id,
            "date": s.date,
            "half": s.half,
            "sections": _sections_text(s.sections),
            "note": s.note,
            "served": s.served,
        }
        return {"initial": initial, "centres": centres}

    def extra(self):
        s = self.object
        return {
            "subject": s,
            "township": s.org,
            "schedule_url": f"{reverse('service-schedule')}?township={s.org_id}&month={s.date:%Y-%m}",
            "copy_url": f"{reverse('service-session-add')}?copy={s.pk}",
        }

    def back(self):
        return f"{reverse('service-schedule')}?township={self.object.org_id}&month={self.object.date:%Y-%m}"

    def save(self, data):
        return services.update_session(self.request.user, self.object, **data)


class DiaryAddView(ChoicesFormPage):
    route_scope = RouteScope("list", model=Diary)
    form_class = F.DiaryForm
    title = "写民情日记"
    success = "已保存民情日记。"

    def choices(self):
        return S.diary_villages(self.request.user)

    def form_kwargs(self):
        initial = {"written_on": timezone.localdate(), "org": self.request.GET.get("org")}
        if self.options.count() == 1:
            initial["org"] = self.options.first()
        return {"initial": initial, "villages": self.options}

    def back(self):
        return reverse("diary-list")

    def save(self, data):
        return services.write_diary(self.request.user, data.pop("org"), **data)

    def done(self, diary):
        return diary.get_absolute_url()


class DiaryEditView(ObjectFormPage):
    """Only the author edits a diary; anyone else who can see it reads it on its own page."""

    model = Diary
    form_class = F.DiaryForm
    success = "已保存民情日记。"
    title = "修改民情日记"

    @cached_property
    def editable(self) -> bool:
        return self.object.author_id == self.request.user.pk and can(self.request.user, "change", self.object)

    def get(self, request, *args, **kwargs):
        if not self.editable:
            raise PermissionDenied("只有记录人本人可以修改民情日记。")
        return super().get(request, *args, **kwargs)

    def form_kwargs(self):
        d = self.object
        villages = S.diary_villages(self.request.user) | Org.objects.filter(pk=d.org_id)
        initial = {"org": d.org_id, "written_on": d.written_on, "visited": d.visited, "content": d.content}
        return {"initial": initial, "villages": villages}

    def back(self):
        return self.object.get_absolute_url()

    def save(self, data):
        return services.update_diary(self.request.user, self.object, **data)


class DiaryDetailView(ScopedObjectMixin, View):
    model = Diary

    def get(self, request, pk):
        diary, user = self.object, request.user
        cases = list(diary.cases.restrict(user).order_by("-opened_on", "-pk"))
        ctx = {
            "title": f"民情日记 {diary.written_on:%Y-%m-%d}",
            "diary": diary,
            "cases": cases,
            "is_author": diary.author_id == user.pk,
            "can_open_case": can(user, "add", Diary(org=diary.org)),
            "tabs": TABS,
        }
        return render(request, "errands/diary_detail.html", ctx)


# --- the month view of the schedule --------------------------------------------------------------------


@scoped("list", model=ServiceSession)
@login_required
@require_GET
def schedule(request):
    """A township's half-days in a month: a calendar, the count against the rule, and its centres."""
    today = timezone.localdate()
    user = request.user
    visible = S.townships(user, "view", ServiceSession)
    wanted = request.GET.get("township", "")
    township = (
        (visible.filter(pk=wanted).first() if wanted.isdigit() else None)
        or visible.filter(service_centres__archived_at__isnull=True).first()
        or visible.first()
    )
    month = S.Month.parse(request.GET.get("month"), today)
    ctx: dict[str, Any] = {
        "title": "便民服务日程",
        "tabs": TABS,
        "townships": list(visible.values_list("pk", "name")[:500]),
        "township": township,
        "month": month,
        "today": today,
        "rule": R.HALF_DAYS_PER_MONTH,
    }
    if township is not None:
        sessions = list(S.sessions_in([township.pk], month))
        by_day: dict[Any, list[ServiceSession]] = {}
        for s in sessions:
            by_day.setdefault(s.date, []).append(s)
        slots = S.half_day_slots(sessions)
        needed = int(rule_value(R.HALF_DAYS_PER_MONTH.code, county_of(township)))
        centres = list(ServiceCentre.objects.filter(org=township).order_by("archived_at", "pk"))
        ctx.update(
            weeks=[[(day, by_day.get(day, [])) for day in week] for week in S.month_grid(month)],
            days=sorted(by_day.items()),
            slots=slots,
            needed=needed,
            met=slots >= needed,
            short=max(needed - slots, 0),
            closed=month.end < today,
            centres=centres,
            served=sum(s.served or 0 for s in sessions),
            can_add=can(user, "add", ServiceSession(org=township)),
            has_centres=any(c.archived_at is None for c in centres),
        )
    return render(request, "errands/schedule.html", ctx)


# --- the public catalogue --------------------------------------------------------------------------------


@scoped("public")
@require_GET
def public_catalogue(request, pk):
    """A township's published catalogue for residents: no login, only published services in use,
    the centres and the half-days of this month and the next; nothing about any person."""
    township = Org.objects.filter(pk=pk, kind=OrgKind.TOWNSHIP, archived_at__isnull=True).first()
    if township is None:
        raise Http404("未找到")
    today = timezone.localdate()
    month = S.Month.of(today)
    services_ = list(S.published_services(township))
    ctx = {
        "township": township,
        "groups": S.by_category(services_),
        "count": len(services_),
        "centres": list(S.active_centres(township)),
        "sessions": list(
            ServiceSession.objects.filter(org=township, date__gte=month.start, date__lte=month.next().end)
            .select_related("centre")
            .order_by("date", "half", "centre__name")
        ),
        "month": month,
        "today": today,
        "steps": C.STEPS,
    }
    response = render(request, "errands/public.html", ctx)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- contact cards ---------------------------------------------------------------------------------------


@scoped("object", model=Org)
@login_required
@require_GET
def contact_card(request, pk):
    """The contact cards that serve an org in scope, as a PDF (`?paper=a4` for sheets of four). The
    cards carry staff phones in full, so printing them is recorded; a county or above goes to the list."""
    org = get_scoped_or_404(Org, request.user, "view", pk=pk)
    if not can(request.user, "view", StationStaff(org=org)):
        raise PermissionDenied("您的角色无权打印连心卡。")
    cards = C.cards_for(
        org,
        timezone.localdate(),
        public_url=lambda t: request.build_absolute_uri(reverse("errand-public", args=[t.pk])),
    )
    if cards is None:
        return redirect(f"{reverse('contact-card-list')}?org={org.pk}")
    paper = "a4" if request.GET.get("paper") == "a4" else "a6"
    services.record_card_print(request.user, org, cards, paper)
    name = f"连心卡-{org.name}-{paper.upper()}.pdf"
    response = HttpResponse(C.render(cards, paper, title=name[:-4]), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response
