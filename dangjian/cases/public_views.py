"""Pages without login. A township's public board (公开栏) of the cases it has published, and the receipt
lookup where a resident follows their errand or whistle. Neither shows personal data: no resident names or
phones, no owners, no receipt numbers on the board, no notes or names on the lookup's timeline."""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.routes import scoped
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .choices import CaseKind, EventType
from .kinds import KINDS
from .models import Case, CaseEvent
from .selectors import running_q

BOARD_PAGE_SIZE = 20
# What the public sees of a case's state, the same three stages for every kind.
STAGES: dict[str, str] = {"running": "办理中", "checking": "待验收销号", "closed": "已办结"}
BOARD_FIELDS = (
    "kind",
    "state",
    "public_title",
    "public_result",
    "opened_on",
    "deadline",
    "closed_at",
    "published_at",
    "org__name",
    "category__name",
)
LOOKUP_FAILURES_KEY = "case_lookup_failures"
LOOKUP_MAX_FAILURES = 10
LOOKUP_WINDOW_SECONDS = 3600
PUBLIC_EVENTS = (
    EventType.OPEN,
    EventType.TRANSITION,
    EventType.ROUTE,
    EventType.DEPT_ACCEPT,
    EventType.SUPERVISE,
    EventType.ESCALATE,
    EventType.REOPEN,
    EventType.SATISFACTION,
)
RECEIPT_RE = re.compile(r"^[A-Z]-\d{6}-[0-9A-Z]{5}$")


def stage_of(kind: str, state: str) -> str:
    if state == "closed":
        return "closed"
    if state in KINDS[kind].running_states:
        return "running"
    return "checking"


def stage_q(stage: str) -> Q:
    if stage == "closed":
        return Q(state="closed")
    if stage == "running":
        return running_q()
    return ~Q(state="closed") & ~running_q()


# --- the public board ----------------------------------------------------------------------------------


@scoped("public")
@require_GET
def board(request, pk: int):
    """A township's published cases with their stage, dates and public result; filter by stage and kind,
    a count by stage. A pk that is not an open township answers 404."""
    township = Org.objects.filter(pk=pk, kind=OrgKind.TOWNSHIP, archived_at__isnull=True).first()
    if township is None:
        raise Http404("未找到")
    today = timezone.localdate()
    published = Case.objects.filter(township=township, published_at__isnull=False)
    stage = request.GET.get("state", "")
    stage = stage if stage in STAGES else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in CaseKind.values else ""
    by_state = published.values("kind", "state").annotate(n=Count("pk")).order_by()
    stage_counts = dict.fromkeys(STAGES, 0)
    kind_counts = dict.fromkeys(CaseKind.values, 0)
    for r in by_state:
        if not kind or r["kind"] == kind:
            stage_counts[stage_of(r["kind"], r["state"])] += r["n"]
        if not stage or stage_of(r["kind"], r["state"]) == stage:
            kind_counts[r["kind"]] += r["n"]
    shown = published
    if stage:
        shown = shown.filter(stage_q(stage))
    if kind:
        shown = shown.filter(kind=kind)
    shown = shown.select_related("org", "category").only(*BOARD_FIELDS).order_by("-opened_on", "-pk")
    page = Paginator(shown, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "title": c.public_title,
            "result": c.public_result,
            "category": c.category.name if c.category else "",
            "place": c.org.name,
            "kind": c.get_kind_display(),
            "state": c.state_label,
            "stage": stage_of(c.kind, c.state),
            "opened_on": c.opened_on,
            "deadline": c.deadline,
            "closed_on": timezone.localtime(c.closed_at).date() if c.closed_at else None,
            "overdue": c.state in KINDS[c.kind].running_states and c.deadline and c.deadline < today,
        }
        for c in page.object_list
    ]
    filters = {k: v for k, v in (("state", stage), ("kind", kind)) if v}
    ctx = {
        "title": f"{township.name}事项公开栏",
        "township": township,
        "items": items,
        "page": page,
        "stage": stage,
        "kind": kind,
        "stages": [(code, label, stage_counts[code]) for code, label in STAGES.items()],
        "kinds": [(code, label, kind_counts[code]) for code, label in CaseKind.choices],
        "total": sum(stage_counts.values()) if not stage else sum(kind_counts.values()),
        "query": urlencode(filters),
        "today": today,
    }
    return render(request, "cases/public_board.html", ctx)


# --- the receipt lookup --------------------------------------------------------------------------------


