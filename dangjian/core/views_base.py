"""Shared view bases: every list and object page reads through the scope layer.

ScopedListView gives every list the same search, filters, sorting, paging and Excel export.
ScopedObjectMixin fetches one row: outside scope is a 404, in scope without the right role a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from .excel import table_values, xlsx_response
from .routes import RouteScope
from .scope import can, get_scoped_or_404


class ScopedListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    model: Any = None
    template_name = "core/list.html"
    paginate_by = 50
    title = ""
    export_name = ""
    export_title = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None and "route_scope" not in cls.__dict__:
            cls.route_scope = RouteScope("list", model=cls.model, exports=True)

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, "view")

    def get_table_pagination(self, table):
        return {"per_page": self.paginate_by}

    def get_paginate_by(self, queryset):
        """The table pages the rows; ListView paging them as well counted every list twice."""
        return None

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
        table = self.get_table_class()(qs)
        values = table_values(table, exclude_columns=getattr(self, "export_exclude", ()))
        headers = next(values)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = self.export_name or self.title
        return xlsx_response(
            f"{name}-{stamp}.xlsx",
            name,
            headers,
            values,
            title=f"{name}（导出时间 {timezone.localtime():%Y-%m-%d %H:%M}）",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["export_query"] = query.urlencode()
        return ctx


class ScopedObjectMixin(LoginRequiredMixin):
    """Resolve `self.object` through the scope layer before anything else runs."""

    model: Any = None
    action = "view"
    pk_url_kwarg = "pk"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None and "route_scope" not in cls.__dict__:
            cls.route_scope = RouteScope("object", model=cls.model, kwarg=cls.pk_url_kwarg)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = get_scoped_or_404(self.model, request.user, "view", pk=kwargs.get(self.pk_url_kwarg))
        if self.action != "view" and not can(request.user, self.action, self.object):
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object


class FormPageMixin:
    """A one-form page: GET shows the form from `make_form()`, POST calls `save(form)`, which returns
    (where to go, what to say); a DomainError goes beside its field with a 400, ActionDenied is a 403."""

    heading = ""
    back = ""  # URL name of the page to go back to
    form_template = ""

    def back_url(self) -> str:
        from django.urls import reverse

        return reverse(self.back)

    def get(self, request, *args, **kwargs):
        return self.show(self.make_form())

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        from .errors import ActionDenied, DomainError

        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                target, done = self.save(form)
            except ActionDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                for err in getattr(exc, "errors", None) or [exc]:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, done)
                return redirect(target)
        return self.show(form, status=400)

    def show(self, form, status: int = 200):
        from django.shortcuts import render

        ctx = {"title": self.heading, "form": form, "back_url": self.back_url()}
        return render(self.request, self.form_template, ctx, status=status)
