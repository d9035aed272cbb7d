"""Pages for the records that hang off a member: mobility, lost contact and standing, transfers,
households and dues. Thin: reads through the scope layer, writes through the services; a refused
write shows the service's Chinese message beside its field."""

from __future__ import annotations

import datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST

from dangjian.core.dates import add_months, month_start
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.orgs.models import Grid, Org
from dangjian.orgs.services import county_of

from ..choices import Standing, TransferKind, TransferStatus
from ..models import (
    DuesPayment,
    Household,
    HouseholdLink,
    HouseholdVisit,
    Member,
    MobileRecord,
    Transfer,
    mask_phone,
)
from ..rules import MOBILE_TRANSFER_MONTHS, TRANSFER_CONFIRM_DAYS
from ..selectors import member_orgs
from ..services import dues, households, mobility, standing, transfers
from ..services.roster import MemberData
from ..views import attach_errors
from . import forms as F
from .common import member_probe, reached
from .filtersets import DuesFilter, HouseholdFilter, LostContactFilter, MobileRecordFilter, TransferFilter
from .selectors import lost_or_suspended, proposal, unlinked_by_branch, with_month_payment
from .tables import DuesTable, HouseholdTable, LostContactTable, MobileRecordTable, TransferTable

FORM_TEMPLATE = "members/records/form.html"


def form_page(
    request, title: str, form, *, member: Member | None = None, back: str = "", status: int = 200, **extra
):
    ctx = {"title": title, "form": form, "member": member, "back": back, **extra}
    return render(request, FORM_TEMPLATE, ctx, status=status)


class PostOnly:
    """Sub-routes that only take a form post; GET answers 405."""

    http_method_names = ["post"]


# --- mobile members ------------------------------------------------------------------------------


class MobileListView(ScopedListView):
    model = MobileRecord
    table_class = MobileRecordTable
    filterset_class = MobileRecordFilter
    title = "流动党员"
    export_name = "流动党员外出登记"

    def base_queryset(self):
        return MobileRecord.objects.select_related("member__person", "org")


