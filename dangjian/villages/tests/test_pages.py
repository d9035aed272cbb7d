"""The committee pages: lists with filters and Excel export, the village page (vacancy red, 一肩挑), the
forms (errors beside the field, nothing written), scope 404s, and constant queries."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from dangjian.core.roles import Role
from dangjian.members.choices import Gender
from dangjian.villages import services
from dangjian.villages.models import Committee, CommitteeKind, Post, PostKind, SeatTable

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def _village(world, org="sibling", members=2):
    branch = services.create_committee(
        world.root, world.orgs[org], kind=CommitteeKind.BRANCH, term_start=START
    )
    villagers = services.create_committee(
        world.root, world.orgs[org], kind=CommitteeKind.VILLAGERS, term_start=START
    )
    kw = dict(gender=Gender.MALE, since=START, today=START)
    services.appoint(world.root, branch, PostKind.SECRETARY, name="郭凯", **kw)
    services.appoint(world.root, villagers, PostKind.DIRECTOR, name="郭凯", **kw)
    for i in range(members):
        services.appoint(world.root, villagers, PostKind.MEMBER, name=f"委员{org}{i}", **kw)
    return branch, villagers


def test_village_page_shows_both_committees_vacancy_and_cross_holding(world, client_for):
    branch, villagers = _village(world)
    deputy = services.appoint(
        world.root,
        branch,
        PostKind.DEPUTY_SECRETARY,
        name="副书记甲",
        gender=Gender.FEMALE,
        since=START,
        today=START,
    )
    services.end_post(
        world.root, villagers.posts.get(kind=PostKind.DIRECTOR), until=START, reason="辞职", today=START
    )
    client = client_for(world.user(Role.STATION_CHIEF))
    page = client.get(f"/villages/village/{world.orgs['sibling'].pk}/").content.decode()
    assert "村党组织委员会" in page and "村民委员会" in page and "副书记甲" in page
    assert "status-red" in page and "空缺（自 2025-01-01）" in page
    assert "没有妇女成员" in page
    assert "一肩挑" not in page
    # A director again: the secretary holds both posts.
    services.appoint(
        world.root, villagers, PostKind.DIRECTOR, name="郭凯", gender=Gender.MALE, since=START, today=START
    )
    page = client.get(f"/villages/village/{world.orgs['sibling'].pk}/").content.decode()
    assert "“一肩挑”：郭凯" in page and "空缺" not in page
    assert deputy.pk


def test_lists_filters_and_export(world, client_for):
    _village(world)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/villages/").content.decode()
    assert "村甲二" in page and "村甲一" in page and "外村" not in page
    page = client.get("/villages/?kind=villagers").content.decode()
    assert "村甲二" in page and "村甲一" not in page
    page = client.get("/villages/posts/?q=郭凯").content.decode()
    assert "郭凯" in page and "甲书记郭凯" in page and "委员sibling0" not in page
    for url in ("/villages/?export=xlsx", "/villages/posts/?export=xlsx"):
        resp = client.get(url)
        assert resp.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
        text = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
        assert "村甲二" in text and "外" not in text.replace("外县", "")
        if "posts" in url:
            assert "郭凯" in text and "甲书记郭凯" in text and "外书记郭凯" not in text


def test_forms_write_through_services_and_show_errors(world, client_for):
    branch, villagers = _village(world, members=6)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    before = Post.objects.count()
    resp = client.post(
        f"/villages/committee/{villagers.pk}/appoint/",
        {"kind": "member", "name": "第八人", "gender": "male", "since": "2025-02-01"},
    )
    assert resp.status_code == 400 and "不能超过7人" in resp.content.decode()
    resp = client.post(
        f"/villages/committee/{branch.pk}/appoint/",
        {"kind": "subsidy", "name": "电商员", "gender": "female", "since": "2025-02-01"},
    )
    assert resp.status_code == 400 and "定补干部负责的工作" in resp.content.decode()
    assert Post.objects.count() == before
    resp = client.post(
        f"/villages/committee/{branch.pk}/appoint/",
        {
            "kind": "subsidy",
            "name": "电商员",
            "gender": "female",
            "since": "2025-02-01",
            "answers_for": "电商销售",
        },
    )
    assert resp.status_code == 302 and Post.objects.filter(answers_for="电商销售", committee=branch).exists()
    post = Post.objects.get(name="电商员")
    today = timezone.localdate()
    resp = client.post(f"/villages/post/{post.pk}/end/", {"until": "2024-01-01", "reason": "调走"})
    assert resp.status_code == 400 and "不能早于任职日期" in resp.content.decode()
    resp = client.post(f"/villages/post/{post.pk}/end/", {"until": today.isoformat(), "reason": "调走"})
    assert resp.status_code == 302
    resp = client.post(
        f"/villages/village/{world.orgs['sibling'].pk}/profile/", {"residents": "100", "adults": "101"}
    )
    assert resp.status_code == 400 and "不能多于常住人口" in resp.content.decode()
    resp = client.post(
        f"/villages/village/{world.orgs['sibling'].pk}/committee/new/",
        {"kind": "branch", "term_start": "2026-01-01"},
    )
    assert resp.status_code == 400 and "已有登记" in resp.content.decode()


def test_scope_404_and_403(world, client_for):
    out = Committee.objects.get(org=world.orgs["out_branch"])
    out_post = out.posts.get(kind=PostKind.SECRETARY)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    before = Post.objects.count()
    for url in (
        f"/villages/village/{world.orgs['out_branch'].pk}/",
        f"/villages/committee/{out.pk}/appoint/",
        f"/villages/post/{out_post.pk}/end/",
        f"/villages/village/{world.orgs['out_branch'].pk}/profile/",
    ):
        assert client.get(url).status_code == 404
        assert (
            client.post(
                url, {"kind": "member", "name": "外人", "gender": "male", "since": "2025-01-01"}
            ).status_code
            == 404
        )
    assert Post.objects.count() == before
    reader = client_for(world.user(Role.READONLY_LEADER))
    own = Committee.objects.get(org=world.orgs["branch"])
    assert reader.get(f"/villages/village/{world.orgs['branch'].pk}/").status_code == 200
    assert reader.get(f"/villages/committee/{own.pk}/appoint/").status_code == 403


def test_lists_run_constant_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get("/villages/posts/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for org in ("sibling", "community"):
        _village(world, org=org, members=3)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/villages/").status_code == 200
            assert client.get("/villages/posts/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_seat_table_page(world, client_for):
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    page = admin.get("/villages/seats/").content.decode()
    assert "甲县职数核定办法" in page and "外县" not in page and "设定本县职数表" in page
    county = world.orgs["county"].pk
    resp = admin.post("/villages/seats/", {"county": county, "rows": "500 6\n1000 5", "source": "县文件"})
    assert resp.status_code == 400 and "职数不应更少" in resp.content.decode()
    resp = admin.post("/villages/seats/", {"county": county, "rows": "500 5 1", "source": "县文件"})
    assert resp.status_code == 400 and "两个数" in resp.content.decode()
    resp = admin.post(
        "/villages/seats/", {"county": world.orgs["out_county"].pk, "rows": "9 1", "source": "x"}
    )
    assert resp.status_code == 400
    assert list(SeatTable.objects.filter(county=county).values_list("max_residents", "seats")) == [
        (500, 5),
        (1500, 7),
    ]
    resp = admin.post("/villages/seats/", {"county": county, "rows": "300 3\n800，5", "source": "县文件"})
    assert resp.status_code == 302
    assert list(SeatTable.objects.filter(county=county).values_list("max_residents", "seats")) == [
        (300, 3),
        (800, 5),
    ]
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = office.get("/villages/seats/").content.decode()
    assert "300人" in page and "设定本县职数表" not in page
    assert (
        office.post("/villages/seats/", {"county": county, "rows": "9 1", "source": "x"}).status_code == 403
    )
    assert SeatTable.objects.filter(county=world.orgs["out_county"]).count() == 2
