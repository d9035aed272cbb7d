"""Pages of the 3+X monthly analysis. Thin: reads through the scope layer and stats.build_pack, writes
through services; a refused write shows the service's Chinese message beside its field."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.excel import XLSX_TYPE
from dangjian.core.routes import RouteScope
from dangjian.core.scope import can
from dangjian.core.views_base import ScopedListView, ScopedObjectMixin
from dangjian.members.views import attach_errors

from . import documents, selectors, services, stats
from .filtersets import ReviewFilter
from .forms import NotesForm, PublishForm, ReviewForm, TopicForm
from .models import MonthlyReview, ReviewTopic
from .tables import ReviewTable

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def base_url(request) -> str:
    return services.site_url(request.build_absolute_uri("/"))


class ReviewListView(ScopedListView):
    model = MonthlyReview
    table_class = ReviewTable
    filterset_class = ReviewFilter
    template_name = "reviews/list.html"
    title = "3+X月度分析"
    export_name = "3+X月度分析"

    def get_queryset(self):
        return (
            selectors.reviews(self.request.user)
            .annotate(topic_count=Count("topics"))
            .order_by("-month", "org__path")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = selectors.review_orgs(self.request.user).exists()
        return ctx


class ReviewNewView(View):
    """Open an analysis: the org is looked up among those where the user may open one."""

    route_scope = RouteScope("list", model=MonthlyReview)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not selectors.review_orgs(request.user).exists():
            raise PermissionDenied("只有县委组织部或乡镇党建办可以开展月度分析。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        month = timezone.localdate().replace(day=1)
        return self.show(ReviewForm(user=request.user, initial={"month": f"{month:%Y-%m}"}))

    def post(self, request):
        form = ReviewForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                review = services.create_review(
                    request.user, org=form.cleaned_data["org"], month=form.cleaned_data["month"]
                )
            except (DomainError, ActionDenied) as exc:
                if isinstance(exc, ActionDenied):
                    form.add_error("org", exc.message)
                else:
                    attach_errors(form, exc)
            else:
                messages.success(request, f"已建立“{review}”。")
                return redirect(review)
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"title": "开展3+X月度分析", "form": form, "back": "review-list"}
        return render(self.request, "reviews/form.html", ctx, status=status)


class ReviewPage:
    """The review page: the three parts and the X, live, with the forms to edit them."""

    def __init__(self, request, review: MonthlyReview):
        self.request, self.review = request, review

    def render(self, *, notes_form=None, topic_form=None, publish_form=None, status=200):
        user, review = self.request.user, self.review
        pack = stats.build_pack(user, review)
        editable = not review.is_published and can(user, "change", review)
        ctx = {
            "title": str(review),
            "review": review,
            "pack": pack,
            "editable": editable,
            "can_publish": not review.is_published and can(user, "publish", review),
            "notes_form": notes_form
            or NotesForm(
                initial={
                    "praise_note": review.praise_note,
                    "rectification_note": review.rectification_note,
                    "next_tasks_text": review.next_tasks_text,
                }
            ),
            "topic_form": topic_form or TopicForm(review=review),
            "publish_form": publish_form or PublishForm(),
        }
        return render(self.request, "reviews/detail.html", ctx, status=status)


class ReviewDetailView(ScopedObjectMixin, View):
    model = MonthlyReview

    def get(self, request, pk):
        return ReviewPage(request, self.object).render()


class ReviewNotesView(ScopedObjectMixin, View):
    """POST: the praise and rectification notes and next month's tasks text."""

    model = MonthlyReview
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = NotesForm(request.POST)
        if form.is_valid():
            try:
                services.update_review(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(self.object)
        return ReviewPage(request, self.object).render(notes_form=form, status=400)


class TopicAddView(ScopedObjectMixin, View):
    model = MonthlyReview
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = TopicForm(request.POST, review=self.object)
        if form.is_valid():
            try:
                services.add_topic(request.user, self.object, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已增加专题研讨。")
                return redirect(self.object.get_absolute_url() + "#topics")
        return ReviewPage(request, self.object).render(topic_form=form, status=400)


class TopicEditView(ScopedObjectMixin, View):
    model = ReviewTopic
    action = "change"

    def get(self, request, pk):
        topic = self.object
        initial = {
            "title": topic.title,
            "department": topic.department_id,
            "agenda": topic.agenda,
            "notes": topic.notes,
            "sort_order": topic.sort_order,
        }
        return self.show(TopicForm(initial=initial, review=topic.review))

    def post(self, request, pk):
        topic = self.object
        form = TopicForm(request.POST, review=topic.review)
        if form.is_valid():
            try:
                services.update_topic(request.user, topic, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存专题研讨。")
                return redirect(topic.review.get_absolute_url() + "#topics")
        return self.show(form, status=400)

    def show(self, form, status=200):
        ctx = {"title": f"修改专题：{self.object.title}", "form": form, "review": self.object.review}
        return render(self.request, "reviews/form.html", ctx, status=status)


class TopicRemoveView(ScopedObjectMixin, View):
    model = ReviewTopic
    action = "change"
    http_method_names = ["post"]

    def post(self, request, pk):
        review = self.object.review
        try:
            services.remove_topic(request.user, self.object)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已删除专题研讨。")
        return redirect(review.get_absolute_url() + "#topics")


class ReviewPublishView(ScopedObjectMixin, View):
    """POST: send the pack to the subtree with read-sign, once."""

    model = MonthlyReview
    action = "publish"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                review = services.publish_review(
                    request.user,
                    self.object,
                    base_url=base_url(request),
                    sign_by=form.cleaned_data["sign_by"],
                )
            except DomainError as exc:
                if exc.field in form.fields:
                    attach_errors(form, exc)
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, f"已发布，发送给{review.notice.recipient_count}人签阅。")
                return redirect(review)
        return ReviewPage(request, self.object).render(publish_form=form, status=400)


def file_name(review: MonthlyReview, ext: str) -> str:
    return f"{review.org.name}{review.month:%Y年%m月}“3+X”工作分析.{ext}"


def file_response(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


BUILDERS = {
    "docx": (documents.build_docx, DOCX_TYPE),
    "xlsx": (documents.build_xlsx, XLSX_TYPE),
    "pdf": (documents.build_pdf, "application/pdf"),
}


def pack_file(request, review: MonthlyReview, ext: str) -> HttpResponse:
    build, content_type = BUILDERS[ext]
    data = build(stats.build_pack(request.user, review), base_url(request))
    return file_response(data, content_type, file_name(review, ext))


class ReviewFileView(ScopedObjectMixin, View):
    model = MonthlyReview
    ext = "docx"

    def get(self, request, pk):
        return pack_file(request, self.object, self.ext)
