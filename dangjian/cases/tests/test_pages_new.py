"""Opening a case through the page (a form per kind), prefilled from a diary, a field visit or a station
inspection read through the scope layer; choices only from the user's scope; and the county's
categories (list, export, create, edit)."""

import pytest
from django.urls import reverse

from dangjian.cases.models import Case, Category
from dangjian.core.models import AuditEvent
from dangjian.errands.models import Diary
from dangjian.office.models import FieldVisit
from dangjian.stations.models import StationInspection

from . import test_pages_support as support
from .test_pages_support import audit_count, html, pdf, png, sheet_rows, text

pytestmark = pytest.mark.django_db
cases, media, users = support.cases, support.media, support.users  # shared fixtures
NEW = reverse("case-new")


def test_open_a_problem_with_co_owners_acceptor_and_files(client_for, users, world):
    chief = client_for(users.chief)
    category = Category.objects.get(name="甲组织建设")
    r = chief.post(
        NEW + "?kind=problem",
        {
            "org": world.orgs["branch"].pk,
            "category": category.pk,
            "source": "station_inspection",
            "title": "三会一课记录不全",
            "description": "10月支委会无记录",
            "measures": "补齐记录",
            "responsibility": "书记负总责",
            "owner": users.secretary.pk,
            "co_owners": [users.office.pk],
            "acceptor": users.chief.pk,
            "deadline": "2099-12-31",
            "priority": "high",
            "place": "村委会",
            "files": [png(), pdf()],
        },
    )
    assert r.status_code == 302, text(r)
    case = Case.objects.get(title="三会一课记录不全")
    assert r["Location"] == case.get_absolute_url()
    assert case.kind == "problem" and case.state == "open" and case.category == category
    assert case.owner == users.secretary and list(case.co_owners.all()) == [users.office]
    assert case.acceptor == users.chief and str(case.deadline) == "2099-12-31" and case.priority == "high"
    assert sorted(case.files.values_list("name", flat=True)) == ["材料.pdf", "照片.png"]
    assert AuditEvent.objects.filter(action="cases.open", object_id=str(case.pk)).exists()
    page = text(client_for(users.chief).get(case.get_absolute_url()))
    assert "已登记问题台账，受理编号" in page and "三会一课记录不全" in page


def test_open_an_errand_from_the_townships_catalogue(client_for, users, world, cases):
    service = cases["in_errand"].service
    secretary = client_for(users.secretary)
    page = secretary.get(NEW + "?kind=errand")
    assert page.status_code == 200
    body = html(page)
    assert "甲医保代缴" in body and "3个工作日" in body and "身份证" in body
    assert "外医保代缴" not in body
    r = secretary.post(
        NEW + "?kind=errand",
        {
            "org": world.orgs["branch"].pk,
            "service": service.pk,
            "source": "window",
            "resident_name": "王某",
            "resident_phone": "13900001111",
            "description": "代缴2027年医保",
        },
    )
    assert r.status_code == 302, text(r)
    case = Case.objects.get(resident_name="王某")
    assert case.kind == "errand" and case.title == "甲医保代缴" and case.owner == users.secretary
    assert case.service == service and case.deadline is not None


def test_prefill_from_a_diary(client_for, users, world):
    diary = Diary.objects.create(
        org=world.orgs["branch"],
        author=users.secretary,
        written_on="2026-11-20",
        content="独居老人需代办养老认证",
    )
    secretary = client_for(users.secretary)
    page = secretary.get(NEW, {"diary": diary.pk})
    assert page.status_code == 200
    body = html(page)
    assert "来自民情日记" in body and "独居老人需代办养老认证" in body
    assert 'href="?kind=problem"' in body  # the diary opens an errand by default; a problem is one click
    out = Diary.objects.create(
        org=world.orgs["out_branch"], author=world.root, written_on="2026-11-20", content="外"
    )
    assert secretary.get(NEW, {"diary": out.pk}).status_code == 404
    r = secretary.post(
        f"{NEW}?kind=problem&diary={diary.pk}",
        {
            "org": world.orgs["branch"].pk,
            "source": "diary",
            "title": "养老认证代办难",
            "owner": users.secretary.pk,
            "priority": "normal",
        },
    )
    assert r.status_code == 302, text(r)
    assert Case.objects.get(title="养老认证代办难").diary == diary


def test_prefill_from_a_field_visit(client_for, users, world):
    visit = world.office["field_visit"]
    FieldVisit.objects.filter(pk=visit.pk).update(found="党员活动室漏雨", follow_up="协调维修")
    office = client_for(users.office)
    body = html(office.get(NEW, {"field_visit": visit.pk}))
    assert "党员活动室漏雨" in body and "协调维修" in body and "来自到村工作记录" in body
    assert '<option value="field_visit" selected>' in body
    assert office.get(NEW, {"field_visit": world.office["out_field_visit"].pk}).status_code == 404
    r = office.post(
        f"{NEW}?kind=problem&field_visit={visit.pk}",
        {
            "org": world.orgs["branch"].pk,
            "source": "field_visit",
            "title": "党员活动室漏雨",
            "owner": users.secretary.pk,
            "priority": "normal",
        },
    )
    assert r.status_code == 302, text(r)
    case = Case.objects.get(title="党员活动室漏雨")
    assert case.field_visit_id == visit.pk and case.source == "field_visit"


