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
