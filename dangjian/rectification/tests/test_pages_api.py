"""Pages and API: constant query counts on the ledger, the case page and the warning page; refusals shown
beside the form; Excel export and import; the API scoped (another county's rows answer 404) and
refusing what the services refuse."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from dangjian.core.roles import Role
from dangjian.orgs.services import create_org
from dangjian.rectification import services
from dangjian.rectification.models import RectificationCase, ScreeningRow, Situation
from dangjian.rectification.testing import add_item

TODAY = timezone.localdate()


def add_cases(world, n):
    for i in range(n):
        org = create_org(
            world.root, parent=world.orgs["township"], name=f"村甲新{i}", kind="branch", code=f"BN{i}"
        )
        case = services.open_case(world.root, org=org, year=TODAY.year, today=TODAY)
        services.identify(world.root, case, situations=["N4"], evidence="不开展组织生活", today=TODAY)
        services.set_plan(
            world.root,
            case,
            targets="t",
            responsible="r",
            deadline=TODAY,
            measures="m",
            expected_result="e",
            today=TODAY,
        )
        services.add_item(
            world.root, case, title=f"事项{i}", owner=world.users[Role.VILLAGE_SECRETARY], today=TODAY
        )


def xlsx_text(response) -> str:
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("url", ["/rectification/", "/rectification/warnings/"])
def test_lists_run_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries, url):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_cases(world, 4)
    with django_assert_max_num_queries(len(small) + 2):
        page = client.get(url)
    assert page.status_code == 200


def test_ledger_and_warning_export(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    ledger = xlsx_text(client.get("/rectification/", {"export": "xlsx"}))
    assert "村甲一" in ledger and "整顿中" in ledger and "外村" not in ledger
    warning = xlsx_text(client.get("/rectification/warnings/", {"export": "xlsx"}))
    assert "村甲一" in warning and "年度考核排名末位" in warning


def test_case_page_is_constant_and_shows_history(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    case = world.rectification["甲"]["case"]
    add_item(world)
    url = f"/rectification/case/{case.pk}/"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url)
    text = page.content.decode()
    assert "已认定" in text and "甲村建立两委责任清单" in text and "党组织书记不胜任现职" in text
    for i in range(3):
        services.add_item(
            world.root, case, title=f"加项{i}", owner=world.users[Role.VILLAGE_SECRETARY], today=TODAY
        )
        support = world.rectification["甲"]["support"]
        services.record_support_visit(world.root, support, visited_on=TODAY, activity=f"到村{i}", today=TODAY)
    with django_assert_max_num_queries(len(small)):
        client.get(url)
    history = client.get(f"/rectification/village/{case.org_id}/").content.decode()
    assert "预警排查中" in history and "整顿中" in history


def test_forms_show_the_refusals(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    case = world.rectification["甲"]["case"]
    add_item(world)
    r = client.post(
        f"/rectification/case/{case.pk}/plan/",
        {
            "targets": "t",
            "responsible": "",
            "deadline": "2030-01-01",
            "measures": "m",
            "expected_result": "e",
            "approved_on": TODAY.isoformat(),
        },
    )
    assert r.status_code == 400 and "缺少“定责任主体”" in r.content.decode()
    r = client.post(
        f"/rectification/case/{case.pk}/accept/", {"passed": "1", "basis": "好", "on": TODAY.isoformat()}
    )
    assert r.status_code == 400 and "未销号" in r.content.decode()
    r = client.post(
        f"/rectification/case/{case.pk}/identify/", {"situations": ["N1"], "evidence": "x", "on": "x"}
    )
    assert r.status_code == 400
    staff = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert staff.get(f"/rectification/case/{case.pk}/accept/").status_code == 403


def test_screening_import_and_checklist(world, client_for):
    admin = world.user(Role.COUNTY_ADMIN)
    client = client_for(admin)
    s = services.create_screening(admin, world.orgs["county"], year=TODAY.year, quota_percent=10, today=TODAY)
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年度村党组织考核排名"])
    ws.append(["村（社区）", "排名", "得分", "集体经济收入（万元）"])
    ws.append(["村甲一", 2, 80, 3])
    ws.append(["村甲二", 1, 90, 12])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "排名.xlsx"
    buf.seek(0)
    r = client.post(f"/rectification/screening/{s.pk}/import/", {"file": buf})
    assert r.status_code == 302
    assert list(
        ScreeningRow.objects.filter(screening=s, proposed=True).values_list("org__name", flat=True)
    ) == ["村甲一"]
    r = client.post(f"/rectification/screening/{s.pk}/import/", {"file": io.BytesIO(b"not excel")})
    assert r.status_code == 400
    r = client.post(
        "/rectification/checklists/",
        {
            "which": "situation",
            "s-county": world.orgs["county"].pk,
            "s-title": "存在“微腐败”问题",
            "s-source": "县定",
        },
    )
    assert r.status_code == 302 and Situation.objects.filter(title="存在“微腐败”问题").exists()
    assert len(services.checklist(world.orgs["county"])) == 12


def test_api_is_scoped_and_refuses_like_the_services(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    mine, other = world.rectification["甲"]["case"], world.rectification["外"]["case"]
    add_item(world)
    listed = client.get("/api/v1/rectification-cases/").json()["results"]
    assert [c["org_name"] for c in listed] == ["村甲一"] and listed[0]["items"] == 1
    assert client.get(f"/api/v1/rectification-cases/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/rectification-cases/{other.pk}/accept/", {"passed": True, "basis": "x"}
        ).status_code
        == 404
    )
    r = client.post(
        f"/api/v1/rectification-cases/{mine.pk}/accept/",
        {"passed": True, "basis": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "未销号" in r.json()["detail"]
    r = client.post(
        f"/api/v1/rectification-cases/{mine.pk}/plan/", {"targets": "t"}, content_type="application/json"
    )
    assert r.status_code == 400 and "五个要件" in r.json()["detail"]
    r = client.post("/api/v1/rectification-cases/", {"org": world.orgs["out_branch"].pk, "year": TODAY.year})
    assert (
        r.status_code == 400 and RectificationCase.objects.filter(org=world.orgs["out_branch"]).count() == 1
    )
    r = client.post(
        "/api/v1/rectification-cases/",
        {"org": world.orgs["sibling"].pk, "year": TODAY.year},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["history"][0]["to_status"] == "checking"
    warnings = client.get("/api/v1/rectification-warnings/").json()
    assert {w["name"] for w in warnings} >= {"村甲一"} and all("外" not in w["name"] for w in warnings)
    for name in ("plans", "items", "supports", "visits", "screenings", "situations", "visit-items"):
        rows = client.get(f"/api/v1/rectification-{name}/").json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        assert rows and "外" not in str(rows), name
    support = world.rectification["甲"]["support"]
    r = client.post(
        f"/api/v1/rectification-supports/{support.pk}/visits/",
        {"visited_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "activity": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "晚于今天" in r.json()["detail"]
    s = client.post(
        "/api/v1/rectification-screenings/",
        {"county": world.orgs["county"].pk, "year": TODAY.year, "quota_percent": 12},
        content_type="application/json",
    )
    assert s.status_code == 400 and "5%—10%" in s.json()["detail"]


def test_every_page_and_form_renders(world, client_for):
    from dangjian.rectification.views import ACTIONS

    client = client_for(world.user(Role.COUNTY_ADMIN))
    case, screening = world.rectification["甲"]["case"], world.rectification["甲"]["screening"]
    urls = [f"/rectification/case/{case.pk}/{step}/" for step in ACTIONS]
    urls += ["/rectification/new/", "/rectification/checklists/", "/rectification/screenings/"]
    urls += ["/rectification/screenings/new/", f"/rectification/screening/{screening.pk}/"]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200 and "外村" not in r.content.decode(), url
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert secretary.get(f"/rectification/case/{case.pk}/").status_code == 200
    assert secretary.get(f"/rectification/case/{case.pk}/plan/").status_code == 403
