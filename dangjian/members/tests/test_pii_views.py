"""Every unmasked view of an ID number or phone is logged: every GET route (pages, API, Excel exports),
read by a county admin (who may see full values), either shows a member's ID number and phone masked
or writes an audit event for showing them in full. The reveal and the full export are the audited ways."""

from __future__ import annotations

import io
import zipfile
from typing import Any
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES, fill, params
from dangjian.members.models import Household, Member, Person

pytestmark = pytest.mark.django_db

PII_ACTIONS = {"member.reveal_pii", "member.export_pii", "person.export"}


def object_for(model: Any, user, member: Member) -> Any:
    if model is Member:
        return member
    if model is Person:
        return member.person
    if model is Household:
        return Household.objects.filter(links__member=member).first()
    return model.objects.restrict(user, "view").order_by("-pk").first()


def readings(client, user, member: Member, only: str = ""):
    """(url, response text, audit actions written by that request) for every GET route (under `only`)."""
    for route, cb in ROUTES:
        if not route.startswith(only):
            continue
        scope = route_scope_of(cb)
        if scope is None or scope.kind == "public":
            continue
        names = params(route)
        values: dict[str, Any] = {"format": "json"}
        if names and names != ["format"]:
            if scope.model is None or scope.kwarg not in names or set(names) - {scope.kwarg, "format"}:
                continue
            obj = object_for(scope.model, user, member)
            if obj is None:
                continue
            values[scope.kwarg] = obj.pk
        url = fill(route, values)
        for query in ({}, {"export": "xlsx"}, {"export": "xlsx", "pii": "1"}) if scope.exports else ({},):
            last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            r = client.get(url, query)
            if r.status_code != 200:
                continue
            actions = set(AuditEvent.objects.filter(pk__gt=last).values_list("action", flat=True))
            yield f"{url}?{urlencode(query)}" if query else url, text_of(r), actions


def text_of(response) -> str:
    """Page, JSON or workbook text; other Office files by the text inside their parts."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        wb = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


def test_full_id_numbers_and_phones_appear_only_with_an_audit_event(world, client_for):
    user = world.user(Role.COUNTY_ADMIN)
    member = Member.objects.select_related("person").get(pk=world.members["member"].pk)
    full = [member.person.id_number, member.person.phone]
    assert all(full) and member.person.id_masked not in full
    unlogged, logged = [], []
    for url, text, actions in readings(client_for(user), user, member):
        if any(value in text for value in full):
            (logged if actions & PII_ACTIONS else unlogged).append(url)
    assert not unlogged, f"full ID number or phone shown without an audit event: {unlogged}"
    # The audited ways are among the routes read, so the check above is not vacuous.
    assert any("export=xlsx" in u and "pii" in u for u in logged), logged
    assert any("/people/" in u and "export" in u for u in logged), logged


def test_the_check_catches_an_unlogged_unmasked_page(world, client_for, monkeypatch):
    """If the member page printed the full number, the crawl above would report it."""
    monkeypatch.setattr(Person, "id_masked", property(lambda self: self.id_number))
    user = world.user(Role.COUNTY_ADMIN)
    member = world.members["member"]
    seen = [
        url
        for url, text, actions in readings(client_for(user), user, member, only="members/")
        if member.person.id_number in text and not actions & PII_ACTIONS
    ]
    assert f"/members/{member.pk}/" in seen
