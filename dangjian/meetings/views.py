"""Pages of meeting records: the meeting and attendance lists, planning, a meeting with its sign-in,
attendance, minutes, guidance and files. Thin: reads through selectors, writes through services, and a
refusal is shown beside the field it concerns with a 400 (403 where the role may not act)."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can, get_scoped_or_404
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin

from . import record_rules as RR
from . import selectors, services
from .choices import Attendance, MeetingKind, MeetingStatus
from .filtersets import AttendanceFilter, MeetingFilter
from .forms import (
    GRADE_CHOICES,
    METHOD_CHOICES,
    STATUS_CHOICES,
    AddAttendeeForm,
    CancelForm,
    FileForm,
    GuideForm,
    HeldForm,
    MeetingForm,
    MinutesForm,
    ReopenForm,
    SignInForm,
    grid,
)
from .models import Meeting, MeetingAttendance, MeetingFile
from .tables import AttendanceTable, MeetingExportTable, MeetingTable


def attach_errors(form, exc: DomainError | ActionDenied) -> None:
    """Each service message beside its field; those about no field of the form above it."""
    for err in getattr(exc, "errors", None) or [exc]:
        name = getattr(err, "field", None)
        form.add_error(name if name in form.fields else None, err.message)


def qr_svg(url: str) -> str:
    """The sign-in URL as an inline SVG QR code (drawn here, no outside service)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, dark="#000", light="#fff")


def refusal(exc: DomainError | ActionDenied) -> list[str]:
    return [e.message for e in (getattr(exc, "errors", None) or [exc])]


# --- lists -----------------------------------------------------------------------------------------


class MeetingListView(ScopedListView):
    model = Meeting
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    title = "会议记录"
    export_name = "会议台账"

    def get_queryset(self):
        return selectors.meetings(self.request.user)

    def get_table_class(self):
        return MeetingExportTable if self.request.GET.get("export") == "xlsx" else MeetingTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.meeting_orgs(self.request.user, "add").exists()
        return ctx


class AttendanceListView(ScopedListView):
    model = MeetingAttendance
    table_class = AttendanceTable
    filterset_class = AttendanceFilter
    template_name = "meetings/attendance_list.html"
    title = "参会记录"
    export_name = "参会记录"

    def get_queryset(self):
        return selectors.attendances(self.request.user)


# --- planning --------------------------------------------------------------------------------------


class MeetingCreateView(View):
    """A list-kind route: the org comes with the request and is looked up among those where the user
    may plan meetings, so an out-of-scope org is refused like an unknown one."""

    route_scope = RouteScope("list", model=Meeting)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        self.orgs = selectors.meeting_orgs(request.user, "add")
        if not self.orgs.exists():
            raise PermissionDenied("您的角色无权安排会议。")
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None, initial=None) -> MeetingForm:
        orgs = list(self.orgs[: selectors.CHOICE_LIMIT])
        self.offered = orgs
        return MeetingForm(data, initial=initial, orgs=self.orgs, guides=selectors.guide_choices(orgs))

    def get(self, request):
        start = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"planned_at": start, "recorder": request.user.display_name}
        org = request.GET.get("org", "")
        if org.isdigit():
            initial["org"] = self.orgs.filter(pk=org).first()
        elif len(self.orgs[:2]) == 1:
            initial["org"] = self.orgs.first()
        kind = request.GET.get("kind", "")
        if kind in MeetingKind.values:
            initial["kind"] = kind
        return self.show(self.form(initial=initial))

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                meeting = services.plan_meeting(request.user, form.cleaned_data["org"], form.meeting_data())
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已安排“{meeting.topic}”，应到{meeting.attendances.count()}人。")
                return redirect(meeting)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {
            "form": form,
            "title": "安排会议",
            "kinds_by_org": selectors.kinds_by_org(self.offered),
        }
        return render(self.request, "meetings/meeting_form.html", ctx, status=status)


