"""Pages of the two committees: the list of committees and of posts (both export to Excel), a village's
page with both committees (vacancies red, 一肩挑 marked, the notes on size, woman member and seats), and
the forms that call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.views import View

from dangjian.core.errors import DomainError
from dangjian.core.routes import scoped
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import services
from .filtersets import CommitteeFilter, PostFilter
from .forms import AppointForm, CommitteeForm, EndPostForm, ProfileForm, SeatTableForm
from .models import POST_RANK, Committee, Post, SeatTable, VillageProfile
from .selectors import cross_holdings, current_committees, seats_of
from .tables import CommitteeTable, PostTable


class CommitteeListView(ScopedListView):
    model = Committee
    table_class = CommitteeTable
    filterset_class = CommitteeFilter
    title = "村“两委”班子"

    def base_queryset(self):
        return (
            current_committees(Committee.objects.all())
            .select_related("org")
            .annotate(
                size=Count("posts", filter=Q(posts__until__isnull=True) & ~Q(posts__name="")),
                vacancies=Count("posts", filter=Q(posts__until__isnull=True, posts__name="")),
            )
            .order_by("org__path", "kind")
        )


class PostListView(ScopedListView):
    model = Post
    table_class = PostTable
    filterset_class = PostFilter
    title = "村“两委”成员名册"

    def base_queryset(self):
        return Post.objects.select_related("org", "committee")


def _form_error(form, exc: DomainError) -> None:
    for err in getattr(exc, "errors", None) or [exc]:
        form.add_error(err.field if err.field in form.fields else None, err.message)


class VillageView(ScopedObjectMixin, View):
    model = Org

    def get(self, request, pk):
        org, user = self.object, request.user
        posts = Post.objects.filter(until__isnull=True).order_by(POST_RANK, "since", "pk")
        committees = list(
            current_committees(Committee.objects.restrict(user).filter(org=org)).prefetch_related(
                Prefetch("posts", queryset=posts)
            )
        )
        county = county_of(org)
        return render(
            request,
            "villages/village.html",
            {
                "title": f"{org.name} 村“两委”",
                "org": org,
                "committees": committees,
                "cross": cross_holdings([org.pk]).get(org.pk) if committees else None,
                "notes": services.notes_for(user, org) if committees else [],
                "seats": seats_of(org.pk, county.pk if county else None) if committees else None,
                "profile": VillageProfile.objects.restrict(user).filter(org=org).first(),
                "can_change": can(user, "change", Committee(org=org)),
            },
        )


class _FormView(ScopedObjectMixin, View):
    form_class = None
    heading = ""

    def target_org(self):
        return self.object

    def check(self, request):
        if not can(request.user, "change", Committee(org=self.target_org())):
            raise PermissionDenied("您的角色无权执行此操作。")

    def get(self, request, pk):
        self.check(request)
        return self.page(request, self.form_class(initial=self.initial()))

    def initial(self):
        return {}

    def post(self, request, pk):
        self.check(request)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                done = self.save(request, form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("village-detail", self.target_org().pk)
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        org = self.target_org()
        return render(
            request,
            "villages/form.html",
            {"title": f"{org.name} {self.heading}", "form": form, "org": org, "object": self.object},
            status=status,
        )


class CommitteeCreateView(_FormView):
    model = Org
    form_class = CommitteeForm
    heading = "登记“两委”班子"

    def save(self, request, data):
        c = services.create_committee(
            request.user,
            self.object,
            kind=data["kind"],
            term_start=data["term_start"],
            next_election_on=data["next_election_on"],
        )
        return f"已登记：{c}。"


class ProfileView(_FormView):
    model = Org
    form_class = ProfileForm
    heading = "核定常住人口"

    def initial(self):
        p = VillageProfile.objects.filter(org=self.object).first()
        return {"residents": p.residents, "households": p.households, "adults": p.adults} if p else {}

    def save(self, request, data):
        p = services.set_profile(request.user, self.object, **data)
        return f"已保存：{p}。"


class AppointView(_FormView):
    model = Committee
    form_class = AppointForm
    heading = "任职"

    def target_org(self):
        return self.object.org

    def save(self, request, data):
        post = services.appoint(request.user, self.object, data.pop("kind"), **data)
        return f"已登记：{post}。"


class EndPostView(_FormView):
    model = Post
    form_class = EndPostForm
    heading = "离任"

    def target_org(self):
        return self.object.org

    def save(self, request, data):
        post = services.end_post(request.user, self.object, until=data["until"], reason=data["reason"])
        return f"已办理离任：{post.name}。"


@scoped("list", model=SeatTable)
@login_required
def seat_tables(request):
    """The counties' seat tables; a county admin replaces their county's table here."""
    user = request.user
    counties = Org.objects.restrict(user, "view").filter(kind=OrgKind.COUNTY)
    editable = [c.pk for c in counties if can(user, "change", SeatTable(county=c))]
    form = SeatTableForm(request.POST or None, counties=counties.filter(pk__in=editable))
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("您的角色无权执行此操作。")
        if form.is_valid():
            try:
                services.set_seat_table(
                    user,
                    form.cleaned_data["county"],
                    form.cleaned_data["rows"],
                    source=form.cleaned_data["source"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "职数表已保存。")
                return redirect("village-seats")
        status = 400
    rows = SeatTable.objects.restrict(user).select_related("county").order_by("county__path", "max_residents")
    return render(
        request,
        "villages/seats.html",
        {"title": "村“两委”职数表", "rows": rows, "form": form, "can_edit": bool(editable)},
        status=status,
    )
