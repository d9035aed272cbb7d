"""Pages of notices, study pushes and trainings. Thin: reads through the selectors (the scope layer),
writes through the services; a refused write shows the service's Chinese message beside its field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_GET

from dangjian.accounts.models import User
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope, scoped
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.members.choices import ON_ROLL
from dangjian.members.models import Member
from dangjian.members.views import attach_errors
from dangjian.orgs.models import Org

from . import selectors, services
from .filtersets import NoticeFilter, ReceiptFilter, StudyPushFilter, StudyReceiptFilter, TrainingFilter
from .forms import NoticeForm, SignForm, StudyPushForm, TrainingForm
from .models import Attachment, Notice, NoticeReceipt, StudyPush, StudyReceipt, Training
from .tables import (
    NoticeReceiptTable,
    NoticeTable,
    StudyPushTable,
    StudyReceiptTable,
    TrainingTable,
    kinds_text,
    receipt_status,
)

FORM_TEMPLATE = "notices/form.html"
UNSIGNED_SHOWN = 200
CANDIDATES_SHOWN = 300


def _file_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("文件不存在") from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


class NewView(View):
    """A list-kind route that makes something in an org: the org comes with the form and is looked up
    among those where the user may add, so an out-of-scope org is refused like an unknown one."""

    model = Notice
    form_class = NoticeForm
    title = ""
    denied = ""
    back = ""
    route_scope = RouteScope("list", model=Notice)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.route_scope = RouteScope("list", model=cls.model)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        self.orgs = selectors.sendable_orgs(request.user, self.model)
        if not self.orgs.exists():
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.show(self.form_class(orgs=self.orgs, initial=self.initial()))

    def initial(self) -> dict:
        return {}

    def post(self, request):
        form = self.form_class(request.POST, request.FILES, orgs=self.orgs)
        if form.is_valid():
            try:
                obj = self.save(form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.done(obj))
                return redirect(obj)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"title": self.title, "form": form, "multipart": "files" in form.fields, "back": self.back}
        return render(self.request, FORM_TEMPLATE, ctx, status=status)


# --- notices -----------------------------------------------------------------------------------------


@scoped("user")
@login_required
@require_GET
def inbox(request):
    """The signed-in user's notices: unsigned first, past the sign-by date in red."""
    today = timezone.localdate()
    qs = selectors.inbox(request.user)
    counts = qs.aggregate(
        total=Count("id"),
        unsigned=Count("id", filter=Q(signed_at__isnull=True)),
        overdue=Count(
            "id", filter=Q(signed_at__isnull=True, notice__sign_by__lt=selectors.overdue_before(today))
        ),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    for r in page:
        r.status_label, r.status_css = receipt_status(r, today)
    ctx = {"title": "我的通知", "page": page, "counts": counts}
    return render(request, "notices/inbox.html", ctx)


class NoticeListView(ScopedListView):
    model = Notice
    table_class = NoticeTable
    filterset_class = NoticeFilter
    template_name = "notices/notice_list.html"
    title = "通知签阅"
    export_name = "通知签阅情况"

    def get_queryset(self):
        return selectors.notices(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_send"] = selectors.sendable_orgs(self.request.user, Notice).exists()
        return ctx


class NewNoticeView(NewView):
    model = Notice
    form_class = NoticeForm
    title = "发通知"
    denied = "您的角色不能发通知。"
    back = "notice-list"

    def save(self, d):
        return services.send_notice(
            self.request.user,
            d["org"],
            d["title"],
            d["body"],
            kinds=d["kinds"],
            sign_by=d["sign_by"],
            files=d["files"],
        )

    def done(self, notice):
        return f"已发送“{notice.title}”，共{notice.recipient_count}名接收人。"


class NoticePage:
    def __init__(self, request, notice: Notice):
        self.request, self.notice = request, notice

    def render(self, sign_form=None, status=200):
        user, notice, today = self.request.user, self.notice, timezone.localdate()
        mine = NoticeReceipt.objects.filter(notice=notice, user_id=user.pk).first()
        rows = selectors.receipts_by_org(user, notice, today)
        unsigned = list(
            selectors.receipts(user)
            .filter(notice=notice, signed_at__isnull=True)
            .order_by("org__path", "pk")[:UNSIGNED_SHOWN]
        )
        ctx = {
            "title": notice.title,
            "notice": notice,
            "kinds": kinds_text(notice.kinds),
            "files": list(notice.files.all()),
            "mine": mine,
            "mine_status": receipt_status(mine, today) if mine else None,
            "sign_form": sign_form or SignForm(),
            "rows": rows,
            "totals": {k: sum(r[k] for r in rows) for k in ("total", "read", "signed", "unsigned")},
            "overdue": selectors.is_overdue(notice.sign_by, today),
            "unsigned": unsigned,
            "unsigned_more": len(unsigned) == UNSIGNED_SHOWN,
        }
        return render(self.request, "notices/notice_detail.html", ctx, status=status)


class NoticeDetailView(ScopedObjectMixin, View):
    model = Notice

    def get(self, request, pk):
        services.mark_notice_read(request.user, self.object)
        return NoticePage(request, self.object).render()


class NoticeSignView(ScopedObjectMixin, View):
    """POST: 签收 the notice (the signed-in user's own receipt), with an optional reply."""

    model = Notice
    http_method_names = ["post"]

    def post(self, request, pk):
        form = SignForm(request.POST)
        if form.is_valid():
            try:
                services.sign_notice(request.user, self.object, form.cleaned_data["reply"])
            except DomainError as exc:
                if exc.field in form.fields:
                    attach_errors(form, exc)
                else:  # not a recipient, or signed already: there may be no form to show it beside
                    messages.error(request, exc.message)
            else:
                messages.success(request, "已签收。")
                return redirect(self.object)
        return NoticePage(request, self.object).render(sign_form=form, status=400)


class ReceiptListView(ScopedListView):
    model = NoticeReceipt
    table_class = NoticeReceiptTable
    filterset_class = ReceiptFilter
    title = "通知签阅明细"
    export_name = "通知签阅明细"

    def get_queryset(self):
        return selectors.receipts(self.request.user).order_by("-notice__sent_at", "org__path", "pk")


class AttachmentView(ScopedObjectMixin, View):
    """Files are private: streamed only to users who may see the notice or push they belong to."""

    model = Attachment

    def get(self, request, pk):
        return _file_response(self.object)


# --- study pushes ------------------------------------------------------------------------------------


class StudyPushListView(ScopedListView):
    model = StudyPush
    table_class = StudyPushTable
    filterset_class = StudyPushFilter
    template_name = "notices/push_list.html"
    title = "学习推送"
    export_name = "学习推送"

    def get_queryset(self):
        return selectors.pushes(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_send"] = selectors.sendable_orgs(self.request.user, StudyPush).exists()
        return ctx


class NewStudyPushView(NewView):
    model = StudyPush
    form_class = StudyPushForm
    title = "推送学习内容"
    denied = "您的角色不能推送学习内容。"
    back = "study-push-list"

    def save(self, d):
        return services.send_study_push(
            self.request.user,
            d["org"],
            d["title"],
            body=d["body"],
            link=d["link"],
            audience=d["audience"],
            files=d["files"],
        )

    def done(self, push):
        return f"已推送“{push.title}”给{push.recipient_count}名党员；可在本页导出阅读链接发送。"


class StudyPushDetailView(ScopedObjectMixin, View):
    model = StudyPush

    def get(self, request, pk):
        push, user = self.object, request.user
        rows = selectors.study_by_org(user, push)
        unread = list(
            selectors.study_receipts(user)
            .filter(push=push, read_at__isnull=True)
            .order_by("org__path", "member__person__name_pinyin")[:UNSIGNED_SHOWN]
        )
        ctx = {
            "title": push.title,
            "push": push,
            "files": list(push.files.all()),
            "rows": rows,
            "totals": {k: sum(r[k] for r in rows) for k in ("total", "read", "unread")},
            "unread": unread,
            "unread_more": len(unread) == UNSIGNED_SHOWN,
        }
        return render(request, "notices/push_detail.html", ctx)


class StudyReceiptListView(ScopedListView):
    model = StudyReceipt
    table_class = StudyReceiptTable
    filterset_class = StudyReceiptFilter
    title = "学习推送阅读情况"
    export_name = "学习推送阅读链接"

    def get_queryset(self):
        return selectors.study_receipts(self.request.user).order_by("-push__sent_at", "org__path", "pk")

    def get_table_class(self):
        """The links in the page and in the export are absolute, ready to paste into SMS or WeChat."""
        base = self.request.build_absolute_uri("/").rstrip("/")
        return type("StudyReceiptLinks", (StudyReceiptTable,), {"base_url": base})


@scoped("public")
@require_GET
def study_read(request, pk):
    """A member's read link: the push's content and the member's masked name, nothing else; the first
    visit marks the receipt read. `?file=` streams one of the push's attachments."""
    receipt = services.open_study_link(pk)
    if receipt is None:
        raise Http404("链接无效")
    push = receipt.push
    file_id = request.GET.get("file")
    if file_id:
        attachment = push.files.filter(pk=file_id).first() if file_id.isdigit() else None
        if attachment is None:
            raise Http404("文件不存在")
        response = _file_response(attachment)
    else:
        ctx = {
            "push": push,
            "name": selectors.mask_name(receipt.member.person.name),
            "files": push.files.all(),
            "token": True,
        }
        response = render(request, "notices/study_read.html", ctx)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


# --- trainings ---------------------------------------------------------------------------------------


class TrainingListView(ScopedListView):
    model = Training
    table_class = TrainingTable
    filterset_class = TrainingFilter
    template_name = "notices/training_list.html"
    title = "培训与线上研讨"
    export_name = "培训台账"

    def get_queryset(self):
        return selectors.trainings(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_send"] = selectors.sendable_orgs(self.request.user, Training).exists()
        return ctx


class NewTrainingView(NewView):
    model = Training
    form_class = TrainingForm
    title = "登记培训"
    denied = "您的角色不能登记培训。"
    back = "training-list"

    def initial(self):
        return {"start_on": timezone.localdate()}

    def save(self, d):
        return services.create_training(
            self.request.user,
            d["org"],
            title=d["title"],
            kind=d["kind"],
            start_on=d["start_on"],
            end_on=d["end_on"],
            hours=d["hours"],
            online=d["online"],
            place=d["place"],
            organiser=d["organiser"],
            note=d["note"],
        )

    def done(self, training):
        return f"已登记培训“{training.title}”，请登记出勤。"


class TrainingPage:
    def __init__(self, request, training: Training):
        self.request, self.training = request, training

    def candidates(self):
        """Members on the roll of the training org's subtree (of one branch when chosen) and users with a
        role in it, for the attendance form; too many asks for a branch first."""
        user, training = self.request.user, self.training
        path = training.org.path
        branch = (
            selectors.subtree_path(user, self.request.GET.get("branch"))
            if self.request.GET.get("branch")
            else None
        )
        members = Member.objects.restrict(user).filter(
            org__path__startswith=branch if branch and branch.startswith(path) else path, standing__in=ON_ROLL
        )
        total = members.count()
        shown = (
            list(
                members.select_related("person", "org").order_by("org__path", "person__name_pinyin")[
                    :CANDIDATES_SHOWN
                ]
            )
            if total <= CANDIDATES_SHOWN
            else []
        )
        staff = services.notice_recipients(training.org)[:CANDIDATES_SHOWN]
        users = {u.pk: u for u in User.objects.filter(pk__in=[u for u, _, _ in staff])}
        orgs = dict(Org.objects.filter(pk__in={o for _, o, _ in staff}).values_list("pk", "name"))
        for user_id, org_id, _ in staff:
            users[user_id].org_name = orgs[org_id]
        return shown, total, [users[u] for u, _, _ in staff]

    def render(self, error: DomainError | None = None, status=200):
        training, user = self.training, self.request.user
        rows = list(
            training.attendance.select_related("member__person", "user", "attendee_org").order_by(
                "attendee_org__path", "name"
            )
        )
        can_change = can(user, "change", training)
        members, member_total, staff = self.candidates() if can_change else ([], 0, [])
        marked = {("m", a.member_id) if a.member_id else ("u", a.user_id): a for a in rows}
        for m in members:
            m.mark = marked.get(("m", m.pk))
        for u in staff:
            u.mark = marked.get(("u", u.pk))
        ctx = {
            "title": training.title,
            "training": training,
            "rows": rows,
            "present": sum(a.present for a in rows),
            "can_change": can_change,
            "started": training.start_on <= timezone.localdate(),
            "members": members,
            "member_total": member_total,
            "too_many": member_total > CANDIDATES_SHOWN,
            "staff": staff,
            "branches": selectors.org_choices(user) if member_total > CANDIDATES_SHOWN else [],
            "errors": [e.message for e in (getattr(error, "errors", None) or [error])] if error else [],
        }
        return render(self.request, "notices/training_detail.html", ctx, status=status)


class TrainingDetailView(ScopedObjectMixin, View):
    model = Training

    def get(self, request, pk):
        return TrainingPage(request, self.object).render()


def attendance_entries(post) -> list[services.AttendanceEntry]:
    """`m-<id>` / `u-<id>` = present | absent, with hours in `hm-<id>` / `hu-<id>` (blank = default)."""
    entries = []
    for key, value in post.items():
        kind, _, raw = key.partition("-")
        if kind not in ("m", "u") or not raw.isdigit() or value not in ("present", "absent"):
            continue
        text = (post.get(f"h{kind}-{raw}") or "").strip()
        try:
            hours = Decimal(text) if text else None
        except InvalidOperation as exc:
            raise DomainError("学时须为数字，如 2 或 1.5。", field="entries") from exc
        entries.append(
            services.AttendanceEntry(
                member_id=int(raw) if kind == "m" else None,
                user_id=int(raw) if kind == "u" else None,
                present=value == "present",
                hours=hours,
                note=(post.get(f"n{kind}-{raw}") or "").strip(),
            )
        )
    return entries


class TrainingAttendanceView(ScopedObjectMixin, View):
    """POST: record who attended; a refusal keeps the page with the message above the form."""

    model = Training
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            count = services.record_attendance(request.user, self.object, attendance_entries(request.POST))
        except ActionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            return TrainingPage(request, self.object).render(error=exc, status=400)
        messages.success(request, f"已登记{count}人的出勤。")
        return redirect(self.object)


class MemberStudyView(ScopedObjectMixin, View):
    """A member's study record for a year (hours against the yearly target, trainings, pushes read):
    an htmx fragment for the member page, or a page of its own."""

    model = Member

    def get(self, request, pk):
        today = timezone.localdate()
        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
        ctx = selectors.study_record(self.object, year) | {
            "member": self.object,
            "title": f"{self.object.person.name}的学习培训记录（{year}年）",
            "years": list(range(today.year, today.year - 5, -1)),
        }
        template = "notices/_study_record.html" if request.htmx else "notices/member_study.html"
        return render(request, template, ctx)