class MobileStartView(ScopedObjectMixin, View):
    model = Member
    action = "change"

    def get(self, request, pk):
        return self.show(F.MobileStartForm())

    def post(self, request, pk):
        form = F.MobileStartForm(request.POST)
        if form.is_valid():
            try:
                record = mobility.start_mobility(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{self.object.person.name}”外出。")
                return redirect("mobile-detail", pk=record.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"登记“{self.object.person.name}”外出（流动党员）",
            form,
            member=self.object,
            status=status,
        )


class MobileDetailView(ScopedObjectMixin, View):
    model = MobileRecord

    def get(self, request, pk):
        return self.show()

    def show(self, end_form=None, activity_form=None, status=200):
        record, user = self.object, self.request.user
        due = (
            record.ended_on is None
            and record.fixed_place
            and reached(record.since, timezone.localdate(), MOBILE_TRANSFER_MONTHS.value)
        )
        ctx = {
            "title": f"{record.member.person.name}的外出登记",
            "record": record,
            "member": record.member,
            "activities": record.activities.select_related("recorded_by"),
            "can_change": can(user, "change", record),
            "end_form": end_form or F.MobileEndForm(),
            "activity_form": activity_form or F.MobileActivityForm(),
            "transfer_due": due,
            "rule": MOBILE_TRANSFER_MONTHS,
        }
        return render(self.request, "members/records/mobile_detail.html", ctx, status=status)


class MobileEndView(PostOnly, MobileDetailView):
    def post(self, request, pk):
        form = F.MobileEndForm(request.POST)
        if form.is_valid():
            try:
                mobility.end_mobility(
                    request.user, self.object, form.cleaned_data["ended_on"], form.cleaned_data["note"]
                )
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记返回。")
                return redirect("mobile-detail", pk=self.object.pk)
        return self.show(end_form=form, status=400)


class MobileActivityView(PostOnly, MobileDetailView):
    def post(self, request, pk):
        form = F.MobileActivityForm(request.POST)
        if form.is_valid():
            try:
                mobility.record_mobile_activity(request.user, self.object, **form.cleaned_data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已登记活动。")
                return redirect("mobile-detail", pk=self.object.pk)
        return self.show(activity_form=form, status=400)


# --- lost contact and standing ---------------------------------------------------------------------


class LostContactListView(ScopedListView):
    model = Member
    table_class = LostContactTable
    filterset_class = LostContactFilter
    title = "失联党员和停止党籍党员"
    export_name = "失联党员"
    export_exclude = ("actions",)

    def base_queryset(self):
        return Member.objects.filter(lost_or_suspended()).select_related("person", "org")


def standing_kinds(user, member: Member) -> list[str]:
    """The decisions that fit the member's state and the user's role."""
    Kind = standing.Kind
    if member.standing == Standing.SUSPENDED:
        return [Kind.RESTORE, Kind.REMOVE] if can(user, "restore", member) else [Kind.REMOVE]
    if member.standing != Standing.NORMAL:
        return []
    return [Kind.FOUND, Kind.SUSPEND] if member.lost_contact_since else [Kind.LOST]


class StandingView(ScopedObjectMixin, View):
    model = Member
    action = "change"

    def get(self, request, pk):
        kinds = standing_kinds(request.user, self.object)
        wanted = request.GET.get("kind")
        initial = {
            "kind": wanted if wanted in kinds else (kinds[0] if kinds else None),
            "decided_by": standing.RESTORE_BY if wanted == standing.Kind.RESTORE else self.object.org.name,
        }
        return self.show(F.StandingForm(initial=initial, kinds=kinds))

    def post(self, request, pk):
        form = F.StandingForm(request.POST, kinds=standing_kinds(request.user, self.object))
        if form.is_valid():
            d = form.cleaned_data
            try:
                decision = standing.decide(
                    request.user, self.object, d["kind"], d["decided_on"], d["decided_by"], d["note"]
                )
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{decision.get_kind_display()}”。")
                return redirect("member-detail", pk=self.object.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        member = self.object
        kind, text, due = proposal(member, timezone.localdate())
        return form_page(
            self.request,
            f"“{member.person.name}”的失联与党籍处置",
            form,
            member=member,
            status=status,
            decisions=member.decisions.all(),
            proposal_text=text,
            no_choice="该党员当前的党籍状态无需处置。" if not form.fields["kind"].choices else "",
        )


# --- transfers -------------------------------------------------------------------------------------


class TransferListView(ScopedListView):
    model = Transfer
    table_class = TransferTable
    filterset_class = TransferFilter
    template_name = "members/records/transfer_list.html"
    title = "组织关系转接"
    export_name = "组织关系转接"

    def base_queryset(self):
        return Transfer.objects.select_related("member__person", "from_org", "to_org")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_receive"] = member_orgs(self.request.user, "add").exists()
        return ctx


class TransferStartView(ScopedObjectMixin, View):
    model = Member
    action = "change"

    def get(self, request, pk):
        return self.show(F.TransferStartForm(initial={"kind": TransferKind.INTERNAL}))

    def post(self, request, pk):
        form = F.TransferStartForm(request.POST)
        if form.is_valid():
            try:
                transfer = transfers.start_transfer(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已开具组织关系介绍信，等待接收方确认。")
                return redirect(transfer)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(
            self.request,
            f"转接“{self.object.person.name}”的组织关系",
            form,
            member=self.object,
            status=status,
        )


class TransferReceiveView(View):
    """A list-kind route: the receiving branch comes with the form and must be one where the user may add
    members, so an out-of-scope branch is refused like an unknown one."""

    route_scope = RouteScope("list", model=Transfer)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.branches = member_orgs(request.user, "add")
        if not self.branches.exists():
            raise PermissionDenied("您的角色无权接收转入党员。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(F.ReceiveForm(branches=self.branches))

    def post(self, request):
        form = F.ReceiveForm(request.POST, branches=self.branches)
        if form.is_valid():
            d = form.cleaned_data
            data = MemberData(**{name: d[name] for name in F.ReceiveForm.PERSON_FIELDS})
            try:
                transfer = transfers.receive_from_outside(
                    request.user,
                    d["org"],
                    data,
                    letter_no=d["letter_no"],
                    outside_org_name=d["outside_org_name"],
                    received_on=d["received_on"],
                    issued_on=d["issued_on"],
                    note=d["note"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已接收“{transfer.member.person.name}”并登记入花名册。")
                return redirect(transfer)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(self.request, "接收从系统外转入的党员", form, back="transfer-list", status=status)


class TransferDetailView(ScopedObjectMixin, View):
    model = Transfer

    def get(self, request, pk):
        return self.show()

    def show(self, receipt_form=None, cancel_form=None, status=200):
        t, user = self.object, self.request.user
        pending = t.status == TransferStatus.PENDING
        side = "to" if t.kind == TransferKind.INTERNAL else "from"
        ctx = {
            "title": f"{t.member.person.name}的组织关系转接",
            "transfer": t,
            "pending_days": (timezone.localdate() - t.issued_on).days if pending else None,
            "confirm_days": int(
                rule_value(TRANSFER_CONFIRM_DAYS.code, county_of(t.to_org if side == "to" else t.from_org))
            ),
            "can_confirm": pending and transfers.may(user, "change", t, side),
            "can_cancel": pending and transfers.may(user, "change", t, "from"),
            "receipt_form": receipt_form or F.ReceiptForm(),
            "cancel_form": cancel_form or F.CancelForm(),
            "member_visible": can(user, "view", t.member),
        }
        return render(self.request, "members/records/transfer_detail.html", ctx, status=status)


class TransferConfirmView(PostOnly, TransferDetailView):
    def post(self, request, pk):
        form = F.ReceiptForm(request.POST)
        if form.is_valid():
            try:
                transfers.confirm_receipt(request.user, self.object, form.cleaned_data["received_on"])
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已确认接收。")
                return redirect("transfer-detail", pk=self.object.pk)
        return self.show(receipt_form=form, status=400)


class TransferCancelView(PostOnly, TransferDetailView):
    def post(self, request, pk):
        form = F.CancelForm(request.POST)
        if form.is_valid():
            try:
                transfers.cancel_transfer(request.user, self.object, form.cleaned_data["note"])
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已撤回转接。")
                return redirect("transfer-detail", pk=self.object.pk)
        return self.show(cancel_form=form, status=400)


# --- households ------------------------------------------------------------------------------------


class HouseholdListView(ScopedListView):
    model = Household
    table_class = HouseholdTable
    filterset_class = HouseholdFilter
    template_name = "members/records/household_list.html"
    title = "党员包户"
    export_name = "党员包户农户"

    def base_queryset(self):
        return (
            Household.objects.filter(archived_at__isnull=True)
            .select_related("org", "grid")
            .annotate(open_links=Count("links", filter=Q(links__ended_on__isnull=True)))
            .order_by("org__path", "head_name", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["unlinked"] = unlinked_by_branch(
            Household.objects.restrict(user).filter(archived_at__isnull=True)
        )
        ctx["can_add"] = member_orgs(user, "add").exists()
        return ctx


class HouseholdCreateView(View):
    """A list-kind route: the branch comes with the form, chosen among those where the user may add."""

    route_scope = RouteScope("list", model=Household)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.branches = member_orgs(request.user, "add")
        if not self.branches.exists():
            raise PermissionDenied("您的角色无权登记农户。")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        grids = Grid.objects.restrict(self.request.user).filter(archived_at__isnull=True).order_by("name")
        return F.HouseholdForm(data, branches=self.branches, grids=grids)

    def get(self, request):
        return self.show(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                household = households.create_household(request.user, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记“{household}”。")
                return redirect(household)
        return self.show(form, status=400)

    def show(self, form, status=200):
        return form_page(self.request, "登记农户", form, back="household-list", status=status)


class HouseholdDetailView(ScopedObjectMixin, View):
    model = Household

    def get(self, request, pk):
        return self.show()

    def show(self, link_form=None, status=200):
        h, user = self.object, self.request.user
        links = list(h.links.select_related("member__person").order_by("ended_on", "-since"))
        may_change = can(user, "change", HouseholdLink(org=h.org))
        members = (
            Member.objects.restrict(user, "change")
            .filter(org_id=h.org_id, standing=Standing.NORMAL)
            .select_related("person")
            .order_by("person__name_pinyin")
        )
        ctx = {
            "title": f"{h}",
            "household": h,
            "links": links,
            "visits": HouseholdVisit.objects.filter(link__household=h).select_related(
                "link__member__person", "recorded_by"
            )[:50],
            "can_change": may_change,
            "link_form": link_form or F.LinkForm(members=members),
            "phone": mask_phone(h.phone),
        }
        return render(self.request, "members/records/household_detail.html", ctx, status=status)


class HouseholdLinkView(PostOnly, HouseholdDetailView):
    def post(self, request, pk):
        members = Member.objects.restrict(request.user, "view").filter(org_id=self.object.org_id)
        form = F.LinkForm(request.POST, members=members.select_related("person"))
        if form.is_valid():
            try:
                households.link_household(
                    request.user, form.cleaned_data["member"], self.object, form.cleaned_data["since"]
                )
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已添加联系党员。")
                return redirect(self.object)
        return self.show(link_form=form, status=400)


class LinkActionView(PostOnly, ScopedObjectMixin, View):
    """Per-link forms on the household page: the outcome comes back as a message on that page."""

    model = HouseholdLink
    form_class: type = F.UnlinkForm
    done = ""

    def post(self, request, pk):
        form = self.form_class(request.POST)
        try:
            if not form.is_valid():
                raise DomainError("；".join(e for errs in form.errors.values() for e in errs))
            self.act(form.cleaned_data)
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done)
        return redirect("household-detail", pk=self.object.household_id)


class HouseholdUnlinkView(LinkActionView):
    form_class = F.UnlinkForm
    done = "已结束包户联系。"

    def act(self, data):
        households.unlink(self.request.user, self.object, data["ended_on"])


class HouseholdVisitView(LinkActionView):
    form_class = F.VisitForm
    done = "已登记走访。"

    def act(self, data):
        households.record_visit(self.request.user, self.object, data["visited_on"], data["note"])


# --- dues ------------------------------------------------------------------------------------------


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return month_start(datetime.datetime.strptime((value or "").strip()[:7], "%Y-%m").date())
    except ValueError:
        return default


class DuesListView(ScopedListView):
    """Per branch and month: every member on the roll with the amount due, paid or not, and a box per
    unpaid member for the branch's monthly collection."""

    model = Member
    filterset_class = DuesFilter
    template_name = "members/records/dues_list.html"
    title = "党费收缴"
    export_name = "党费收缴"
    export_exclude = ("select",)

    def dispatch(self, request, *args, **kwargs):
        self.month = parse_month(request.GET.get("month"), month_start(timezone.localdate()))
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return with_month_payment(
            Member.objects.filter(standing=Standing.NORMAL).select_related("person", "org"), self.month
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["branches"] = member_orgs(self.request.user, "view")
        return kwargs

    def get_table_class(self):
        return partial(DuesTable, amount_for=dues.DuesCalculator().amount)

    def chosen_org(self) -> Org | None:
        value = self.request.GET.get("org", "")
        return member_orgs(self.request.user, "view").filter(pk=value).first() if value.isdigit() else None

    def get_table_kwargs(self):
        org = self.chosen_org()
        self.org = org
        self.can_collect = (
            org is not None
            and self.month <= month_start(timezone.localdate())
            and can(self.request.user, "change", member_probe(org))
        )
        return {"selectable": self.can_collect}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = self.object_list.aggregate(
            total=Count("pk"), paid=Count("pk", filter=Q(paid_amount__isnull=False))
        )
        counts["unpaid"] = counts["total"] - counts["paid"]
        ctx.update(
            month=self.month,
            previous=add_months(self.month, -1),
            following=add_months(self.month, 1),
            org=self.org,
            can_collect=self.can_collect,
            counts=counts,
            collect_form=F.CollectForm(
                initial={"org": self.org.pk if self.org else None, "month": self.month}
            ),
        )
        return ctx


@scoped("list", model=DuesPayment)
@login_required
@require_POST
def dues_collect(request):
    """The bulk form of the dues page. The branch is looked up in the user's scope first (404 outside)."""
    form = F.CollectForm(request.POST)
    if not form.is_valid():
        return render(
            request, "core/error.html", {"status": 400, "message": "请选择党支部和月份后再提交。"}, status=400
        )
    d = form.cleaned_data
    org = get_scoped_or_404(Org, request.user, "view", pk=d["org"])
    try:
        done = dues.record_payments_bulk(request.user, org, d["month"], d["member_ids"], d["paid_on"])
    except ActionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已登记{len(done)}名党员{d['month']:%Y年%m月}的党费。")
    return redirect(f"{reverse('dues-list')}?org={org.pk}&month={d['month']:%Y-%m}")


class MemberDuesView(ScopedObjectMixin, View):
    """One member's dues: the amount due, the unpaid months of the last year, payments, and a form."""

    model = Member

    def get(self, request, pk):
        return self.show(F.PaymentForm(initial={"amount": dues.monthly_amount(self.object)}))

    def post(self, request, pk):
        form = F.PaymentForm(request.POST)
        if form.is_valid():
            try:
                payment = dues.record_payment(request.user, self.object, **form.cleaned_data)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已登记{payment.month:%Y年%m月}党费{payment.amount}元。")
                return redirect("member-dues", pk=self.object.pk)
        return self.show(form, status=400)

    def show(self, form, status=200):
        member = self.object
        ctx = {
            "title": f"{member.person.name}的党费",
            "member": member,
            "form": form,
            "amount": dues.monthly_amount(member),
            "arrears": dues.arrears(member),
            "payments": member.dues_payments.select_related("recorded_by")[:24],
            "can_change": can(self.request.user, "change", member) and member.standing == Standing.NORMAL,
        }
        return render(self.request, "members/records/member_dues.html", ctx, status=status)
