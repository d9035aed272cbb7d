"""Pages of the notification centre: my notifications, my week, my settings, and the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangjian.core.errors import DomainError
from dangjian.core.routes import scoped
from dangjian.core.scope import get_scoped_or_404
from dangjian.core.views_base import ScopedListView

from . import services
from .filtersets import DeliveryFilter, NotificationFilter
from .forms import PreferenceForm
from .models import Delivery, Kind, Notification
from .tables import DeliveryTable
from .week import my_week

PAGE_SIZE = 30


def _back(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(default)


def mine(user):
    return Notification.objects.restrict(user)


@scoped("user")
@login_required
def notification_list(request):
    """My notifications: unread first, then newest; filter by kind and unread; 30 a page."""
    base = mine(request.user)
    f = NotificationFilter(request.GET, queryset=base)
    qs = f.qs if f.is_valid() else base
    qs = qs.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    counts = base.aggregate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
    by_kind = dict(
        base.filter(read_at__isnull=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "title": "消息中心",
        "page": page,
        "filter": f,
        "counts": counts,
        "kinds": [(k, label, by_kind.get(k, 0)) for k, label in Kind.choices],
        "kind": request.GET.get("kind", ""),
        "unread_only": request.GET.get("unread") in ("true", "True", "1", "on"),
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    return render(request, "notifications/list.html", ctx)


@scoped("user", Notification)
@login_required
def notification_open(request, pk):
    """Open a notification: mark it read and go to the page where the user acts."""
    n = get_scoped_or_404(Notification, request.user, pk=pk)
    services.mark_read(request.user, n)
    return HttpResponseRedirect(n.url or reverse("notification-list"))


@scoped("user", Notification)
@require_POST
@login_required
def notification_read(request, pk):
    n = get_scoped_or_404(Notification, request.user, pk=pk)
    services.mark_read(request.user, n)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_item.html", {"n": n, "today": timezone.localdate()})
    return _back(request, "notification-list")


@scoped("user")
@require_POST
@login_required
def notification_read_all(request):
    kind = request.POST.get("kind", "")
    done = services.mark_all_read(request.user, kind=kind if kind in Kind.values else "")
    messages.success(request, f"已将{done}条消息标为已读。")
    return _back(request, "notification-list")


@scoped("user")
@login_required
def preferences(request):
    pref = services.preference_for(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.save_preferences(request.user, **form.cleaned_data)
            except DomainError as exc:
                for err in getattr(exc, "errors", None) or [exc]:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, "提醒设置已保存。")
                return redirect("notification-preferences")
        status = 400
    else:
        form = PreferenceForm(
            initial={
                "email": pref.email,
                "sms": pref.sms,
                "wechat": pref.wechat,
                "digest": pref.digest,
                "digest_hour": pref.digest_hour,
                "muted_kinds": pref.muted_kinds,
            }
        )
        status = 200
    ctx = {
        "title": "提醒设置",
        "form": form,
        "user_email": request.user.email,
        "user_phone": request.user.phone,
    }
    return render(request, "notifications/preferences.html", ctx, status=status)


@scoped("user")
@login_required
def week(request):
    """The standalone page; `?partial=1` answers the panel alone (for an htmx-loaded workbench)."""
    today = timezone.localdate()
    if request.GET.get("partial"):
        return render(request, "notifications/_my_week.html", {"my_week": my_week(request.user, today)})
    return render(
        request,
        "notifications/week.html",
        {"title": "我的本周", "my_week": my_week(request.user, today, limit=None)},
    )


class DeliveryListView(ScopedListView):
    """The delivery log: my own deliveries, and for a county admin those of every user in the county."""

    model = Delivery
    table_class = DeliveryTable
    filterset_class = DeliveryFilter
    title = "消息发送记录"
    export_name = "消息发送记录"

    def base_queryset(self):
        return Delivery.objects.select_related("notification__user").order_by("-created_at", "-pk")
