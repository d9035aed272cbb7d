"""What django-tables2 and DRF would work out per cell, worked out once, gives the same answers."""

import functools

from django_tables2 import utils as tables_utils
from rest_framework import fields as drf_fields

from dangjian.core import speedups
from dangjian.orgs.models import Org


class Table:
    def render_name(self, value, record):
        return value

    def value_all(self, **kwargs):
        return kwargs

    def label(self, style="short"):
        return style


def plain(value, *args, bound_row=None, **rest):
    return value


def test_installed_by_core():
    assert tables_utils.signature is speedups.table_signature
    assert drf_fields.is_simple_callable is speedups.is_simple_callable


def test_table_signature_as_inspect_gives_it():
    table = Table()
    for fn in (table.render_name, Table.render_name, table.value_all, plain, functools.partial(plain, 1)):
        assert speedups.table_signature(fn) == speedups._tables_signature(fn)
        assert speedups.table_signature(fn) == speedups._tables_signature(fn)  # the second time remembered
    assert speedups.table_signature(table.render_name) == (("value", "record"), None)
    assert speedups.table_signature(Table.render_name) == (("self", "value", "record"), None)


def test_simple_callable_as_drf_decides_it():
    table, org = Table(), Org(kind="branch")
    cases = [
        (org.get_kind_display, True),  # a partial of a bound method, a new object on every access
        (table.label, True),
        (Table.label, False),  # unbound: self has no default
        (functools.partial(Table.label, table), True),
        (table.render_name, False),
        (functools.partial(table.render_name, 1), False),
        (functools.partial(table.render_name, 1, 2), True),
        (plain, False),
        ("text", False),
        (Org, False),
    ]
    for _ in range(2):
        for fn, simple in cases:
            assert speedups.is_simple_callable(fn) is simple, fn
            assert drf_fields.is_simple_callable(fn) is simple


def test_column_templates_compiled_once_and_render_the_same():
    import datetime

    import django_tables2 as tables
    from django.template import Context, Template
    from django_tables2.columns import templatecolumn

    assert templatecolumn.Template is speedups.column_template
    code = '{{ value|date:"Y-m-d"|default:default }}'
    assert speedups.column_template(code) is speedups.column_template(code)

    class Dated(tables.Table):
        day = tables.DateColumn(format="Y-m-d")

    rows = [{"day": datetime.date(2026, 7, 1)}, {"day": datetime.date(2025, 12, 31)}]
    cells = [row.get_cell("day") for row in Dated(rows).rows]
    assert cells == ["2026-07-01", "2025-12-31"]
    assert cells[0] == Template(code).render(Context({"value": rows[0]["day"], "default": "—"}))


def test_display_of_every_choice_field_as_django_gives_it():
    import inspect

    from django.apps import apps
    from django.db.models import Model

    from dangjian.cases.choices import CaseKind
    from dangjian.cases.models import Case

    fields = [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if f.choices and model.__module__.startswith("dangjian.")
    ]
    assert len(fields) > 50
    for model, field in fields:
        method = inspect.getattr_static(model, f"get_{field.name}_display")
        assert method.func is speedups.get_field_display, (model, field.name)
        obj = model()
        for value in [v for v, _ in field.flatchoices][:3] + ["no-such-value", None]:
            setattr(obj, field.attname, value)
            expected = speedups._django_display(obj, field)
            assert getattr(obj, f"get_{field.name}_display")() == expected
    assert Model._get_FIELD_display is speedups.get_field_display
    case = Case(kind=CaseKind.PROBLEM)
    assert case.get_kind_display() == CaseKind.PROBLEM.label
    case.kind = "x"
    assert case.get_kind_display() == "x"


def test_serializer_fields_built_once_and_copied():
    from django.urls import get_resolver
    from rest_framework import serializers

    assert get_resolver().url_patterns  # imports every api module, so every serializer class exists

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    classes = [c for c in subclasses(serializers.ModelSerializer) if c.__module__.startswith("dangjian.")]
    assert len(classes) > 40
    for cls in classes:
        built = speedups._model_serializer_fields(cls())
        for _ in range(2):
            fields = speedups.serializer_fields(cls())
            assert list(fields) == list(built), cls
            assert [repr(f) for f in fields.values()] == [repr(f) for f in built.values()], cls
    from dangjian.orgs.serializers import OrgSerializer

    first, second = OrgSerializer(), OrgSerializer()
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    assert OrgSerializer.get_fields is speedups.serializer_fields
