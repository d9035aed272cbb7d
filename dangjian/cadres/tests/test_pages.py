"""The cadres pages: the pool list (search, sort, export, age shown), the detail pages, the forms writing
through the services with the message beside the field, the pay pages (generate, approve, one-card export),
and constant queries at two sizes."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.cadres import services
from dangjian.cadres.models import Mentorship, PayBatch, PoolSelection, ReserveCadre
from dangjian.core.roles import Role
from dangjian.villages import services as village_services
from dangjian.villages.models import Committee, Post, PostKind

pytestmark = pytest.mark.django_db

RESERVE = {
    "name": "曹爱玲",
    "gender": "female",
    "birth_date": "1988-09-12",
    "education": "college",
    "political_status": "member",
    "skills": "电商销售",
    "entered_on": "2025-01-01",
}


def _xlsx(resp) -> str:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    return " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)


def test_pool_list_form_detail_and_export(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    resp = client.post("/cadres/reserve/new/", RESERVE | {"org": world.orgs["branch"].pk, "name": ""})
    assert resp.status_code == 400 and 'data-field="name"' in resp.content.decode()
    resp = client.post("/cadres/reserve/new/", RESERVE | {"org": world.orgs["out_branch"].pk})
    assert resp.status_code == 400 and "不在您的管辖范围内" in resp.content.decode()
    resp = client.post(
        "/cadres/reserve/new/", RESERVE | {"org": world.orgs["branch"].pk, "entered_on": "2099-01-01"}
    )
    assert resp.status_code == 400 and "入库日期不能晚于今天" in resp.content.decode()
    resp = client.post("/cadres/reserve/new/", RESERVE | {"org": world.orgs["branch"].pk})
    reserve = ReserveCadre.objects.get(name="曹爱玲")
    assert resp.status_code == 302 and resp["Location"] == reserve.get_absolute_url()
    page = client.get("/cadres/reserve/?q=曹").content.decode()
    assert "曹爱玲" in page and "甲后备一" not in page and str(reserve.age) in page
    page = client.get("/cadres/reserve/?sort=age").content.decode()
    assert "外后备" not in page and page.index("甲后备二") < page.index("曹爱玲")
    text = _xlsx(client.get("/cadres/reserve/?export=xlsx"))
    assert "曹爱玲" in text and "大学专科" in text and "外后备" not in text
    page = client.get(reserve.get_absolute_url()).content.decode()
    assert "安排导师" in page and "从后备库选任" not in page  # choosing is the township's or county's
    assert client.get(f"/cadres/reserve/{reserve.pk}/choose/").status_code == 403
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    resp = client.post(
        f"/cadres/reserve/{reserve.pk}/mentor/", {"mentor_post": secretary.pk, "started_on": "2025-02-01"}
    )
    m = Mentorship.objects.get(reserve=reserve)
    assert resp.status_code == 302 and resp["Location"] == m.get_absolute_url()
    resp = client.post(
        f"/cadres/mentorship/{m.pk}/activity/", {"kind": "meeting", "held_on": "2025-01-01", "note": "列席"}
    )
    assert resp.status_code == 400 and "不能早于帮带开始日期" in resp.content.decode()
    resp = client.post(
        f"/cadres/mentorship/{m.pk}/activity/", {"kind": "meeting", "held_on": "2025-02-02", "note": "列席"}
    )
    assert resp.status_code == 302
    resp = client.post(
        f"/cadres/mentorship/{m.pk}/evaluate/",
        {"evaluated_on": "2025-03-01", "grade": "good", "evaluator": "镇党委", "comment": "进步快"},
    )
    assert resp.status_code == 302
    page = client.get(m.get_absolute_url()).content.decode()
    assert "列席会议" in page and "良好" in page
    text = _xlsx(client.get("/cadres/mentorships/?export=xlsx"))
    assert "曹爱玲" in text and "外后备" not in text


def test_choose_from_pool_page_and_coaching(world, client_for):
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    reserve = ReserveCadre.objects.get(name="甲后备一")
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    committee = Committee.objects.get(org=world.orgs["branch"])
    data = {
        "committee": committee.pk,
        "kind": "secretary",
        "decided_on": "2025-01-10",
        "basis": "镇党委会议纪要5号",
    }
    resp = office.post(f"/cadres/reserve/{reserve.pk}/choose/", data)
    assert resp.status_code == 400 and "请先办理离任" in resp.content.decode()
    village_services.end_post(world.root, secretary, until=datetime.date(2025, 1, 1), reason="工作不在状态")
    resp = office.post(f"/cadres/reserve/{reserve.pk}/choose/", data)
    assert resp.status_code == 302
    selection = PoolSelection.objects.get(reserve=reserve)
    page = office.get(reserve.get_absolute_url()).content.decode()
    assert "镇党委会议纪要5号" in page and "镇甲党委" in page and "安排“一对一”辅导" in page
    resp = office.post(
        f"/cadres/selection/{selection.pk}/coaching/",
        {"coach_name": "党建办主任甲", "coach_title": "镇党建办主任", "started_on": "2025-01-10"},
    )  # noqa: E501
    coaching = selection.coachings.get()
    assert resp.status_code == 302 and resp["Location"] == coaching.get_absolute_url()
    resp = office.post(f"/cadres/coaching/{coaching.pk}/session/", {"held_on": "2025-02-01", "topic": ""})
    assert resp.status_code == 400
    resp = office.post(
        f"/cadres/coaching/{coaching.pk}/session/", {"held_on": "2025-02-01", "topic": "开好支委会"}
    )
    assert (
        resp.status_code == 302 and "开好支委会" in office.get(coaching.get_absolute_url()).content.decode()
    )
    assert "党建办主任甲" in office.get("/cadres/coachings/").content.decode()


def test_pay_pages_generate_approve_export(world, client_for):
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    month = timezone.localdate().replace(day=1)
    resp = office.post(
        "/cadres/pay/new/", {"township": world.orgs["township"].pk, "month": month.strftime("%Y-%m")}
    )
    batch = PayBatch.objects.get(township=world.orgs["township"], month=month)
    assert resp.status_code == 302 and resp["Location"] == batch.get_absolute_url()
    resp = office.post(
        "/cadres/pay/new/", {"township": world.orgs["township"].pk, "month": month.strftime("%Y-%m")}
    )
    assert resp.status_code == 400 and "已有发放批次" in resp.content.decode()
    page = office.get(batch.get_absolute_url()).content.decode()
    assert "甲书记郭凯" in page and "审核通过" in page
    resp = office.get(f"/cadres/pay/{batch.pk}/export/")
    assert resp.status_code == 302  # a draft is not exported to the bank
    assert office.post(f"/cadres/pay/{batch.pk}/approve/").status_code == 302
    text = _xlsx(office.get(f"/cadres/pay/{batch.pk}/export/"))
    assert (
        "序号 姓名 身份证号 一卡通账号 金额 摘要" in text
        and "甲书记郭凯" in text
        and "6210000000000001" in text
    )
    text = _xlsx(office.get("/cadres/pay/?export=xlsx"))
    assert "镇甲" in text and "外镇" not in text
    page = office.get("/cadres/pay/lines/?q=郭凯").content.decode()
    assert page.count("甲书记郭凯") >= 2 and "外书记" not in page  # history: May 2024 and this month
    page = client_for(world.user(Role.COUNTY_ADMIN)).get("/cadres/pay/schemes/").content.decode()
    assert "等次系数 × 月基本报酬 × 2个月" in page and "设定本县报酬标准" in page and "外县" not in page


def test_lists_run_constant_queries(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    urls = (
        "/cadres/reserve/",
        "/cadres/mentorships/",
        "/cadres/coachings/",
        "/cadres/pay/",
        "/cadres/pay/lines/",
    )
    for url in urls:
        client.get(url)
    counts = []
    secretary = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    for i in range(2):
        for j in range(3):
            r = services.add_reserve(
                world.root, world.orgs["sibling"], name=f"新{i}{j}", gender="male",
                birth_date=datetime.date(1995, 1, 1), education="college", political_status="member",
                entered_on=datetime.date(2025, 1, 1),
            )  # fmt: skip
            services.start_mentorship(
                world.root, r, mentor_post=secretary, started_on=datetime.date(2025, 1, 2)
            )
        with CaptureQueriesContext(connection) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
