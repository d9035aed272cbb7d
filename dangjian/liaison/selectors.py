"""Reads for pages and the API, always through the scope layer; counts are one query, not a loop."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangjian.core.roles import WORKERS
from dangjian.core.rules import rule_value
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from .models import Consultation, Contact, Deputy
from .services import AREA_KINDS


def orgs_for(user: Any, roles=WORKERS, kinds=AREA_KINDS) -> QuerySet[Org]:
    """Orgs of `kinds` where the user may register deputies or meetings (the choices of a form)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Org.objects.none()
    qs = Org.objects.filter(kind__in=kinds, archived_at__isnull=True).order_by("path")
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def deputies(user: Any, year: int) -> QuerySet[Deputy]:
    """Deputies with their contacts in `year`, their last contact and the meetings they attended that year."""
    meetings = Consultation.attendees.through.objects.filter(
        deputy_id=OuterRef("pk"), consultation__held_on__year=year
    )
    return (
        Deputy.objects.restrict(user)
        .select_related("org")
        .annotate(
            contacts_year=Count("contacts", filter=Q(contacts__contacted_on__year=year)),
            last_contact=Max("contacts__contacted_on"),
            meetings_year=Coalesce(
                Subquery(
                    meetings.values("deputy_id").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("org__path", "kind", "name", "pk")
    )


def contacts(user: Any) -> QuerySet[Contact]:
    return (
        Contact.objects.restrict(user)
        .select_related("deputy", "org", "branch")
        .order_by("-contacted_on", "-pk")
    )


def consultations(user: Any) -> QuerySet[Consultation]:
    return (
        Consultation.objects.restrict(user).select_related("org").annotate(attendee_count=Count("attendees"))
    )


def contact_target(org: Org) -> int:
    return int(rule_value(R.CONTACT_TARGET.code, county_of(org)))


def standing(count: int, target: int) -> str:
    """The colour of a deputy's contacts this year: green met, amber some, red none."""
    if count >= target:
        return "success"
    return "warning" if count else "danger"


def station_page(user: Any, org: Org, today: datetime.date) -> dict[str, Any]:
    """A station's deputies with this year's contact counts against the target, and its meetings."""
    target = contact_target(org)
    rows = list(
        deputies(user, today.year)
        .filter(org__path__startswith=org.path)
        .order_by("kind", "level", "name", "pk")
    )
    for d in rows:
        d.standing = standing(d.contacts_year, target)
        d.active = d.term_start <= today <= d.term_end
    meetings = (
        consultations(user)
        .filter(org__path__startswith=org.path, held_on__year=today.year)
        .prefetch_related("attendees")
        .order_by("-held_on")
    )
    return {
        "deputies": rows,
        "target": target,
        "met": sum(1 for d in rows if d.standing == "success"),
        "contacts_total": sum(d.contacts_year for d in rows),
        "meetings": meetings,
    }