def test_prefill_from_a_station_inspection(client_for, users, world):
    inspection = world.station_rows["in_inspection"]
    StationInspection.objects.filter(pk=inspection.pk).update(problems="发展党员档案不全")
    chief = client_for(users.chief)
    body = html(chief.get(NEW, {"inspection": inspection.pk}))
    assert "发展党员档案不全" in body and "村甲一督查发现的问题" in body
    assert f'<option value="{world.orgs["branch"].pk}" selected>' in body
    assert chief.get(NEW, {"inspection": world.station_rows["out_inspection"].pk}).status_code == 404


def test_choices_come_only_from_the_users_scope(client_for, users):
    body = html(client_for(users.secretary).get(NEW + "?kind=problem"))
    assert "村甲一" in body and "甲组织建设" in body and "甲站站长" in body
    for outside in ("村甲二", "外村", "外组织建设", "外县管理员", "外镇办干部"):
        assert outside not in body, outside


def test_an_org_outside_scope_is_refused_and_nothing_written(client_for, users, world):
    count, audits = Case.objects.count(), audit_count()
    r = client_for(users.secretary).post(
        NEW + "?kind=problem",
        {
            "org": world.orgs["out_branch"].pk,
            "source": "other",
            "title": "越权登记",
            "owner": users.secretary.pk,
            "priority": "normal",
        },
    )
    assert r.status_code == 400
    assert Case.objects.count() == count and audit_count() == audits


def test_people_outside_the_county_are_refused(client_for, users, world):
    r = client_for(users.chief).post(
        NEW + "?kind=problem",
        {
            "org": world.orgs["branch"].pk,
            "source": "other",
            "title": "验收人不在本县",
            "owner": users.secretary.pk,
            "acceptor": users.out_admin.pk,
            "priority": "normal",
        },
    )
    assert r.status_code == 400
    assert 'data-field="acceptor">所选人员不存在或不在本县工作。' in html(r)


def test_categories_list_and_export(client_for, users):
    admin = client_for(users.admin)
    body = text(admin.get(reverse("case-category-list")))
    assert "甲停车难" in body and "部门甲住建" in body and "外停车难" not in body
    rows = sheet_rows(admin.get(reverse("case-category-list"), {"export": "xlsx"}))
    assert {r[2] for r in rows[2:]} == {"甲停车难", "甲组织建设"}


def test_county_admin_creates_and_edits_a_category(client_for, users, world):
    admin = client_for(users.admin)
    dept = world.departments["dept"]
    r = admin.post(
        reverse("case-category-new"),
        {
            "county": world.orgs["county"].pk,
            "kind": "whistle",
            "name": "甲占道经营",
            "answer_days": 2,
            "solve_days": 5,
            "departments": [dept.pk],
        },
    )
    assert r.status_code == 302, text(r)
    category = Category.objects.get(name="甲占道经营")
    assert (category.answer_days, category.solve_days) == (2, 5)
    assert list(category.departments.all()) == [dept]
    r = admin.post(
        reverse("case-category-edit", args=[category.pk]),
        {"name": "甲占道经营", "answer_days": 6, "solve_days": 5},
    )
    assert r.status_code == 400 and "响应时限不能长于办结时限。" in html(r)
    r = admin.post(
        reverse("case-category-edit", args=[category.pk]),
        {"name": "甲占道经营", "answer_days": 1, "solve_days": 3},
    )
    assert r.status_code == 302
    category.refresh_from_db()
    assert (category.answer_days, category.solve_days) == (1, 3) and not category.departments.exists()


def test_only_the_county_sets_categories(client_for, users, world):
    assert client_for(users.office).get(reverse("case-category-new")).status_code == 403
    mine = Category.objects.get(name="甲停车难")
    assert client_for(users.office).get(reverse("case-category-edit", args=[mine.pk])).status_code in (
        403,
        404,
    )
    outside = Category.objects.get(name="外停车难")
    assert client_for(users.admin).get(reverse("case-category-edit", args=[outside.pk])).status_code == 404
    count = Category.objects.count()
    r = client_for(users.admin).post(
        reverse("case-category-new"),
        {"county": world.orgs["out_county"].pk, "kind": "problem", "name": "越权类别"},
    )
    assert r.status_code == 400 and Category.objects.count() == count


def test_new_opens_the_first_kind_the_user_may_open(client_for, users):
    page = client_for(users.grid).get(NEW)
    assert page.status_code == 200 and 'name="grid"' in html(page) and "登记网格吹哨" in html(page)
