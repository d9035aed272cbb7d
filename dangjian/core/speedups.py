"""Work django-tables2 and DRF repeat for every cell or field, done once.

Both ask `inspect.signature` about a callable for every cell they render or export and every serialised
attribute that is a method (`get_kind_display`): a third of an export's time and a tenth of a list API's. A
function's signature does not change, so each is worked out once per function and binding. And every date
cell (django-tables2's DateColumn is a TemplateColumn) compiled its one-line template again: a compiled
template is kept per template text and engine."""

from __future__ import annotations

import functools
import types
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from django.template import Engine, Template
from django_tables2 import utils as tables_utils
from django_tables2.columns import templatecolumn
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations

_tables_signature = tables_utils.signature
_drf_simple = drf_fields.is_simple_callable
_known: weakref.WeakKeyDictionary[Callable, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def _memo(fn: Any, kind: str, work: Callable[[Any], Any]) -> Any:
    """work(fn), remembered by the plain function underneath `fn` and how `fn` wraps it."""
    how: tuple = (kind,)
    if isinstance(fn, functools.partial):  # get_FOO_display: a partial of a bound method, new on every access
        how += ("partial", len(fn.args), tuple(sorted(fn.keywords)))
        fn_inner = fn.func
    else:
        fn_inner = fn
    if isinstance(fn_inner, types.MethodType):
        how += ("bound",)
        fn_inner = fn_inner.__func__
    if not isinstance(fn_inner, types.FunctionType):  # callable objects and the like: not remembered
        return work(fn)
    known = _known.setdefault(fn_inner, {})
    if how not in known:
        known[how] = work(fn)
    return known[how]


def table_signature(fn: Any) -> tuple:
    return _memo(fn, "tables", _tables_signature)


def is_simple_callable(obj: Any) -> bool:
    if not callable(obj):
        return False
    return _memo(obj, "drf", _drf_simple)


def column_template(
    template_string: str, origin: Any = None, name: Any = None, engine: Any = None
) -> Template:
    if origin is not None or name is not None:
        return Template(template_string, origin, name, engine)
    return _compiled(template_string, engine or Engine.get_default())


@functools.lru_cache(maxsize=512)
def _compiled(template_string: str, engine: Engine) -> Template:
    return Template(template_string, engine=engine)


def install() -> None:
    tables_utils.signature = table_signature
    templatecolumn.Template = column_template
    drf_fields.is_simple_callable = drf_relations.is_simple_callable = is_simple_callable
