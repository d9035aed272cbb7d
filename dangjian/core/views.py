"""The workbench, health check, rules in force, and the scoped audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Grid, Org

from .excel import xlsx_response
from .filtersets import AuditEventFilter
from .findings import CHECKS, findings_for
from .models import AuditEvent
from .roles import Role
from .routes import scoped
from .rules import REGISTRY, all_rules
from .tables import AuditEventTable
from .views_base import ScopedListView


@scoped("public")
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy, and must not become a 500
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@scoped("user")
@login_required
def workbench(request):
    """What the signed-in user is responsible for, in real counts (a fixed number of queries)."""
    user = request.user
    orgs = Org.objects.restrict(user).filter(archived_at__isnull=True)
    by_kind = dict(orgs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    counts = [(OrgKind(k).label, k, by_kind.get(k, 0)) for k in OrgKind.values if by_kind.get(k)]
    roles = list(user.roles.select_related("org", "department", "grid").order_by("org__path"))
    ctx = {
        "roles": roles,
        "counts": counts,
        "grid_count": Grid.objects.restrict(user).filter(archived_at__isnull=True).count(),
        "department_count": Department.objects.restrict(user).filter(archived_at__isnull=True).count(),
        "recent": list(AuditEvent.objects.restrict(user).select_related("org")[:8]),
        "members": _member_counts(user),
        "development": _development_counts(user),
        "life": _life_counts(user),
        "cases": _case_counts(user),
        "is_superuser": user.is_superuser,
        "Role": Role,
    }
    return render(request, "core/workbench.html", ctx)


def _member_counts(user) -> dict[str, int]:
    """Roster totals in one aggregate query, answered from member_org_standing_idx alone (counting org_id and
    the columns it carries: no visit to the table's rows, a county's 24,000 members in a few ms)."""
    from django.db.models import Q

    from dangjian.members.choices import ON_ROLL

    return (
        Member.objects.restrict(user)
        .filter(standing__in=ON_ROLL)
        .aggregate(
            total=Count("org"),
            probationary=Count("org", filter=Q(status="probationary")),
            mobile=Count("org", filter=Q(is_mobile=True)),
            lost=Count("org", filter=Q(lost_contact_since__isnull=False)),
        )
    )


def _development_counts(user) -> dict[str, int]:
    """Open development cases and how many are late or due soon, in one aggregate query."""
    import datetime

    from django.db.models import Q

    from dangjian.core.rules import rule_value
    from dangjian.development.models import CaseStatus, DevelopmentCase

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=int(rule_value("development.due_soon_days")))
    return (
        DevelopmentCase.objects.restrict(user)
        .filter(status__in=[CaseStatus.OPEN, CaseStatus.PROBATION])
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(next_due__lt=today)),
            due_soon=Count("id", filter=Q(next_due__gte=today, next_due__lte=soon)),
        )
    )


def _life_counts(user) -> dict[str, Any]:
    """This month's organisational life across the user's subtree (one evaluation of the compliance
    engine), meetings planned in the next two weeks, and the user's own unsigned notices. The
    superuser's subtree is the whole database, so the engine is left to the compliance page there."""
    import datetime

    from dangjian.meetings.choices import MeetingStatus
    from dangjian.meetings.models import Meeting
    from dangjian.meetings.stats import held_rate
    from dangjian.notices.models import NoticeReceipt

    now = timezone.now()
    counts: dict[str, Any] = {
        "planned": Meeting.objects.restrict(user)
        .filter(
            status=MeetingStatus.PLANNED,
            planned_at__gte=now,
            planned_at__lt=now + datetime.timedelta(days=14),
        )
        .count(),
        "unsigned": NoticeReceipt.objects.filter(user_id=user.pk, signed_at__isnull=True).count(),
        "rate": None,
    }
    if not user.is_superuser:
        rows = held_rate(user).values()
        due, met = sum(r["due"] for r in rows), sum(r["met"] for r in rows)
        counts |= {
            "due": due,
            "met": met,
            "rate": round(100 * met / due) if due else None,
            "overdue": sum(r["overdue"] for r in rows),
            "due_soon": sum(r["due_soon"] for r in rows),
        }
    return counts


