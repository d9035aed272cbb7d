"""Pages and API: scoped (outside is 404), search, filters, sort, paging, count and Excel export, forms
that show refusals beside the field with a 4xx, and a constant number of queries at two sizes."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.projects import services
from dangjian.projects.choices import ProjectKind, ProjectStatus, SourceKind
from dangjian.projects.models import Milestone, Outcome, Project, Unit

TODAY = timezone.localdate()


def sheet(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [[c for c in row] for row in wb.active.iter_rows(values_only=True)]


def add_projects(world, n):
    for i in range(n):
        p = services.create_project(
            world.root,
            org=world.orgs["sibling"],
            title=f"甲二村项目{i}",
            kind=ProjectKind.LIVELIHOOD,
            year=TODAY.year,
            budget="1000",
            villages=[world.orgs["sibling"]],
            sources=[(SourceKind.VILLAGE, "", "500")],
        )
        services.add_milestone(world.root, p, title=f"节点{i}", due=TODAY)
        services.record_outcome(
            world.root, p, measure="受益人口", quantity=3, unit=Unit.objects.get(code="person")
        )


def test_list_is_scoped_and_searchable(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(reverse("projects-list"))
    text = r.content.decode()
    assert r.status_code == 200 and "甲村水渠整修" in text and "镇甲联村道路硬化" in text
    assert "外村水渠整修" not in text
    assert "共 2 条" in text
    r = client.get(reverse("projects-list"), {"q": "道路", "kind": "livelihood"})
    assert "镇甲联村道路硬化" in r.content.decode() and "甲村水渠整修" not in r.content.decode()
    r = client.get(reverse("projects-list"), {"org": world.orgs["branch"].pk, "year": TODAY.year})
    assert "甲村水渠整修" in r.content.decode() and "镇甲联村道路硬化" not in r.content.decode()
    r = client.get(reverse("projects-list"), {"status": "completed"})
    assert "共 0 条" in r.content.decode()
    r = client.get(reverse("projects-list"), {"sort": "-budget"})
    assert r.status_code == 200
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY)).get(reverse("projects-list")).content.decode()
    assert "甲村水渠整修" in secretary and "镇甲联村道路硬化" not in secretary


def test_list_export_follows_the_filters(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(reverse("projects-list"), {"export": "xlsx", "kind": "infrastructure"})
    rows = sheet(r)
    flat = [c for row in rows for c in row if c]
    assert "甲村水渠整修" in flat and "镇甲联村道路硬化" not in flat and "外村水渠整修" not in flat
    header = next(row for row in rows if "项目名称" in row)
    assert "资金缺口（元）" in header and "进度" in header


def test_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get(reverse("projects-list"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("projects-list"))
    add_projects(world, 12)
    with django_assert_max_num_queries(len(small)):
        r = client.get(reverse("projects-list"))
    assert "甲二村项目11" in r.content.decode()


def test_detail_is_constant_and_shows_everything(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    project = world.projects["甲"]
    url = reverse("projects-detail", args=[project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        r = client.get(url)
    text = r.content.decode()
    for expected in ("甲县水利局", "甲村渠道清淤", "甲村灌溉农田 200亩", "甲村水渠.png", "进度 50%"):
        assert expected in text
    for i in range(6):
        services.add_source(world.root, world.projects["镇甲"], kind=SourceKind.OTHER, amount="1")
        services.record_outcome(
            world.root, project, measure=f"成效{i}", quantity=1, unit=Unit.objects.get(code="m")
        )
    services.add_milestone(
        world.root, project, title="再加一个节点", due=TODAY + __import__("datetime").timedelta(days=90)
    )
    with django_assert_max_num_queries(len(small)):
        client.get(url)


def test_outside_is_404(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    out = world.projects["外"]
    for name in ("projects-detail", "projects-edit", "projects-outcome", "projects-milestone"):
        assert client.get(reverse(name, args=[out.pk])).status_code == 404
    m = Milestone.objects.filter(project=out).first()
    assert client.post(reverse("projects-milestone-done", args=[m.pk]), {"done_on": TODAY}).status_code == 404
    o = Outcome.objects.filter(project=out).first()
    assert client.post(reverse("projects-outcome-delete", args=[o.pk])).status_code == 404
    assert Outcome.objects.filter(pk=o.pk).exists()


def test_readonly_leader_sees_but_may_not_change(world, client_for):
    client = client_for(world.user(Role.READONLY_LEADER))
    project = world.projects["甲"]
    r = client.get(reverse("projects-detail", args=[project.pk]))
    assert r.status_code == 200 and "登记成效" not in r.content.decode()
    assert client.get(reverse("projects-outcome", args=[project.pk])).status_code == 403
    assert client.get(reverse("projects-new")).status_code == 403


def test_create_and_edit_forms(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    o = world.orgs
    data = {
        "org": o["township"].pk,
        "title": "镇甲蔬菜大棚",
        "kind": "industry",
        "year": TODAY.year,
        "budget": "505000",
        "progress_mode": "milestones",
        "villages": [o["branch"].pk, o["sibling"].pk],
    }
    r = client.post(reverse("projects-new"), data)
    assert r.status_code == 302
    project = Project.objects.get(title="镇甲蔬菜大棚")
    assert project.township_id == o["township"].pk and project.villages.count() == 2
    r = client.post(reverse("projects-new"), data | {"org": o["out_branch"].pk, "title": "越权"})
    assert r.status_code == 400 and not Project.objects.filter(title="越权").exists()
    r = client.post(reverse("projects-edit", args=[project.pk]), data | {"title": "镇甲蔬菜大棚（一期）"})
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.title == "镇甲蔬菜大棚（一期）"
    r = client.post(
        reverse("projects-edit", args=[project.pk]),
        data | {"planned_end": "2020-01-01", "start_on": "2020-02-01"},
    )
    assert r.status_code == 400 and "计划完工日期不能早于开工日期" in r.content.decode()


def test_outcome_without_unit_shows_the_message_beside_the_field(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    project = world.projects["甲"]
    url = reverse("projects-outcome", args=[project.pk])
    r = client.post(url, {"measure": "受益户", "quantity": "67", "unit": "", "recorded_on": TODAY})
    assert r.status_code == 400 and "请选择成效的计量单位" in r.content.decode()
    unit = Unit.objects.get(code="household")
    r = client.post(url, {"measure": "受益户", "quantity": "67", "unit": unit.pk, "recorded_on": TODAY})
    assert r.status_code == 302 and Outcome.objects.filter(project=project, measure="受益户").exists()


def test_milestone_done_and_source_and_status_pages(world, client_for):
    client = client_for(world.user(Role.STATION_CHIEF))
    project = world.projects["甲"]
    pending = Milestone.objects.get(project=project, done_on__isnull=True)
    r = client.post(reverse("projects-milestone-done", args=[pending.pk]), {"done_on": TODAY})
    assert r.status_code == 302
    pending.refresh_from_db()
    assert pending.done_on == TODAY
    r = client.post(reverse("projects-source", args=[project.pk]), {"kind": "donation", "amount": "1"})
    assert r.status_code == 400 and "超过项目预算" in r.content.decode()
    r = client.post(reverse("projects-status", args=[project.pk]), {"status": "completed", "on": TODAY})
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED


def test_rollup_page_and_export(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(reverse("projects-rollup"), {"level": "township"})
    text = r.content.decode()
    assert r.status_code == 200 and "镇甲" in text and "外镇" not in text
    rows = sheet(client.get(reverse("projects-rollup"), {"level": "county", "export": "xlsx"}))
    header = next(row for row in rows if "项目数" in row)
    county = next(row for row in rows if row[0] == "县甲")
    assert county[header.index("项目数")] == 2
    assert float(county[header.index("预算（元）")]) == 400000
    assert float(county[header.index("资金缺口（元）")]) == 40000
    assert float(county[header.index("成效（亩）")]) == 200


def test_rollup_is_constant(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get(reverse("projects-rollup"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("projects-rollup"))
    add_projects(world, 5)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("projects-rollup"))


# --- API -------------------------------------------------------------------------------------------


def test_api_list_and_detail_are_scoped(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    body = client.get("/api/v1/projects/").json()
    titles = {r["title"] for r in body["results"]}
    assert titles == {"甲村水渠整修", "镇甲联村道路硬化"}
    road = next(r for r in body["results"] if r["title"] == "镇甲联村道路硬化")
    assert road["gap"] == "40000.00" and road["progress"] == 0
    assert client.get(f"/api/v1/projects/{world.projects['外'].pk}/").status_code == 404
    detail = client.get(f"/api/v1/projects/{world.projects['甲'].pk}/").json()
    assert detail["progress"] == 50 and detail["outcomes"][0]["unit_name"] == "亩"
    assert client.post(f"/api/v1/projects/{world.projects['外'].pk}/outcomes/", {}).status_code == 404


def test_api_writes_through_services(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.post(
        "/api/v1/projects/",
        {
            "org": world.orgs["branch"].pk,
            "title": "甲村停车场",
            "kind": "livelihood",
            "year": TODAY.year,
            "budget": "90000",
            "sources": [{"kind": "county", "amount": "60000"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["gap"] == "30000.00"
    r = client.post(
        f"/api/v1/projects/{pk}/outcomes/",
        {"measure": "停车位", "quantity": 30},
        content_type="application/json",
    )
    assert r.status_code == 400 and "计量单位" in r.json()["unit"][0]
    unit = Unit.objects.get(code="space")
    r = client.post(
        f"/api/v1/projects/{pk}/outcomes/",
        {"measure": "停车位", "quantity": 30, "unit": unit.pk},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["unit_name"] == "个"
    r = client.post(
        f"/api/v1/projects/{pk}/milestones/",
        {"title": "完工", "due": str(TODAY)},
        content_type="application/json",
    )
    assert r.status_code == 201
    m = r.json()["id"]
    assert (
        client.post(f"/api/v1/project-milestones/{m}/done/", {}, content_type="application/json").status_code
        == 200
    )
    r = client.patch(f"/api/v1/projects/{pk}/", {"budget": "50000"}, content_type="application/json")
    assert r.status_code == 400 and "超过项目预算" in r.json()["budget"][0]
    r = client.post(
        f"/api/v1/projects/{pk}/status/", {"status": "completed"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "completed" and r.json()["progress"] == 100


def test_api_units_and_rollup(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    units = client.get("/api/v1/project-units/").json()
    assert {"亩", "米", "户", "人", "个", "斤"} <= {u["name"] for u in units}
    rows = client.get("/api/v1/project-rollup/", {"level": "township"}).json()
    assert [r["name"] for r in rows] == ["镇甲"]
    assert rows[0]["projects"] == 2 and rows[0]["outcomes"] == {"亩": "200.00"}


def test_api_list_is_constant(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get("/api/v1/projects/")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/projects/")
    add_projects(world, 8)
    with django_assert_max_num_queries(len(small)):
        client.get("/api/v1/projects/")
