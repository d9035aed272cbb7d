"""The role x route matrix: every URL and API route, for every role, outside scope reads as 404.

Routes are enumerated from the URL conf, so a new page or endpoint is covered the day it is added;
a route that does not declare its scope (dangjian.core.routes) fails `test_every_route_declares_scope`.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.scope import ScopedQuerySet
from dangjian.orgs.models import Department, Org
from dangjian.tasks.models import Assignment

ROLES = list(Role.values)
# The matrix is the suite's longest test; its roles are split over two modules so two workers share it
# (test_scope_matrix_roles.py runs these, test_scope_matrix_more.py the rest). CI runs the first module on
# SQLite and the second on PostgreSQL, so every route is walked on both engines; `make test` runs both.
FIRST_ROLES = ROLES[:4]
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>")


def iter_routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from iter_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


ROUTES = sorted({route: cb for route, cb in iter_routes()}.items())


def params(route: str) -> list[str]:
    return [a or b for a, b in GROUP.findall(route)]


def fill(route: str, values: dict) -> str:
    url = GROUP.sub(lambda m: str(values[m.group(1) or m.group(2)]), route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "")
    return "/" + url.lstrip("/")


def route_ids():
    return [r for r, _ in ROUTES]


def undeclared(routes) -> list[str]:
    return [route for route, cb in routes if route_scope_of(cb) is None]


def test_every_route_declares_scope():
    missing = undeclared(ROUTES)
    assert not missing, f"routes without a scope declaration: {missing}"


def test_enumeration_sees_the_api_and_pages():
    names = route_ids()
    assert any("api/v1/" in r and "orgs" in r and "pk" in r for r in names)
    assert any(r.startswith("orgs/<int:pk>/") for r in names)


def out_of_scope(model, user, world):
    visible = model.objects.restrict(user, "view").values("pk")
    return model.objects.exclude(pk__in=visible).order_by("pk")


def markers(model, user, world) -> list[str]:
    """Names of objects the user must not see. Ancestors of the user's own orgs are context they
    already know (their own county's name) and are left out."""
    known = set()
    for ra in user.roles.select_related("org"):
        known.update(ra.org.ancestor_ids())
    out = out_of_scope(model, user, world)
    if model is Org:
        out = out.exclude(pk__in=known)
    allowed = {"系统管理员", user.display_name}
    if model is AuditEvent:
        # The trail names who acted, which department a case went to, the orgs above the user's own, the
        # tasks sent down to the user's orgs and the weeks they take part in; none of those is a leak: the
        # user sees each of them on their own pages. An out-of-scope event whose name equals that of an
        # event the user may see tells nothing either.
        visible = AuditEvent.objects.restrict(user, "view")
        allowed |= set(visible.values_list("actor_name", flat=True))
        allowed |= set(visible.values_list("object_repr", flat=True))
        allowed |= set(Department.objects.restrict(user, "view").values_list("name", flat=True))
        allowed |= set(Org.objects.filter(pk__in=known).values_list("name", flat=True))
        allowed |= set(Assignment.objects.restrict(user, "view").values_list("task__title", flat=True))
    result = []
    for obj in out:
        text = getattr(obj, "object_repr", None) if model is AuditEvent else str(obj)
        if text and text not in allowed:
            result.append(text)
    return result


def body_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        data = b"".join(response.streaming_content) if response.streaming else response.content
        wb = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    return response.content.decode("utf-8", "replace")


def check_role(world, client_for, role):
    user = world.user(role)
    client = client_for(user)
    failures = []
    hidden: dict = {}  # model -> its out-of-scope markers: every write is refused, so they stay as they are
    for route, cb in ROUTES:
        scope = route_scope_of(cb)
        if scope is None or scope.kind in ("public",):
            continue
        names = params(route)
        if scope.kind == "user" and not names:
            r = client.get(fill(route, {}))
            if r.status_code >= 500:
                failures.append(f"{route}: user route answered {r.status_code}")
            continue
        if scope.kwarg in names:
            failures += check_object_route(client, user, world, route, scope, cb)
        else:
            failures += check_list_route(client, user, world, route, scope, hidden)
    assert not failures, "\n".join(failures)


WRITES = ("post", "patch", "put", "delete")


def write_methods(cb) -> tuple[str, ...]:
    """The write methods a route has a handler for; the others answer 405 before any code of ours runs,
    so the matrix does not spend a request on each. A function view is tried with all of them."""
    actions = getattr(cb, "actions", None)  # a DRF viewset's routes
    if actions is not None:
        return tuple(m for m in WRITES if m in actions)
    view_class = getattr(cb, "view_class", None)
    if view_class is None:
        return WRITES
    return tuple(m for m in WRITES if m in view_class.http_method_names and hasattr(view_class, m))


def check_object_route(client, user, world, route, scope, cb=None):
    failures = []
    model = scope.model
    outside = out_of_scope(model, user, world).first()
    assert outside is not None, f"the test world has no {model.__name__} outside {user}'s scope"
    values = {scope.kwarg: outside.pk, "format": "json"}
    url = fill(route, values)
    audit_before, rows_before = AuditEvent.objects.count(), model.objects.count()
    got = client.get(url)
    if got.status_code not in (404, 405):
        failures.append(f"GET {url} ({model.__name__} outside scope) answered {got.status_code}, not 404")
    for method in write_methods(cb):
        r = (
            getattr(client, method)(
                url,
                data={"name": "越权修改", "parent": outside.pk, "org": outside.pk},
                content_type="application/json" if method != "post" else None,
            )
            if method != "post"
            else client.post(
                url,
                data={"name": "越权修改", "parent": outside.pk, "org": outside.pk, "role": "county_admin"},
            )
        )
        if r.status_code not in (404, 405):
            failures.append(f"{method.upper()} {url} answered {r.status_code}, not 404")
    if AuditEvent.objects.count() != audit_before or model.objects.count() != rows_before:
        failures.append(f"{url}: a write happened outside scope")
    if Org.objects.filter(name="越权修改").exists():
        failures.append(f"{url}: an out-of-scope object was renamed")
    inside = model.objects.restrict(user, "view").order_by("pk").first()
    if inside is not None:
        ok = client.get(fill(route, {scope.kwarg: inside.pk, "format": "json"}))
        if ok.status_code >= 500 or ok.status_code == 404:
            failures.append(f"GET {route} on an in-scope {model.__name__} answered {ok.status_code}")
    return failures


def check_list_route(client, user, world, route, scope, cache: dict | None = None):
    failures = []
    url = fill(route, {"format": "json"})
    cache = {} if cache is None else cache
    if scope.model is not None and scope.model not in cache:
        cache[scope.model] = markers(scope.model, user, world)
    hidden = cache.get(scope.model, [])
    responses = [client.get(url, {"page_size": 500})]
    if scope.exports:
        responses.append(client.get(url, {"export": "xlsx"}))
    for r in responses:
        if r.status_code >= 500:
            failures.append(f"GET {url} answered {r.status_code}")
            continue
        text = body_text(r)
        leaked = [m for m in hidden if m in text]
        if leaked:
            failures.append(f"GET {url} shows out-of-scope {scope.model.__name__}: {leaked}")
    out_org = Org.objects.get(pk=world.orgs["out_branch"].pk)
    audit_before, orgs_before = AuditEvent.objects.count(), Org.objects.count()
    r = client.post(
        url,
        data={
            "parent": out_org.pk,
            "org": out_org.pk,
            "county": out_org.pk,
            "name": "越权新建",
            "kind": "group",
        },
    )
    if r.status_code < 400 and r.status_code != 302:
        failures.append(f"POST {url} with an out-of-scope parent answered {r.status_code}")
    if AuditEvent.objects.count() != audit_before or Org.objects.count() != orgs_before:
        failures.append(f"POST {url}: wrote with an out-of-scope parent")
    return failures


@pytest.mark.django_db
def test_anonymous_gets_nothing_but_public_routes(world, client):
    failures = []
    for route, cb in ROUTES:
        scope = route_scope_of(cb)
        url = fill(route, {"pk": world.orgs["branch"].pk, "format": "json"})
        r = client.get(url)
        if scope.kind == "public":
            if r.status_code >= 500:
                failures.append(f"{url}: {r.status_code}")
        elif r.status_code not in (302, 401, 403, 405):
            failures.append(f"anonymous GET {url} answered {r.status_code}")
        elif r.status_code == 302 and "/accounts/login/" not in r["Location"]:
            failures.append(f"anonymous GET {url} redirected to {r['Location']}")
    assert not failures, "\n".join(failures)


def test_an_undeclared_route_fails_the_declaration_check():
    def bare_view(request):
        return None

    routes = list(iter_routes([path("new-page/<int:pk>/", bare_view)]))
    assert undeclared(routes) == ["new-page/<int:pk>/"]


@pytest.mark.django_db
def test_the_matrix_catches_a_leaking_list(world, client_for, monkeypatch):
    """If restrict() stopped filtering, the list check must report the leak."""
    user = world.user(Role.VILLAGE_SECRETARY)
    route, cb = next((r, cb) for r, cb in ROUTES if r == "orgs/list/")
    assert not check_list_route(client_for(user), user, world, route, route_scope_of(cb))
    hidden = markers(Org, user, world)
    monkeypatch.setattr(ScopedQuerySet, "restrict", lambda self, user, action="view": self)
    monkeypatch.setattr("dangjian.core.tests.test_scope_matrix.markers", lambda *a: hidden)
    failures = check_list_route(client_for(user), user, world, route, route_scope_of(cb))
    assert any("村甲二" in f for f in failures)