def _case_counts(user) -> dict[str, int]:
    """The user's cases (owned, waiting for their acceptance or sign-off, routed to their department and
    not yet answered) and the subtree's overdue ones, in one aggregate query."""
    from django.db.models import Q

    from dangjian.cases.models import Case, CaseRoute
    from dangjian.cases.selectors import overdue_q, waiting_acceptance_q, waiting_signoff_q
    from dangjian.core.scope import side_ids

    today = timezone.localdate()
    departments = side_ids(user)[1]
    # Every count is of cases still open: the partial index case_open_org_idx reads a county's open cases
    # (a tenth of them) instead of all.
    return (
        Case.objects.restrict(user)
        .exclude(state="closed")
        .aggregate(
            # Owner or co-owner, each side indexable: an OR across the co-owner join read every case of the
            # province (4.8 million rows, seconds per workbench).
            mine=Count(
                "id",
                filter=Q(owner=user)
                | Q(pk__in=Case.co_owners.through.objects.filter(user=user).values("case_id")),
            ),
            overdue=Count("id", filter=overdue_q(today)),
            acceptance=Count("id", filter=waiting_acceptance_q(user) & Q(acceptor=user)),
            signoff=Count("id", filter=waiting_signoff_q(user)),
            routed=Count(
                "id",
                filter=Q(state="routed")
                & Q(
                    pk__in=CaseRoute.objects.filter(department_id__in=departments, state="pending").values(
                        "case_id"
                    )
                ),
            ),
        )
    )


@scoped("user")
@login_required
def rules_page(request):
    from dangjian.development.rules import VERSIONS

    return render(request, "core/rules.html", {"rules": all_rules(), "versions": VERSIONS.values()})


class AuditEventListView(ScopedListView):
    model = AuditEvent
    table_class = AuditEventTable
    filterset_class = AuditEventFilter
    title = "操作记录"

    def base_queryset(self):
        return AuditEvent.objects.select_related("org")


@scoped("public")
def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


@scoped("list", model=Member, exports=True)
@login_required
@require_GET
def findings_page(request):
    """What is late or missing in the user's subtree, from every registered check, with the rule
    and its source beside each finding."""
    today = timezone.localdate()
    code = request.GET.get("check") or None
    severity = request.GET.get("severity") or None
    items = [
        f
        for f in findings_for(request.user, today, [code] if code in CHECKS else None)
        if severity in (None, f.severity)
    ]
    org_id = request.GET.get("org", "")
    within = Org.objects.restrict(request.user).filter(pk=org_id).first() if org_id.isdigit() else None
    if org_id and within is None:
        items = []  # an org outside the user's scope (or no org) shows nothing, not everything
    elif within is not None:
        paths = dict(Org.objects.filter(pk__in={f.org_id for f in items}).values_list("pk", "path"))
        items = [f for f in items if paths.get(f.org_id, "").startswith(within.path)]
    items.sort(key=lambda f: (f.severity != "overdue", f.due_on or today, f.org_name, f.subject))
    registry = REGISTRY
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"提醒与问题-{today:%Y%m%d}.xlsx",
            "提醒与问题",
            ["类别", "组织", "对象", "问题", "期限", "依据"],
            (
                (
                    CHECKS[f.check].title if f.check in CHECKS else "",
                    f.org_name,
                    f.subject,
                    f.message,
                    f.due_on,
                    registry[f.rule].source if f.rule in registry else "",
                )
                for f in items
            ),
            title=f"提醒与问题（{today:%Y-%m-%d}）",
        )
    paginator = Paginator(items, 100)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/findings.html",
        {
            "title": "提醒与问题",
            "page": page,
            "rules": registry,
            "checks": sorted(CHECKS.values(), key=lambda c: (c.area, c.title)),
            "check": code or "",
            "severity": severity or "",
            "within": within,
            "query": query.urlencode(),
            "counts": {
                "overdue": sum(f.severity == "overdue" for f in items),
                "due_soon": sum(f.severity == "due_soon" for f in items),
            },
        },
    )