class MeetingEditView(ScopedObjectMixin, View):
    model = Meeting
    action = "change"

    def form(self, data=None) -> MeetingForm:
        m = self.object
        return MeetingForm(
            data,
            initial=MeetingForm.initial_for(m),
            fixed_org=m.org,
            guides=services.guide_candidates(m.org),
        )

    def get(self, request, pk):
        return self.show(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.update_meeting(request.user, self.object, form.meeting_data())
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存会议安排。")
                return redirect(self.object)
        return self.show(form, status=status)

    def show(self, form, status=200):
        m = self.object
        ctx = {
            "form": form,
            "meeting": m,
            "title": f"修改会议安排：{m.topic}",
            "kinds_by_org": selectors.kinds_by_org([m.org]),
        }
        return render(self.request, "meetings/meeting_form.html", ctx, status=status)


# --- a meeting -------------------------------------------------------------------------------------


class MeetingPage:
    """Builds the meeting page; a refused POST passes its bound form so what was typed stays."""

    def __init__(self, request, meeting: Meeting):
        self.request, self.meeting, self.user = request, meeting, request.user

    def render(self, status=200, **bound):
        m, user = self.meeting, self.user
        can_change = can(user, "change", m) and m.status != MeetingStatus.CANCELLED
        rows = selectors.attendance_rows(m)
        held = m.status == MeetingStatus.HELD
        may_approve = held and services.may_approve(user, m)
        guides = list(m.guided_by.all())
        ctx = {
            "title": m.topic,
            "meeting": m,
            "rows": rows,
            "count": selectors.headcount(rows),
            "can_change": can_change,
            "signin": self.signin_context(can_change),
            "minutes_form": bound.get("minutes")
            or (
                MinutesForm(initial={"minutes": m.minutes})
                if can_change and held and not m.minutes_approved_at
                else None
            ),
            "may_approve": may_approve,
            "approver_refusal": services.approver_for(m.org).refusal,
            "reopen_form": bound.get("reopen")
            or (ReopenForm() if may_approve and m.minutes_approved_at else None),
            "guides": guides,
            "guide_form": bound.get("guide")
            or (
                GuideForm(
                    initial={"guided_by": guides, "guide_note": m.guide_note},
                    guides=services.guide_candidates(m.org),
                )
                if can_change
                else None
            ),
            "file_form": bound.get("file") or (FileForm() if can_change else None),
            "cancel_form": bound.get("cancel")
            or (CancelForm() if can_change and m.status == MeetingStatus.PLANNED else None),
            "files": list(m.files.select_related("uploaded_by")),
            "errors": bound.get("errors", []),
            "history": selectors.history(user, m),
        }
        return render(self.request, "meetings/meeting_detail.html", ctx, status=status)

    def signin_context(self, can_change: bool) -> dict:
        m = self.meeting
        now = timezone.now()
        state = "none"
        if m.signin_code and m.signin_expires_at:
            state = (
                "open"
                if services.signin_is_open(m, now)
                else ("expired" if now > m.signin_expires_at else "soon")
            )
        url = self.request.build_absolute_uri(
            f"{reverse('meeting-sign-in', args=[m.pk])}?code={m.signin_code}"
        )
        show_code = can_change and state in ("open", "soon")
        opens, closes = services.signin_window(m)
        return {
            "state": state,
            "show_code": show_code,
            "code": m.signin_code if show_code else "",
            "qr": qr_svg(url) if show_code else "",
            "url": url if show_code else "",
            "opens": opens,
            "closes": closes,
            "may_open": can_change and opens <= now <= closes,
            "mine": services.own_attendance(m, self.user) if m.status != MeetingStatus.CANCELLED else None,
            "lead": RR.SIGNIN_LEAD,
            "valid": RR.SIGNIN_VALID,
        }


class MeetingDetailView(ScopedObjectMixin, View):
    model = Meeting

    def get(self, request, pk):
        return MeetingPage(request, self.object).render()


class MeetingActionView(ScopedObjectMixin, View):
    """POST-only actions on a meeting: each runs one service and returns to the meeting page, or
    shows the page again with the refusal beside its form (400, or 403 where the role may not act)."""

    model = Meeting
    http_method_names = ["post"]
    form_class = None
    bound_key = ""

    def make_form(self):
        return self.form_class(self.request.POST, self.request.FILES) if self.form_class else None

    def post(self, request, pk):
        form = self.make_form()
        status, errors = 400, []
        if form is None or form.is_valid():
            try:
                text = self.run(form)
            except (ActionDenied, DomainError) as exc:
                status = 403 if isinstance(exc, ActionDenied) else 400
                if form is not None:
                    attach_errors(form, exc)
                else:
                    errors = refusal(exc)
            else:
                messages.success(request, text)
                return redirect(self.object)
        bound = {self.bound_key: form} if form is not None else {}
        return MeetingPage(request, self.object).render(status=status, errors=errors, **bound)

    def run(self, form) -> str:
        raise NotImplementedError


class CancelView(MeetingActionView):
    form_class, bound_key = CancelForm, "cancel"

    def run(self, form):
        services.cancel_meeting(self.request.user, self.object, form.cleaned_data["reason"])
        return "已取消会议。"


class MinutesView(MeetingActionView):
    form_class, bound_key = MinutesForm, "minutes"

    def run(self, form):
        services.save_minutes(self.request.user, self.object, form.cleaned_data["minutes"])
        return "已保存会议记录，待书记审定。"


class ApproveView(MeetingActionView):
    def run(self, form):
        services.approve_minutes(self.request.user, self.object)
        return "会议记录已审定并锁定。"


class ReopenView(MeetingActionView):
    form_class, bound_key = ReopenForm, "reopen"

    def run(self, form):
        services.reopen_minutes(self.request.user, self.object, form.cleaned_data["reason"])
        return "已撤销审定，修改后请重新审定。"


class GuideView(MeetingActionView):
    bound_key = "guide"

    def make_form(self):
        return GuideForm(self.request.POST, guides=services.guide_candidates(self.object.org))

    def run(self, form):
        d = form.cleaned_data
        services.record_guidance(self.request.user, self.object, list(d["guided_by"]), d["guide_note"])
        return "已保存列席指导情况。"


class UploadView(MeetingActionView):
    form_class, bound_key = FileForm, "file"

    def run(self, form):
        item = services.upload_file(
            self.request.user, self.object, form.cleaned_data["file"], form.cleaned_data["kind"]
        )
        return f"已上传“{item.name}”。"


class OpenSignInView(MeetingActionView):
    def run(self, form):
        services.open_signin(self.request.user, self.object)
        return "已开启签到，请参会人员输入签到码或扫码签到。"


# --- attendance and held ---------------------------------------------------------------------------


class AttendancePage:
    """The attendance grid (one row per expected attendee), alone or under the held form."""

    def __init__(self, request, meeting: Meeting):
        self.request, self.meeting = request, meeting

    def add_form(self, data=None) -> AddAttendeeForm:
        m = self.meeting
        if services.uses_users(m.org, m.kind):
            return AddAttendeeForm(data, users=selectors.addable_users(m))
        return AddAttendeeForm(data, members=selectors.addable_members(m))

    def render(self, *, template, held_form=None, data=None, errors=(), add_form=None, status=200):
        m = self.meeting
        rows = selectors.attendance_rows(m)
        ctx = {
            "title": ("登记召开：" if template.endswith("held.html") else "出席登记：") + m.topic,
            "meeting": m,
            "grid": grid(rows, data),
            "count": selectors.headcount(rows),
            "status_choices": STATUS_CHOICES,
            "method_choices": METHOD_CHOICES,
            "grade_choices": GRADE_CHOICES,
            "appraisal": m.kind == MeetingKind.APPRAISAL,
            "held_form": held_form,
            "add_form": add_form or self.add_form(),
            "errors": list(errors),
        }
        return render(self.request, template, ctx, status=status)


class AttendanceView(ScopedObjectMixin, View):
    model = Meeting
    action = "change"
    template = "meetings/attendance_form.html"

    def get(self, request, pk):
        return AttendancePage(request, self.object).render(template=self.template)

    def post(self, request, pk):
        page = AttendancePage(request, self.object)
        rows = selectors.attendance_rows(self.object)
        try:
            services.set_attendance(request.user, self.object, [g.entry() for g in grid(rows, request.POST)])
        except ActionDenied as exc:
            return page.render(template=self.template, data=request.POST, errors=refusal(exc), status=403)
        except DomainError as exc:
            return page.render(template=self.template, data=request.POST, errors=refusal(exc), status=400)
        messages.success(request, "已保存出席情况。")
        return redirect(self.object)


class AddAttendeeView(ScopedObjectMixin, View):
    model = Meeting
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        page = AttendancePage(request, self.object)
        form = page.add_form(request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = services.add_attendee(
                    request.user, self.object, member=d.get("member"), user=d.get("user")
                )
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已将{row.name}加入应到名单。")
                return redirect("meeting-attendance", pk=self.object.pk)
        return page.render(template=AttendanceView.template, add_form=form, status=status)


class RemoveAttendeeView(ScopedObjectMixin, View):
    model = MeetingAttendance
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        row = self.object
        meeting = row.meeting
        try:
            services.remove_attendee(request.user, row)
        except (DomainError, ActionDenied) as exc:
            page = AttendancePage(request, meeting)
            code = 403 if isinstance(exc, ActionDenied) else 400
            return page.render(template=AttendanceView.template, errors=refusal(exc), status=code)
        messages.success(request, f"已将{row.name}移出应到名单。")
        return redirect("meeting-attendance", pk=meeting.pk)


class HeldView(ScopedObjectMixin, View):
    """Record the meeting as held, with its attendance, in one step."""

    model = Meeting
    action = "change"
    template = "meetings/held.html"

    def get(self, request, pk):
        m = self.object
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {
            "held_at": timezone.localtime(m.held_at)
            if m.held_at
            else min(timezone.localtime(m.planned_at), now),
            "place": m.place,
            "host": m.host,
            "recorder": m.recorder,
        }
        return AttendancePage(request, m).render(template=self.template, held_form=HeldForm(initial=initial))

    def post(self, request, pk):
        m = self.object
        page = AttendancePage(request, m)
        form = HeldForm(request.POST)
        status = 400
        errors: list[str] = []
        if form.is_valid():
            d = form.cleaned_data
            rows = selectors.attendance_rows(m)
            try:
                services.record_held(
                    request.user,
                    m,
                    d["held_at"],
                    place=d["place"],
                    host=d["host"],
                    recorder=d["recorder"],
                    entries=[g.entry() for g in grid(rows, request.POST)],
                )
            except ActionDenied as exc:
                errors, status = refusal(exc), 403
            except DomainError as exc:
                for err in getattr(exc, "errors", None) or [exc]:
                    if err.field in form.fields:
                        form.add_error(err.field, err.message)
                    else:
                        errors.append(err.message)
            else:
                messages.success(request, "已登记会议召开情况。")
                return redirect(m)
        return page.render(
            template=self.template, held_form=form, data=request.POST, errors=errors, status=status
        )


# --- sign-in ---------------------------------------------------------------------------------------


class SignInView(ScopedObjectMixin, View):
    """GET: for the recorder, the code, its QR code and the list of attendees with a one-tap sign-in;
    for an attendee, the form to sign themselves in (the QR code's URL fills in the code).
    POST: with `attendance`, the recorder signs that person in; without, the user signs in."""

    model = Meeting

    def get(self, request, pk):
        code = request.GET.get("code", "")
        return self.show(SignInForm(initial={"code": code}), via_qr=bool(code))

    def post(self, request, pk):
        m = self.object
        form = SignInForm(request.POST)
        target = request.POST.get("attendance", "")
        status = 400
        if form.is_valid():
            row = None
            if target:
                row = m.attendances.filter(pk=target).first() if target.isdigit() else None
                if row is None:
                    form.add_error("code", "所选人员不是本次会议的应到人员。")
                    return self.show(form, status=400)
            try:
                row = services.sign_in(
                    request.user,
                    m,
                    form.cleaned_data["code"],
                    attendance=row,
                    by_qr=request.POST.get("via") == "qr",
                )
            except ActionDenied as exc:
                attach_errors(form, exc)
                status = 403
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, f"{row.name}签到成功（{timezone.localtime(row.signed_in_at):%H:%M}）。"
                )
                url = reverse("meeting-sign-in", args=[m.pk])
                # The recorder signs people in one after another with the same code: keep it typed.
                return redirect(f"{url}?{urlencode({'code': form.cleaned_data['code']})}" if target else url)
        return self.show(form, status=status)

    def show(self, form, status=200, via_qr=False):
        m = self.object
        can_change = can(self.request.user, "change", m) and m.status != MeetingStatus.CANCELLED
        page = MeetingPage(self.request, m)
        rows = selectors.attendance_rows(m)
        ctx = {
            "title": f"签到：{m.topic}",
            "meeting": m,
            "form": form,
            "via_qr": via_qr or self.request.POST.get("via") == "qr",
            "recorder": can_change,
            "rows": rows if can_change else [],
            "count": selectors.headcount(rows),
            "signin": page.signin_context(can_change),
            "present": Attendance.PRESENT,
        }
        return render(self.request, "meetings/sign_in.html", ctx, status=status)


# --- files -----------------------------------------------------------------------------------------


class FileDownloadView(ScopedObjectMixin, View):
    """Photos and files are private: streamed as attachments only to users who may see the meeting."""

    model = MeetingFile

    def get(self, request, pk):
        item = self.object
        try:
            handle = item.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("文件不存在") from exc
        response = FileResponse(handle, as_attachment=True, filename=item.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class FileDeleteView(ScopedObjectMixin, View):
    model = MeetingFile
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        item = self.object
        meeting = get_scoped_or_404(Meeting, request.user, "view", pk=item.meeting_id)
        try:
            services.delete_file(request.user, item)
        except (DomainError, ActionDenied) as exc:
            code = 403 if isinstance(exc, ActionDenied) else 400
            return MeetingPage(request, meeting).render(status=code, errors=refusal(exc))
        messages.success(request, f"已删除“{item.name}”。")
        return redirect(meeting)
