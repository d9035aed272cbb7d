"""Services: each refusal in Chinese with nothing written, and the audit row of each write."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.liaison import services
from dangjian.liaison.choices import DeputyKind, Level
from dangjian.liaison.models import Consultation, Contact, Deputy

TODAY = datetime.date(2026, 11, 30)
TERM = datetime.date(2021, 10, 1)


def deputy_kw(**extra):
    return dict(name="甲新代表", kind=DeputyKind.NPC, level=Level.COUNTY, term_start=TERM) | extra


def test_add_deputy_defaults_a_five_year_term_and_audits(world):
    d = services.add_deputy(world.root, world.orgs["station"], **deputy_kw())
    assert d.term_end == datetime.date(2026, 10, 1)
    event = AuditEvent.objects.get(action="liaison.deputy.add", object_id=str(d.pk))
    assert event.after["name"] == "甲新代表" and event.org_id == world.orgs["station"].pk


def test_term_longer_than_five_years_is_refused_at_the_boundary(world):
    services.add_deputy(world.root, world.orgs["station"], **deputy_kw(term_end=datetime.date(2026, 10, 1)))
    with pytest.raises(DomainError, match="每届任期5年") as exc:
        services.add_deputy(
            world.root, world.orgs["station"], **deputy_kw(name="乙", term_end=datetime.date(2026, 10, 2))
        )
    assert exc.value.field == "term_end"


def test_term_end_before_start_is_refused(world):
    with pytest.raises(DomainError, match="届满日须晚于任期开始日"):
        services.add_deputy(world.root, world.orgs["station"], **deputy_kw(term_end=TERM))


def test_there_is_no_township_cppcc(world):
    before = Deputy.objects.count()
    with pytest.raises(DomainError, match="乡镇不设政协"):
        services.add_deputy(
            world.root, world.orgs["station"], **deputy_kw(kind=DeputyKind.CPPCC, level=Level.TOWNSHIP)
        )
    assert Deputy.objects.count() == before


def test_duplicate_deputy_and_wrong_org_kind_are_refused(world):
    with pytest.raises(DomainError, match="已登记为本站同届"):
        services.add_deputy(
            world.root, world.orgs["station"], **deputy_kw(name="甲党代表", kind=DeputyKind.PARTY)
        )
    with pytest.raises(DomainError, match="按党建工作站"):
        services.add_deputy(world.root, world.orgs["branch"], **deputy_kw())


def test_a_reader_may_not_add_deputies_and_outside_scope_is_not_found(world):
    from dangjian.core.errors import NotInScope

    with pytest.raises(ActionDenied):
        services.add_deputy(world.user(Role.READONLY_LEADER), world.orgs["station"], **deputy_kw())
    with pytest.raises(NotInScope):
        services.add_deputy(world.user(Role.STATION_CHIEF), world.orgs["out_station"], **deputy_kw())


def test_contact_needs_a_branch_or_resident(world):
    party = world.liaison["甲"]["party"]
    with pytest.raises(DomainError, match="请选择联系的支部或填写联系的群众") as exc:
        services.record_contact(
            world.root,
            party,
            contacted_on=datetime.date(2026, 5, 1),
            topic="事由",
            outcome="结果",
            today=TODAY,
        )
    assert exc.value.field == "branch"


def test_contact_with_a_branch_outside_the_station_is_refused(world):
    party = world.liaison["甲"]["party"]
    with pytest.raises(DomainError, match="外村不在站甲的联络范围内"):
        services.record_contact(
            world.root,
            party,
            branch=world.orgs["out_branch"],
            contacted_on=datetime.date(2026, 5, 1),
            topic="事由",
            outcome="结果",
            today=TODAY,
        )


def test_contact_outside_the_term_or_in_the_future_is_refused(world):
    party = world.liaison["甲"]["party"]  # term 2021-10-01 to 2026-10-01
    kw = dict(branch=world.orgs["branch"], topic="事由", outcome="结果", today=TODAY)
    with pytest.raises(DomainError, match="联系日期不在任期内"):
        services.record_contact(world.root, party, contacted_on=datetime.date(2026, 10, 2), **kw)
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.record_contact(world.root, party, contacted_on=datetime.date(2026, 12, 1), **kw)
    c = services.record_contact(world.root, party, contacted_on=datetime.date(2026, 10, 1), **kw)
    assert Contact.objects.filter(pk=c.pk).exists()
    assert AuditEvent.objects.filter(action="liaison.contact.record", object_id=str(c.pk)).exists()


def test_consultation_needs_an_attendee_of_the_station_in_term(world):
    v, out = world.liaison["甲"], world.liaison["外"]
    kw = dict(held_on=datetime.date(2026, 5, 1), topic="议题", result="结果", today=TODAY)
    before = Consultation.objects.count()
    with pytest.raises(DomainError, match="至少有一名代表委员参加"):
        services.record_consultation(world.root, world.orgs["station"], attendees=[], **kw)
    with pytest.raises(DomainError, match="外党代表不属于站甲"):
        services.record_consultation(world.root, world.orgs["station"], attendees=[out["party"]], **kw)
    late = kw | {"held_on": datetime.date(2026, 10, 20)}
    with pytest.raises(DomainError, match="甲党代表、甲人大代表在会议当日不在任期内"):
        services.record_consultation(
            world.root, world.orgs["station"], attendees=[v["party"], v["npc"]], **late
        )
    assert Consultation.objects.count() == before
    m = services.record_consultation(world.root, world.orgs["station"], attendees=[v["party"]], **kw)
    assert list(m.attendees.all()) == [v["party"]]
    event = AuditEvent.objects.get(action="liaison.consultation.record", object_id=str(m.pk))
    assert event.after["attendees"] == ["甲党代表"]
