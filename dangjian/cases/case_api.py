"""REST endpoints of the case engine: cases (list with the page's filters and tabs, retrieve, open, and
one POST endpoint per action), their timeline and the county's categories. Reads go through the scope
layer, writes through services.py, so the API refuses exactly what the pages refuse, in the same words."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dangjian.core.api import validated
from dangjian.core.errors import DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import get_scoped_or_404, side_ids
from dangjian.errands.models import Diary
from dangjian.office.models import FieldVisit
from dangjian.orgs.models import Department, Grid, Org
from dangjian.stations.models import StationInspection

from . import forms as F
from . import serializers as Z
from . import services
from .filtersets import CaseFilter, CategoryFilter
from .models import Case, CaseEvent, CaseRoute, Category
from .views import CASE_RELATED, CONFLICT, admin_counties, case_rows, counties_of

PARSERS = [JSONParser, FormParser, MultiPartParser]
OUTSIDE_DEPARTMENT = "只能派单到本县部门，所选部门不存在或不属于本县。"


def _one(qs, pk: int | None, message: str, field: str) -> Any:
    """The row `pk` of `qs` (the choices the user has), None for no id, else a 400 beside `field`."""
    if pk is None:
        return None
    row = qs.filter(pk=pk).first()
    if row is None:
        raise DomainError(message, field)
    return row


def _people(qs, ids: list[int], field: str) -> list[Any]:
    people = list(qs.filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise DomainError(F.NOT_IN_COUNTY, field)
    return people


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise DomainError(CONFLICT, "version", code="conflict")


def detail_rows(user: Any):
    routes = CaseRoute.objects.select_related("department", "decided_by").order_by("-lead", "pk")
    return (
        Case.objects.restrict(user)
        .select_related(*CASE_RELATED)
        .prefetch_related("co_owners", Prefetch("routes", queryset=routes))
    )


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases the user may see. `?view=` mine | overdue | acceptance | signoff | escalated | all, and the
    list page's filters. Each action is a POST on the case and answers the case as it now stands."""

    route_scope = RouteScope("list", model=Case)
    filterset_class = CaseFilter
    parser_classes = PARSERS
    ordering_fields = ["opened_on", "deadline", "receipt_no", "state", "priority", "level", "answer_due"]

    def get_queryset(self):
        user = self.request.user
        return case_rows().restrict(user) if self.action == "list" else detail_rows(user)

    def get_serializer_class(self):
        return Z.CaseItemSerializer if self.action == "list" else Z.CaseItemDetailSerializer

    def answer(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        fresh = detail_rows(self.request.user).get(pk=case.pk)
        return Response(
            Z.CaseItemDetailSerializer(fresh, context={"request": self.request}).data, status=code
        )

    def case(self) -> Case:
        return get_scoped_or_404(Case, self.request.user, "view", pk=self.kwargs["pk"])

    @extend_schema(request=Z.CaseOpenSerializer, responses={201: Z.CaseItemDetailSerializer})
    def create(self, request):
        """Open a case of `kind`; every problem of the request is reported at once, beside its field."""
        v = validated(Z.CaseOpenSerializer, request.data)
        v.setdefault("source", "")
        user = request.user
        if v["org"] is not None:
            v["org"] = get_scoped_or_404(Org, user, "view", pk=v["org"])
        if v["grid"] is not None:
            grid = (
                Grid.objects.restrict(user).filter(pk=v["grid"]).first()
                or Grid.objects.filter(pk=v["grid"], pk__in=side_ids(user)[0]).first()
            )
            if grid is None:
                raise Http404
            v["grid"] = grid
        for key, model in (("diary", Diary), ("field_visit", FieldVisit), ("inspection", StationInspection)):
            if v[key] is not None:
                v[key] = get_scoped_or_404(model, user, "view", pk=v[key])
        people = F.county_people(counties_of(user))
        v["owner"] = _one(people, v["owner"], F.NOT_IN_COUNTY, "owner")
        v["acceptor"] = _one(people, v["acceptor"], F.NOT_IN_COUNTY, "acceptor")
        v["co_owners"] = _people(people, v["co_owners"], "co_owners")
        v["category"] = _one(F.categories_for(user), v["category"], "类别不存在或不属于本县。", "category")
        v["service"] = _one(F.catalogue_for(user), v["service"], "代办事项不在本乡镇的目录中。", "service")
        if not v["title"] and v["service"] is not None:
            v["title"] = v["service"].name
        case = services.open_case(user, **v)
        return self.answer(case, status.HTTP_201_CREATED)

    @extend_schema(request=Z.CaseTransitionSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take a transition: start, report_done, accept, reject, sign_off, promise, feedback, take, solve."""
        case = self.case()
        v = validated(Z.CaseTransitionSerializer, request.data)
        _check_version(case, v.pop("version"))
        services.act(request.user, case, v.pop("code"), **v)
        return self.answer(case)

    @extend_schema(request=Z.CaseRouteInputSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """Route a whistle to the county's departments (default: its category's)."""
        case = self.case()
        v = validated(Z.CaseRouteInputSerializer, request.data)
        _check_version(case, v["version"])
        ids = v["departments"] or (
            list(case.category.departments.values_list("pk", flat=True)) if case.category_id else []
        )
        choices = Department.objects.filter(county_id=case.county_id, archived_at__isnull=True)
        departments = list(choices.filter(pk__in=ids))
        if len(departments) != len(set(ids)):
            raise DomainError(OUTSIDE_DEPARTMENT, "departments")
        departments.sort(key=lambda d: ids.index(d.pk))
        lead = _one(choices.filter(pk__in=ids), v["lead"], "牵头部门须在派单部门之中。", "lead")
        people = F.county_people([case.county.path])
        acceptor = _one(people, v["acceptor"], F.NOT_IN_COUNTY, "acceptor")
        services.route(request.user, case, departments, lead=lead, acceptor=acceptor, note=v["note"])
        return self.answer(case)

    @extend_schema(request=Z.CaseDecideSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """A department liaison reports for duty (报到, accept=true) or sends it back with a reason."""
        case = self.case()
        v = validated(Z.CaseDecideSerializer, request.data)
        _check_version(case, v["version"])
        services.decide_route(request.user, case, accept=v["accept"], reason=v["reason"])
        return self.answer(case)

    @extend_schema(request=Z.CaseNoteSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """A supervision record (督办) with the supervisor's note and files."""
        case = self.case()
        services.supervise(request.user, case, **validated(Z.CaseNoteSerializer, request.data))
        return self.answer(case)

    @extend_schema(request=Z.CaseNoteSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        """A progress note and/or evidence files."""
        case = self.case()
        services.add_note(request.user, case, **validated(Z.CaseNoteSerializer, request.data))
        return self.answer(case)

    @extend_schema(request=Z.CaseHandoverSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        """Hand the case to a new owner working in the case's county."""
        case = self.case()
        v = validated(Z.CaseHandoverSerializer, request.data)
        to = _one(F.county_people([case.county.path]), v["to"], F.NOT_IN_COUNTY, "to")
        services.hand_over(request.user, case, to=to, note=v["note"])
        return self.answer(case)

    @extend_schema(request=Z.CaseReasonSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen an accepted or closed case with a reason (counted)."""
        case = self.case()
        v = validated(Z.CaseReasonSerializer, request.data)
        _check_version(case, v["version"])
        services.reopen(request.user, case, reason=v["reason"])
        return self.answer(case)

    @extend_schema(request=Z.CaseEscalateSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """Move the case one level up (村→镇→县)."""
        case = self.case()
        services.escalate(request.user, case, **validated(Z.CaseEscalateSerializer, request.data))
        return self.answer(case)

    @extend_schema(request=Z.CasePublishSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Show the case on its township's public board (no personal data)."""
        case = self.case()
        services.publish(request.user, case, **validated(Z.CasePublishSerializer, request.data))
        return self.answer(case)

    @extend_schema(request=Z.CaseUnpublishSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        case = self.case()
        services.unpublish(request.user, case, **validated(Z.CaseUnpublishSerializer, request.data))
        return self.answer(case)

    @extend_schema(request=Z.CaseSatisfactionSerializer, responses=Z.CaseItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def satisfaction(self, request, pk=None):
        """The follow-up call after closing: 3 满意, 2 基本满意, 1 不满意."""
        case = self.case()
        services.record_satisfaction(
            request.user, case, **validated(Z.CaseSatisfactionSerializer, request.data)
        )
        return self.answer(case)


class CaseEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The timeline of the cases the user may see (`?case=` for one case), oldest first."""

    route_scope = RouteScope("list", model=CaseEvent)
    serializer_class = Z.CaseEventSerializer
    filterset_fields = ["case", "type"]
    ordering_fields = ["at"]

    def get_queryset(self):
        return (
            CaseEvent.objects.restrict(self.request.user)
            .select_related("case")
            .prefetch_related("files")
            .order_by("case_id", "at", "pk")
        )


class CategoryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A county's categories with their own deadlines and default departments; the county organisation
    department creates and changes them."""

    route_scope = RouteScope("list", model=Category)
    serializer_class = Z.CaseCategorySerializer
    filterset_class = CategoryFilter

    def get_queryset(self):
        return (
            Category.objects.restrict(self.request.user)
            .select_related("county")
            .prefetch_related("departments")
        )

    def _departments(self, county: Org, ids: list[int]) -> list[Department]:
        found = list(Department.objects.filter(county=county, pk__in=ids))
        if len(found) != len(set(ids)):
            raise DomainError("默认派单部门须是本县部门。", "departments")
        return found

    def _answer(self, category: Category, code=status.HTTP_200_OK) -> Response:
        return Response(Z.CaseCategorySerializer(self.get_queryset().get(pk=category.pk)).data, status=code)

    @extend_schema(request=Z.CaseCategoryInputSerializer, responses={201: Z.CaseCategorySerializer})
    def create(self, request):
        v = validated(Z.CaseCategoryInputSerializer, request.data)
        county = admin_counties(request.user).filter(pk=v.pop("county")).first()
        if county is None:
            raise Http404
        v["departments"] = self._departments(county, v["departments"])
        category = services.set_category(request.user, county, **v)
        return self._answer(category, status.HTTP_201_CREATED)

    @extend_schema(request=Z.CaseCategoryUpdateSerializer, responses=Z.CaseCategorySerializer)
    def partial_update(self, request, pk=None):
        category = self.get_object()
        v = validated(Z.CaseCategoryUpdateSerializer, request.data)
        values = {
            "name": category.name,
            "deadline_days": category.deadline_days,
            "answer_days": category.answer_days,
            "solve_days": category.solve_days,
        } | {k: v[k] for k in v if k != "departments"}
        ids = v["departments"] if "departments" in v else [d.pk for d in category.departments.all()]
        departments = self._departments(category.county, ids)
        saved = services.set_category(
            request.user,
            category.county,
            kind=category.kind,
            category=category,
            departments=departments,
            **values,
        )
        return self._answer(saved)


def register(router) -> None:
    """Add the case endpoints to the /api/v1/ router."""
    router.register("cases", CaseViewSet, basename="api-case")
    router.register("case-events", CaseEventViewSet, basename="api-case-event")
    router.register("case-categories", CategoryViewSet, basename="api-case-category")
