"""The records API: scoped lists, the same services behind every write, 404 outside scope, 400 in Chinese."""

import datetime

import pytest

from dangjian.members.choices import Standing, TransferStatus
from dangjian.members.models import DuesPayment, Household, HouseholdLink, MobileRecord, Transfer
from dangjian.members.testing import make_id_number

from .conftest import fresh

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def api(client_for, users):
    return client_for(users.secretary)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.parametrize(
    "path",
    ["mobile-records", "standing-decisions", "transfers", "households", "household-links", "dues-payments"],
)
def test_lists_show_only_the_scope(api, path):
    r = api.get(f"{API}/{path}/")
    assert r.status_code == 200 and r.json()["count"] >= 1
    body = r.content.decode()
    assert not any(name in body for name in ("外党员", "外户主", "外村", "外县")), body


def test_mobile_record_lifecycle(api, new_member, world):
    m = new_member()
    r = post(api, f"{API}/mobile-records/", {"member": m.pk, "destination": "宁波", "since": "2026-09-01"})
    assert r.status_code == 201 and r.json()["member_name"] == "甲测试党员"
    pk = r.json()["id"]
    r = post(
        api,
        f"{API}/mobile-records/{pk}/activities/",
        {"kind": "study", "on": "2026-10-01", "content": "学习"},
    )
    assert r.status_code == 201 and r.json()["kind_display"] == "线上学习"
    r = post(api, f"{API}/mobile-records/{pk}/end/", {"ended_on": "2026-08-01"})
    assert r.status_code == 400 and "不能早于外出日期" in r.json()["detail"] and r.json()["ended_on"]
    r = post(api, f"{API}/mobile-records/{pk}/end/", {"ended_on": "2026-10-20"})
    assert r.status_code == 200 and r.json()["ended_on"] == "2026-10-20" and not fresh(m).is_mobile
    out = MobileRecord.objects.get(member=world.members["out"])
    assert post(api, f"{API}/mobile-records/{out.pk}/end/", {"ended_on": "2026-10-20"}).status_code == 404
    r = post(
        api,
        f"{API}/mobile-records/",
        {"member": world.members["out"].pk, "destination": "x", "since": "2026-09-01"},
    )
    assert r.status_code == 404
    r = post(api, f"{API}/mobile-records/", {"member": m.pk, "since": "昨天"})
    assert r.status_code == 400 and "destination" in r.json() and "日期格式错误" in r.json()["since"][0]


def test_standing_decisions(client_for, users, new_member):
    m = new_member()
    api = client_for(users.secretary)
    r = post(api, f"{API}/standing-decisions/", {"member": m.pk, "kind": "lost", "decided_on": "2026-01-10"})
    assert r.status_code == 201 and r.json()["kind_display"] == "登记失联"
    r = post(
        api,
        f"{API}/standing-decisions/",
        {"member": m.pk, "kind": "suspend", "decided_on": "2026-07-09", "decided_by": "支部"},
    )
    assert r.status_code == 400 and "未满6个月" in r.json()["detail"]
    r = post(
        api,
        f"{API}/standing-decisions/",
        {"member": m.pk, "kind": "suspend", "decided_on": "2026-07-10", "decided_by": "支部"},
    )
    assert r.status_code == 201 and fresh(m).standing == Standing.SUSPENDED
    r = post(
        api, f"{API}/standing-decisions/", {"member": m.pk, "kind": "restore", "decided_on": "2026-08-01"}
    )
    assert r.status_code == 403 and "县级组织部门" in r.json()["detail"]
    admin = client_for(users.admin)
    r = post(
        admin, f"{API}/standing-decisions/", {"member": m.pk, "kind": "restore", "decided_on": "2026-08-01"}
    )
    assert r.status_code == 201 and fresh(m).standing == Standing.NORMAL
    assert admin.get(f"{API}/standing-decisions/", {"member": m.pk}).json()["count"] == 3


def test_transfers(client_for, users, new_member, world):
    m = new_member()
    api = client_for(users.secretary)
    r = post(
        api,
        f"{API}/transfers/",
        {"member": m.pk, "kind": "internal", "to_org_code": "B3", "issued_on": "2026-11-01"},
    )
    assert r.status_code == 201 and r.json()["to_org_name"] == "外村"
    pk = r.json()["id"]
    assert post(api, f"{API}/transfers/{pk}/confirm/", {"received_on": "2026-11-02"}).status_code == 403
    out = client_for(users.out_admin)
    r = post(out, f"{API}/transfers/{pk}/confirm/", {"received_on": "2026-11-02"})
    assert r.status_code == 200 and r.json()["status"] == TransferStatus.RECEIVED
    api = client_for(users.secretary)
    incoming = Transfer.objects.get(member=world.members["sibling"])
    assert post(api, f"{API}/transfers/{incoming.pk}/cancel/", {}).status_code == 403
    outside = Transfer.objects.get(member=world.members["out"])
    assert post(api, f"{API}/transfers/{outside.pk}/cancel/", {}).status_code == 404
    assert api.get(f"{API}/transfers/", {"direction": "incoming"}).json()["count"] == 1


