"""The demo (seed 002, 宜君县): deputies at the three named stations with contacts and a consultation meeting;
a second load creates nothing; the generator gives every station three deputies, contacts and a meeting."""

from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.liaison import demo, generate, selectors
from dangjian.liaison.models import Consultation, Contact, Deputy
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                created, skipped = Counter(), Counter()
                admin = account_demo.ensure_admin(make_password("x"), created, skipped)
                org_demo.load_demo_orgs(admin, created, skipped)
                account_demo.load_demo_users(admin, make_password("x"), created, skipped)
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
                plan = org_demo.plan_province(7, counties=2, townships=3, branches=10, grids=1)
                org_ids = org_demo.insert_province(plan)
                counts = generate.insert_province(plan, org_ids, TODAY)
            yield first, again, skipped_again, plan, counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def test_a_second_load_creates_nothing(loaded):
    first, again, skipped, *_ = loaded
    assert first["代表委员"] == 10 and first["协商议事会"] == 3 and first["代表委员联系"] >= 20
    assert not any(again[label] for label in demo.DEMO_LABELS) and skipped["代表委员"] == 10


def test_yijun_stations(loaded):
    county = Org.objects.get(name="宜君县")
    deputies = Deputy.objects.filter(org__path__startswith=county.path)
    assert set(deputies.values_list("org__name", flat=True)) == set(demo.DEPUTIES)
    assert {"party", "npc", "cppcc"} == set(deputies.values_list("kind", flat=True))
    assert all("演示虚构" in d.demo_source for d in deputies)
    yushe = Org.objects.get(name="榆舍党建工作站")
    meeting = Consultation.objects.get(org=yushe)
    assert meeting.attendees.count() == 4 and meeting.held_on <= TODAY
    contacts = Contact.objects.filter(org=yushe)
    assert contacts.count() >= 8 and all(c.contacted_on <= TODAY for c in contacts)
    assert all(c.branch is None or c.branch.parent_id == yushe.pk for c in contacts)


def test_station_chief_sees_the_station_page(loaded):
    chief = User.objects.get(username="station_yushe")
    yushe = Org.objects.get(name="榆舍党建工作站")
    page = selectors.station_page(chief, yushe, TODAY)
    assert len(page["deputies"]) == 4 and page["target"] == 4
    assert {d.standing for d in page["deputies"]} <= {"success", "warning", "danger"}
    assert not selectors.deputies(chief, TODAY.year).exclude(org=yushe).exists()


def test_generated_province(loaded):
    *_, plan, counts = loaded
    stations = sum(1 for o in plan.orgs if o.kind == "station")
    assert stations and counts["deputy"] == 3 * stations and counts["consultation"] == stations
    assert counts["deputy_contact"] == 6 * stations
    generated = Consultation.objects.filter(demo_source=generate.SOURCE)
    assert generated.count() == stations and all(m.attendees.count() == 3 for m in generated[:3])
