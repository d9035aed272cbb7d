"""Pages of deputies, their contacts, consultation meetings and a station's liaison page. Thin: reads
through the scope layer, writes through services; a refused write shows the service's Chinese message
beside its field with a 400."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import FormPageMixin, ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import ConsultationFilter, ContactFilter, DeputyFilter
from .forms import ConsultationForm, ContactForm, DeputyForm
from .models import Consultation, Contact, Deputy
from .tables import ConsultationTable, ContactTable, DeputyTable

NAV = (
    ("liaison-deputy-list", "代表委员"),
    ("liaison-contact-list", "联系记录"),
    ("liaison-consultation-list", "协商议事会"),
)


class _List(ScopedListView):
    template_name = "liaison/list.html"
    actions: tuple[tuple[str, str], ...] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["nav"] = NAV
        ctx["actions"] = self.actions if selectors.orgs_for(self.request.user).exists() else ()
        return ctx


class DeputyListView(_List):
    model = Deputy
    table_class = DeputyTable
    filterset_class = DeputyFilter
    title = "党代表、人大代表、政协委员"
    actions = (("liaison-deputy-new", "登记代表委员"),)

    def get_queryset(self):
        return selectors.deputies(self.request.user, timezone.localdate().year)


class ContactListView(_List):
    model = Contact
    table_class = ContactTable
    filterset_class = ContactFilter
    title = "代表委员联系记录"

    def get_queryset(self):
        return selectors.contacts(self.request.user)


class ConsultationListView(_List):
    model = Consultation
    table_class = ConsultationTable
    filterset_class = ConsultationFilter
    title = "协商议事会"
    actions = (("liaison-consultation-new", "登记协商议事会"),)

    def get_queryset(self):
        return selectors.consultations(self.request.user)


class _FormMixin(FormPageMixin):
    form_template = "liaison/form.html"
    back = "liaison-deputy-list"


class _NewView(_FormMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = selectors.orgs_for(request.user)
        if not self.orgs.exists():
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)


class DeputyNewView(_NewView):
    route_scope = RouteScope("list", model=Deputy)
    heading = "登记代表委员"

    def make_form(self, data=None):
        return DeputyForm(data, orgs=self.orgs)

    def save(self, form):
        data = dict(form.cleaned_data)
        deputy = services.add_deputy(self.request.user, data.pop("org"), **data)
        return deputy, f"已登记{deputy}。"


class ConsultationNewView(_NewView):
    route_scope = RouteScope("list", model=Consultation)
    heading = "登记协商议事会"
    back = "liaison-consultation-list"

    def make_form(self, data=None):
        deputies = (
            Deputy.objects.restrict(self.request.user, "change")
            .select_related("org")
            .order_by("org__path", "kind", "name")
        )
        return ConsultationForm(data, orgs=self.orgs, deputies=deputies)

    def save(self, form):
        data = dict(form.cleaned_data)
        meeting = services.record_consultation(self.request.user, data.pop("org"), **data)
        return meeting, "已登记协商议事会。"


def _contact_form(user, deputy: Deputy, data=None) -> ContactForm:
    branches = (
        Org.objects.restrict(user)
        .filter(path__startswith=deputy.org.path, kind__in=services.CONTACT_KINDS, archived_at__isnull=True)
        .order_by("path")
    )
    return ContactForm(data, branches=branches)


class DeputyDetailView(ScopedObjectMixin, View):
    model = Deputy

    def get(self, request, pk):
        deputy, user = self.object, request.user
        ctx = {
            "title": str(deputy),
            "deputy": deputy,
            "contacts": selectors.contacts(user).filter(deputy=deputy).order_by("-contacted_on", "-pk"),
            "meetings": selectors.consultations(user).filter(attendees=deputy).order_by("-held_on"),
            "form": _contact_form(user, deputy) if can(user, "change", deputy) else None,
        }
        return render(request, "liaison/deputy_detail.html", ctx)


class ContactView(_FormMixin, ScopedObjectMixin, View):
    model = Deputy
    action = "change"

    @property
    def heading(self):
        return f"登记{self.object.name}的联系记录"

    def back_url(self):
        return self.object.get_absolute_url()

    def make_form(self, data=None):
        return _contact_form(self.request.user, self.object, data)

    def save(self, form):
        services.record_contact(self.request.user, self.object, **form.cleaned_data)
        return self.object, "已登记联系记录。"


class ConsultationDetailView(ScopedObjectMixin, View):
    model = Consultation

    def get(self, request, pk):
        meeting = self.object
        attendees = Deputy.objects.restrict(request.user).filter(consultations=meeting).select_related("org")
        ctx = {"title": str(meeting), "meeting": meeting, "attendees": attendees}
        return render(request, "liaison/consultation_detail.html", ctx)


class StationView(ScopedObjectMixin, View):
    """A station's liaison page: its deputies and their contacts this year against the target."""

    model = Org

    def get(self, request, pk):
        org, today = self.object, timezone.localdate()
        ctx = {"title": f"{org.name}：代表委员联络", "org": org, "year": today.year}
        ctx |= selectors.station_page(request.user, org, today)
        return render(request, "liaison/station.html", ctx)
