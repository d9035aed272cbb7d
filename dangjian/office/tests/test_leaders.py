"""县级包联: county leaders paired with villages for a year, their visits counted against the rule."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.office.models import ContactLeader, ContactLeaderVisit
from dangjian.office.selectors import leader_rows, months_elapsed
from dangjian.office.services import leaders

from .conftest import TODAY, audit_count, html, xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date


def make(users, world, **kw):
    values = {"today": TODAY} | kw
    villages = values.pop("villages", [world.orgs["branch"], world.orgs["sibling"]])
    return leaders.create_leader(
        users.admin, world.orgs["county"], "王甲", "副县长", 2026, villages, **values
    )


def test_create_and_refuse(users, world):
    leader = make(users, world)
    assert set(leader.pairings.values_list("org_id", flat=True)) == {
        world.orgs["branch"].pk,
        world.orgs["sibling"].pk,
    }
    with pytest.raises(DomainError, match="已登记包联领导"):
        make(users, world)
    with pytest.raises(DomainError, match="不是村（社区）党支部"):
        leaders.create_leader(
            users.admin, world.orgs["county"], "赵甲", "x", 2026, [world.orgs["station"]], today=TODAY
        )
    with pytest.raises(DomainError, match="至少选择一个包联村"):
        leaders.create_leader(users.admin, world.orgs["county"], "赵甲", "x", 2026, [], today=TODAY)
    with pytest.raises(DomainError, match="年度应在"):
        leaders.create_leader(
            users.admin, world.orgs["county"], "赵甲", "x", 2030, [world.orgs["branch"]], today=TODAY
        )
    with pytest.raises(ActionDenied):
        leaders.create_leader(
            users.leader, world.orgs["county"], "赵甲", "x", 2026, [world.orgs["branch"]], today=TODAY
        )
    with pytest.raises(NotInScope):
        leaders.create_leader(
            users.office, world.orgs["county"], "赵甲", "x", 2026, [world.orgs["branch"]], today=TODAY
        )


def test_visits_are_counted_and_villages_not_visited_shown(users, world):
    leader = make(users, world)
    for month in (1, 3, 5):
        leaders.record_leader_visit(
            users.office, leader, world.orgs["branch"], D(2026, month, 10), "督导", today=TODAY
        )
    leaders.record_leader_visit(
        users.office, leader, world.orgs["branch"], D(2026, 11, 2), "督导", today=TODAY
    )
    [row] = leader_rows(users.admin, [leader], TODAY)
    by_name = {v.name: v for v in row.villages}
    assert row.visits == 4 and by_name["村甲一"].visits == 4 and by_name["村甲一"].this_month == 1
    assert [v.name for v in row.not_visited] == ["村甲二"]
    assert row.expected == 2 * 11 and row.short  # each village once a month, 11 months begun by 2026-11-25


def test_months_elapsed_at_the_boundary():
    assert months_elapsed(2026, D(2026, 1, 1)) == 1
    assert months_elapsed(2026, D(2026, 12, 31)) == 12
    assert months_elapsed(2025, D(2026, 1, 1)) == 12 and months_elapsed(2027, D(2026, 12, 31)) == 0


def test_visit_bad_input(users, world):
    leader = make(users, world, villages=[world.orgs["branch"]])
    before = (ContactLeaderVisit.objects.count(), audit_count())
    with pytest.raises(DomainError, match="不是王甲2026年的包联村"):
        leaders.record_leader_visit(
            users.office, leader, world.orgs["sibling"], D(2026, 11, 1), "x", today=TODAY
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        leaders.record_leader_visit(
            users.office, leader, world.orgs["branch"], D(2026, 11, 26), "x", today=TODAY
        )
    with pytest.raises(DomainError, match="包联年度"):
        leaders.record_leader_visit(
            users.office, leader, world.orgs["branch"], D(2025, 12, 1), "x", today=TODAY
        )
    with pytest.raises(DomainError, match="开展工作"):
        leaders.record_leader_visit(
            users.office, leader, world.orgs["branch"], D(2026, 11, 1), " ", today=TODAY
        )
    with pytest.raises(ActionDenied):
        leaders.record_leader_visit(
            users.secretary, leader, world.orgs["branch"], D(2026, 11, 1), "x", today=TODAY
        )
    assert (ContactLeaderVisit.objects.count(), audit_count()) == before


def test_a_paired_village_sees_its_leader(users, world):
    leader = world.office["leader"]
    assert ContactLeader.objects.restrict(users.secretary).filter(pk=leader.pk).exists()
    assert ContactLeader.objects.restrict(users.office).filter(pk=leader.pk).exists()
    assert not ContactLeader.objects.restrict(users.grid).filter(pk=leader.pk).exists()
    assert not ContactLeader.objects.restrict(users.secretary, "change").exists()


def test_change_villages(users, world):
    leader = make(users, world)
    leaders.set_leader_villages(users.admin, leader, [world.orgs["sibling"], world.orgs["community"]])
    assert set(leader.pairings.values_list("org__name", flat=True)) == {"村甲二", "社区甲"}
    with pytest.raises(NotInScope):  # the county's record: a paired village only reads it
        leaders.set_leader_villages(users.secretary, leader, [world.orgs["branch"]])


def test_pages(client_for, users, world):
    c = client_for(users.admin)
    r = c.get("/office/contact-leaders/", {"year": 2026})
    body = html(r)
    assert r.status_code == 200 and "李甲" in body and "李外" not in body
    r = c.post(
        "/office/contact-leaders/new/",
        {
            "county": world.orgs["county"].pk,
            "name": "张甲",
            "title": "副县长",
            "year": 2026,
            "villages": [world.orgs["sibling"].pk],
        },
    )
    leader = ContactLeader.objects.get(name="张甲")
    assert r.status_code == 302 and r["Location"] == f"/office/contact-leaders/{leader.pk}/"
    office = client_for(users.office)
    r = office.post(
        f"/office/contact-leaders/{leader.pk}/visits/",
        {"village": world.orgs["sibling"].pk, "visited_on": "2026-11-20", "activity": "指导整顿"},
    )
    assert r.status_code == 302 and leader.visits.count() == 1
    r = office.post(
        f"/office/contact-leaders/{leader.pk}/visits/",
        {"village": world.orgs["sibling"].pk, "visited_on": "2099-11-20", "activity": "x"},
    )
    assert r.status_code == 400 and "不能晚于今天" in html(r)
    assert office.get("/office/contact-leaders/new/").status_code == 403
    secretary = html(client_for(users.secretary).get("/office/contact-leaders/"))
    assert "李甲" in secretary and "张甲" not in secretary
    rows = xlsx_rows(client_for(users.admin).get("/office/contact-leaders/", {"export": "xlsx"}))
    assert rows[1][0] == "姓名" and {r[0] for r in rows[2:]} == {"李甲", "张甲"}


def test_api(client_for, users, world):
    c = client_for(users.admin)
    r = c.post(
        "/api/v1/contact-leaders/",
        {
            "county": world.orgs["county"].pk,
            "name": "刘甲",
            "title": "县长",
            "year": 2026,
            "villages": [world.orgs["branch"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    r = c.post(
        "/api/v1/contact-leader-visits/",
        {"leader": pk, "org": world.orgs["branch"].pk, "visited_on": "2026-11-02", "activity": "督导"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        "/api/v1/contact-leader-visits/",
        {"leader": pk, "org": world.orgs["sibling"].pk, "visited_on": "2026-11-02", "activity": "督导"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "包联村" in r.json()["village"][0]
    r = c.post(
        "/api/v1/contact-leaders/",
        {
            "county": world.orgs["county"].pk,
            "name": "x",
            "title": "x",
            "year": 2026,
            "villages": [world.orgs["out_branch"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 404
    visits = client_for(users.secretary).get("/api/v1/contact-leader-visits/").json()["results"]
    assert {v["org_name"] for v in visits} == {"村甲一"}


def test_leaders_page_constant_queries(client_for, users, world, django_assert_max_num_queries):
    c = client_for(users.admin)
    counts = []
    for names in (["周甲"], ["吴甲", "郑甲", "冯甲"]):
        for name in names:
            leader = leaders.create_leader(
                users.admin, world.orgs["county"], name, "副县长", 2026, [world.orgs["branch"]], today=TODAY
            )
            leaders.record_leader_visit(
                users.admin, leader, world.orgs["branch"], D(2026, 11, 2), "督导", today=TODAY
            )
        with django_assert_max_num_queries(12) as captured:
            assert c.get("/office/contact-leaders/", {"year": 2026}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
