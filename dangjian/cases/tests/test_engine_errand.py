"""Errands: received by whoever the resident meets first (who owns it until an explicit hand-over),
promised, fed back, the report checked, filed; then the satisfaction follow-up."""

import datetime

import pytest

from dangjian.cases import services
from dangjian.cases.choices import Satisfaction
from dangjian.core.errors import DomainError
from dangjian.core.roles import Role
from dangjian.core.workdays import add_working_days

from .support import errand, fresh

pytestmark = pytest.mark.django_db


def test_first_contact_owns_it_and_the_seven_steps_run(world):
    secretary, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    case = errand(world)
    assert case.owner == secretary and case.state == "received" and case.receipt_no.startswith("D-")
    assert case.deadline == add_working_days(case.opened_on, 3, world.orgs["county"])
    later = case.opened_on + datetime.timedelta(days=10)
    services.act(secretary, case, "promise", deadline=later)
    assert fresh(case).deadline == later
    services.act(secretary, fresh(case), "feedback", note="已代缴，收据已交本人")
    with pytest.raises(DomainError, match="销号|归档"):
        services.record_satisfaction(chief, fresh(case), score=Satisfaction.SATISFIED)
    services.act(chief, fresh(case), "accept")
    services.act(chief, fresh(case), "sign_off")
    services.record_satisfaction(chief, fresh(case), score=Satisfaction.SATISFIED, note="电话回访")
    case = fresh(case)
    assert case.state == "closed" and case.satisfaction == Satisfaction.SATISFIED


def test_an_errand_needs_a_service_of_its_township_and_a_resident(world):
    with pytest.raises(DomainError) as info:
        errand(world, service=None, resident_name="")
    messages = {e.field for e in info.value.errors}
    assert {"service", "resident_name"} <= messages


def test_the_resident_phone_is_masked_in_the_audit_trail(world):
    from dangjian.core.models import AuditEvent

    case = errand(world)
    row = AuditEvent.objects.get(action="cases.open", object_id=str(case.pk))
    assert "13912345678" not in str(row.after) and "李大妈" not in str(row.after)
    assert case.resident_phone_masked == "139****5678"