def normalise_receipt(text: str) -> str:
    """What residents type: full-width characters, lower case, spaces, no dashes → D-261202-7KQ3M."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    text = re.sub(r"[^0-9A-Z-]", "", text.replace("—", "-").replace("－", "-"))
    bare = text.replace("-", "")
    if len(bare) == 12:
        return f"{bare[0]}-{bare[1:7]}-{bare[7:]}"
    return text


def _recent_failures(request) -> list[float]:
    now = time.time()
    return [t for t in request.session.get(LOOKUP_FAILURES_KEY, []) if now - t < LOOKUP_WINDOW_SECONDS]


def _fail(request, failures: list[float]) -> None:
    request.session[LOOKUP_FAILURES_KEY] = [*failures, time.time()]


def _timeline(case: Case) -> list[dict[str, Any]]:
    """Step labels and dates only: no notes, no names, no departments."""
    spec = KINDS[case.kind]
    steps = []
    for type_, code, at in (
        CaseEvent.objects.filter(case=case, type__in=PUBLIC_EVENTS)
        .order_by("at", "pk")
        .values_list("type", "transition", "at")
    ):
        t = spec.transition(code) if type_ == EventType.TRANSITION else None
        label = t.label if t else ("受理" if type_ == EventType.OPEN else EventType(type_).label)
        steps.append({"label": label, "at": at})
    return steps


def _result(case: Case) -> dict[str, Any]:
    if case.service_id:
        item = case.service.name
    elif case.published_at and case.public_title:
        item = case.public_title
    else:
        item = case.category.name if case.category_id else case.get_kind_display()
    return {
        "kind": case.get_kind_display(),
        "item": item,
        "township": case.township.name if case.township_id else case.county.name,
        "state": case.state_label,
        "stage": stage_of(case.kind, case.state),
        "opened_on": case.opened_on,
        "deadline": case.deadline,
        "done_on": timezone.localtime(case.done_at).date() if case.done_at else None,
        "closed_on": timezone.localtime(case.closed_at).date() if case.closed_at else None,
        "overdue": case.state in KINDS[case.kind].running_states
        and case.deadline
        and case.deadline < timezone.localdate(),
        "steps": _timeline(case),
        "public_result": case.public_result if case.published_at else "",
    }


@scoped("public")
@require_http_methods(["GET", "POST"])
def lookup(request):
    """A resident types the receipt number (and, where a phone was taken, its last four digits) and sees
    the state, the steps with their dates and the promised deadline. Failed lookups are counted per
    session: after ten within an hour the form refuses for the rest of the hour."""
    ctx: dict[str, Any] = {"title": "办理进度查询", "receipt": "", "phone": ""}
    if request.method == "GET":
        return render(request, "cases/public_lookup.html", ctx)
    receipt = normalise_receipt(request.POST.get("receipt", ""))
    phone = unicodedata.normalize("NFKC", request.POST.get("phone", "")).strip()
    ctx.update(receipt=receipt, phone=phone)
    failures = _recent_failures(request)
    if len(failures) >= LOOKUP_MAX_FAILURES:
        ctx["error"] = "查询失败次数过多，为防止他人猜测编号，请一小时后再试，或到受理窗口咨询。"
        ctx["limited"] = True
        return render(request, "cases/public_lookup.html", ctx, status=429)
    if not receipt:
        ctx["error"] = "请填写受理编号（在受理回执上，如 D-261202-7KQ3M）。"
        return render(request, "cases/public_lookup.html", ctx, status=400)
    if not RECEIPT_RE.match(receipt):
        ctx["error"] = "受理编号格式不正确：应为“字母-6位数字-5位字母或数字”，如 D-261202-7KQ3M。"
        return render(request, "cases/public_lookup.html", ctx, status=400)
    if phone and not re.fullmatch(r"\d{4}", phone):
        ctx["error"] = "电话后四位应为4位数字。"
        return render(request, "cases/public_lookup.html", ctx, status=400)
    case = (
        Case.objects.filter(receipt_no=receipt)
        .select_related("township", "county", "category", "service")
        .first()
    )
    digits = re.sub(r"\D", "", case.resident_phone) if case else ""
    if case is None or (digits and digits[-4:] != phone):
        _fail(request, failures)
        left = LOOKUP_MAX_FAILURES - len(failures) - 1
        ctx["error"] = (
            "没有查到：受理编号不存在，或电话后四位与登记的不一致。登记时留了电话的，请同时填写电话后四位。"
            + (f"一小时内还可再试{left}次。" if left else "一小时内不能再查询。")
        )
        return render(request, "cases/public_lookup.html", ctx, status=400)
    ctx["result"] = _result(case)
    return render(request, "cases/public_lookup.html", ctx)