def test_receive_from_outside(api, world):
    data = {
        "org": world.orgs["branch"].pk,
        "outside_org_name": "北京市某街道党工委",
        "letter_no": "京9",
        "received_on": "2026-11-01",
        "name": "甲接口转入",
        "id_number": make_id_number(datetime.date(1991, 5, 1), 303),
        "status": "full",
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
    }
    r = post(api, f"{API}/transfers/receive/", data)
    assert r.status_code == 201 and r.json()["kind"] == "in" and r.json()["member_name"] == "甲接口转入"
    assert (
        post(api, f"{API}/transfers/receive/", data | {"org": world.orgs["out_branch"].pk}).status_code == 404
    )
    r = post(api, f"{API}/transfers/receive/", data | {"id_number": "123"})
    assert r.status_code == 400 and "id_number" in r.json()


def test_households_links_and_visits(api, world, new_member):
    r = post(
        api,
        f"{API}/households/",
        {"org": world.orgs["branch"].pk, "head_name": "甲接口户", "phone": "13900001234"},
    )
    assert r.status_code == 201 and r.json()["phone_masked"] == "139****1234" and r.json()["open_links"] == 0
    hh = r.json()["id"]
    r = post(
        api,
        f"{API}/households/",
        {"org": world.orgs["branch"].pk, "head_name": "甲户", "grid": world.grids["out_grid"].pk},
    )
    assert r.status_code == 400 and "网格" in r.json()["detail"]
    assert (
        post(api, f"{API}/households/", {"org": world.orgs["out_branch"].pk, "head_name": "外户"}).status_code
        == 404
    )
    m = new_member()
    r = post(api, f"{API}/household-links/", {"member": m.pk, "household": hh, "since": "2026-11-01"})
    assert r.status_code == 201 and r.json()["household_name"] == "甲接口户户"
    link = r.json()["id"]
    r = post(
        api, f"{API}/household-links/{link}/visits/", {"visited_on": "2026-11-02", "note": "了解用水困难"}
    )
    assert r.status_code == 201
    r = post(api, f"{API}/household-links/{link}/end/", {"ended_on": "2026-11-03"})
    assert r.status_code == 200 and r.json()["ended_on"] == "2026-11-03"
    out_hh = world.records["out_household"]
    r = post(api, f"{API}/household-links/", {"member": m.pk, "household": out_hh.pk, "since": "2026-11-01"})
    assert r.status_code == 404
    assert api.get(f"{API}/households/", {"unlinked": "true"}).json()["count"] == 1
    assert Household.objects.filter(head_name="外户").count() == 0
    assert HouseholdLink.objects.filter(household_id=hh).count() == 1


def test_dues_payments(api, world, new_member):
    m = new_member()
    r = post(
        api,
        f"{API}/dues-payments/",
        {"member": m.pk, "month": "2026-10-01", "amount": "0.50", "paid_on": "2026-11-01"},
    )
    assert r.status_code == 201 and r.json()["month"] == "2026-10-01"
    r = post(
        api,
        f"{API}/dues-payments/",
        {"member": m.pk, "month": "2026-09-01", "amount": "9", "paid_on": "2026-11-01"},
    )
    assert r.status_code == 400 and "备注" in r.json()["amount"][0]
    others = [new_member(), new_member()]
    data = {
        "org": world.orgs["branch"].pk,
        "month": "2026-09-01",
        "member_ids": [o.pk for o in others],
        "paid_on": "2026-11-01",
    }
    r = post(api, f"{API}/dues-payments/bulk/", data)
    assert r.status_code == 201 and len(r.json()) == 2
    assert (
        post(api, f"{API}/dues-payments/bulk/", data | {"org": world.orgs["out_branch"].pk}).status_code
        == 404
    )
    r = post(api, f"{API}/dues-payments/bulk/", data)
    assert r.status_code == 400 and "已登记" in r.json()["detail"]
    assert DuesPayment.objects.filter(member__in=others).count() == 2


def test_read_only_roles_get_403_and_nothing_is_written(client_for, users, new_member):
    m = new_member()
    leader = client_for(users.leader)
    assert leader.get(f"{API}/mobile-records/").status_code == 200
    r = post(leader, f"{API}/mobile-records/", {"member": m.pk, "destination": "宁波", "since": "2026-09-01"})
    assert r.status_code == 403 and not MobileRecord.objects.filter(member=m).exists()


def test_schema_lists_the_records_endpoints(client_for, users):
    r = client_for(users.secretary).get("/api/schema/", {"format": "json"})
    paths = r.json()["paths"]
    for p in (
        "/api/v1/mobile-records/{id}/end/",
        "/api/v1/mobile-records/{id}/activities/",
        "/api/v1/standing-decisions/",
        "/api/v1/transfers/{id}/confirm/",
        "/api/v1/transfers/receive/",
        "/api/v1/households/",
        "/api/v1/household-links/{id}/visits/",
        "/api/v1/dues-payments/bulk/",
    ):
        assert p in paths, p
    assert "requestBody" in paths["/api/v1/transfers/"]["post"]
