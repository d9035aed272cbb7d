"""The fortnightly inspection: every branch of a station at least once per half-month (1st–15th,
16th–month end, Asia/Shanghai), checked for the last closed half-month."""

import datetime

import pytest

from dangjian.core.errors import DomainError
from dangjian.core.models import RuleOverride
from dangjian.stations import services
from dangjian.stations.checks import inspection_missed
from dangjian.stations.models import StationInspection
from dangjian.stations.selectors import half_month, last_closed_half_month

from .conftest import D, at, audit_count, html, sheet_rows

NOW = at(2026, 12, 1, 12, 0)


def inspect(world, branch, when, **kw):
    values = {"inspectors": "甲站长", "items_checked": "三会一课"} | kw
    return services.record_inspection(
        world.root, world.orgs["station"], branch=world.orgs[branch], inspected_at=when, now=NOW, **values
    )


def missed(user, today):
    return sorted(f.subject for f in inspection_missed(user, today))


def test_half_months():
    assert half_month(D(2026, 3, 15)).end == D(2026, 3, 15)
    assert half_month(D(2026, 3, 16)).start == D(2026, 3, 16)
    assert half_month(D(2026, 3, 16)).end == D(2026, 3, 31)
    assert half_month(D(2026, 2, 20)).end == D(2026, 2, 28)
    assert last_closed_half_month(D(2026, 4, 1)).start == D(2026, 3, 16)
    assert last_closed_half_month(D(2026, 4, 15)).label == "2026年3月下半月（16日–31日）"
    assert last_closed_half_month(D(2026, 4, 16)).label == "2026年4月上半月（1日–15日）"


def test_15th_at_2359_counts_for_the_first_half_16th_at_0000_for_the_second(world, users):
    inspect(world, "branch", at(2026, 3, 15, 23, 59))
    late = inspect(world, "sibling", at(2026, 3, 16, 0, 0))
    assert late.inspected_on == D(2026, 3, 16)
    assert missed(users.office, D(2026, 3, 16)) == ["村甲二"]  # 1st–15th closed: 村甲一 only
    # The same instant given in UTC (15 March 16:00Z) is 16 March in Shanghai.
    utc = inspect(world, "sibling", datetime.datetime(2026, 3, 15, 16, 0, tzinfo=datetime.UTC))
    assert utc.inspected_on == D(2026, 3, 16)


def test_a_31_day_month(world, users):
    inspect(world, "branch", at(2026, 3, 31, 23, 59))
    inspect(world, "sibling", at(2026, 3, 16, 8, 0))
    assert missed(users.office, D(2026, 4, 1)) == []
    assert missed(users.office, D(2026, 4, 15)) == []  # 1st–15th April is not closed yet
    assert missed(users.office, D(2026, 4, 16)) == ["村甲一", "村甲二"]
    f = inspection_missed(users.office, D(2026, 4, 16))[0]
    assert f.severity == "overdue" and f.due_on == D(2026, 4, 15) and f.org_name == "站甲"
    assert "2026年4月上半月（1日–15日）“站甲”对“村甲一”督查讲评0次，应至少1次" in f.message


def test_a_county_may_require_more(world, users):
    inspect(world, "branch", at(2026, 3, 5, 9, 0))
    inspect(world, "sibling", at(2026, 3, 5, 10, 0))
    assert missed(users.office, D(2026, 3, 20)) == []
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="stations.inspections_per_half_month",
        value=2,
        source="县甲",
        effective_from=D(2026, 1, 1),
    )
    assert missed(users.office, D(2026, 3, 20)) == ["村甲一", "村甲二"]
    assert missed(users.out_admin, D(2026, 3, 20)) == ["外村"]  # the default elsewhere


def test_scope_of_the_check(world, users):
    today = D(2026, 11, 16)  # the closed half is 1st–15th November: 村甲一 and 外村 were inspected on the 3rd
    assert missed(users.chief, today) == ["村甲二"]
    assert missed(users.out_admin, today) == []
    assert missed(users.secretary, today) == [] and missed(users.liaison, today) == []


@pytest.mark.parametrize(
    ("branch", "when", "field", "message"),
    [
        ("out_branch", at(2026, 11, 20, 9, 0), "branch", "请选择“站甲”所辖的村党组织"),
        ("community", at(2026, 11, 20, 9, 0), "branch", "请选择“站甲”所辖的村党组织"),
        ("branch", at(2026, 12, 1, 12, 1), "inspected_at", "督查时间不能晚于现在"),
    ],
)
def test_bad_input_writes_nothing(world, branch, when, field, message):
    before = (StationInspection.objects.count(), audit_count())
    with pytest.raises(DomainError) as exc:
        inspect(world, branch, when)
    assert exc.value.field == field and message in exc.value.message
    assert (StationInspection.objects.count(), audit_count()) == before


def test_follow_up_needs_the_problem(world):
    with pytest.raises(DomainError, match="请填写发现的问题"):
        inspect(world, "branch", at(2026, 11, 20, 9, 0), needs_follow_up=True)


def test_the_form(world, users, client_for):
    station = world.orgs["station"]
    client = client_for(users.chief)
    form = client.get(f"/stations/{station.pk}/inspections/new/")
    assert form.status_code == 200 and "村甲二" in html(form) and "外村" not in html(form)
    data = {"inspected_at": "2026-11-20T10:00", "inspectors": "甲站长", "items_checked": "三会一课"}
    before = StationInspection.objects.count()
    bad = client.post(
        f"/stations/{station.pk}/inspections/new/", data | {"branch": world.orgs["out_branch"].pk}
    )
    assert bad.status_code == 400 and "所选村党组织不在本站管辖范围内" in html(bad)
    future = client.post(
        f"/stations/{station.pk}/inspections/new/",
        data | {"branch": world.orgs["sibling"].pk, "inspected_at": "2099-01-01T10:00"},
    )
    assert future.status_code == 400 and "督查时间不能晚于现在" in html(future)
    assert StationInspection.objects.count() == before
    ok = client.post(f"/stations/{station.pk}/inspections/new/", data | {"branch": world.orgs["sibling"].pk})
    assert ok.status_code == 302
    row = StationInspection.objects.get(branch=world.orgs["sibling"])
    assert row.inspected_on == D(2026, 11, 20) and row.recorded_by == users.chief


def test_the_station_page_marks_the_missed_branch(world, users, client_for):
    page = html(client_for(users.chief).get(f"/stations/{world.orgs['station'].pk}/"))
    assert "督查讲评（每半月每村至少1次）" in page


def test_list_filters_and_export(world, users, client_for):
    inspect(world, "sibling", at(2026, 11, 20, 10, 0), problems="记录不全", needs_follow_up=True)
    client = client_for(users.admin)
    page = html(client.get("/stations/inspections/", {"needs_follow_up": "true"}))
    assert "村甲二" in page and "记录不全" in page and "村甲一" not in page
    page = html(client.get("/stations/inspections/", {"since": "2026-11-10"}))
    assert "村甲二" in page and "村甲一" not in page
    rows = sheet_rows(
        client.get("/stations/inspections/", {"export": "xlsx", "station": world.orgs["station"].pk})
    )
    header = rows[1]
    assert header[:3] == ("督查时间", "党建工作站", "督查对象")
    body = [r for r in rows[2:] if r[0]]
    assert {r[2] for r in body} == {"村甲一", "村甲二"} and "2026-11-20 10:00" in {r[0] for r in body}
