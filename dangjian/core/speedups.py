"""Work django-tables2 and DRF repeat for every cell or field, done once.

Both ask `inspect.signature` about a callable for every cell they render or export and every serialised
attribute that is a method (`get_kind_display`): a third of an export's time and a tenth of a list API's. A
function's signature does not change, so each is worked out once per function and binding. And every date
cell (django-tables2's DateColumn is a TemplateColumn) compiled its one-line template again: a compiled
template is kept per template text and engine.

Django's `get_FOO_display` builds a dict of the field's choices on every call (every status cell of a list,
every `kind_display` of an API row): the dict is kept per field. DRF's ModelSerializer works its fields out of
the model on every request (a third of serialising a 20-row page); they depend only on the class, so a
serializer class's fields are built once and each serializer gets a deep copy, as DRF itself does for fields
declared on the class."""

from __future__ import annotations

import copy
import functools
import types
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from django.apps import apps
from django.db import models
from django.template import Engine, Template
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django_tables2 import utils as tables_utils
from django_tables2.columns import templatecolumn
from rest_framework import fields as drf_fields
from rest_framework import relations as drf_relations
from rest_framework import serializers as drf_serializers
from rest_framework.settings import api_settings

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


_django_display = models.Model._get_FIELD_display
_choice_maps: weakref.WeakKeyDictionary[models.Field, dict] = weakref.WeakKeyDictionary()


def get_field_display(self: models.Model, field: models.Field) -> Any:
    """Model._get_FIELD_display with the field's choices made a dict once."""
    choices = _choice_maps.get(field)
    if choices is None:
        choices = _choice_maps[field] = dict(make_hashable(field.flatchoices))
    value = getattr(self, field.attname)
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


_model_serializer_fields = drf_serializers.ModelSerializer.get_fields
# What ModelSerializer.get_fields consults besides class attributes: a class overriding any is not remembered.
_FIELD_HOOKS = (
    "get_field_names",
    "get_default_field_names",
    "get_extra_kwargs",
    "get_uniqueness_extra_kwargs",
    "include_extra_kwargs",
    "build_field",
    "build_standard_field",
    "build_relational_field",
    "build_nested_field",
    "build_property_field",
    "build_url_field",
    "build_unknown_field",
)
_field_prototypes: dict[type, dict] = {}


def serializer_fields(self: drf_serializers.ModelSerializer) -> dict:
    cls = type(self)
    prototype = _field_prototypes.get(cls)
    if prototype is None:
        if any(getattr(cls, h) is not getattr(drf_serializers.ModelSerializer, h) for h in _FIELD_HOOKS):
            return _model_serializer_fields(self)
        prototype = _field_prototypes[cls] = _model_serializer_fields(self)
    elif self.url_field_name is None:
        self.url_field_name = api_settings.URL_FIELD_NAME
    return copy.deepcopy(prototype)


def install() -> None:
    tables_utils.signature = table_signature
    templatecolumn.Template = column_template
    drf_fields.is_simple_callable = drf_relations.is_simple_callable = is_simple_callable
    models.Model._get_FIELD_display = get_field_display
    for model in apps.get_models():  # get_FOO_display was bound to the original when the model was built
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, functools.partialmethod) and method.func is _django_display:
                setattr(model, name, functools.partialmethod(get_field_display, field=field))
    drf_serializers.ModelSerializer.get_fields = serializer_fields
