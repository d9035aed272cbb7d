"""Pages and API: the list and the roster (secretary, deputies, members read from the villages' two
committees, the seven powers), Excel, appointing and ending through the form and the API, refusals as 400
beside the field, 404 outside scope, and a constant number of queries whatever the row count."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.core.rule_settings import set_county_rule
from dangjian.joint import services
from dangjian.joint.choices import PostKind
from dangjian.joint.models import JointPost

from .conftest import add_village

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = datetime.date(2026, 3, 2)


def sheet_text(response) -> str:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)


def test_list_is_scoped_searchable_and_exports(world, client_for, joint_villages):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get("/joint/").content.decode()
    assert "联甲" in page and "甲总支书记" in page and "外联" not in page
    assert "共 0 条" in client.get("/joint/", {"q": "外"}).content.decode()
    text = sheet_text(client.get("/joint/", {"export": "xlsx"}))
    assert "联甲" in text and "甲总支书记" in text and "外" not in text


def test_roster_reads_members_from_the_villages_and_flags_a_vacancy(world, client_for, joint_villages):
    services.appoint(
        world.root, world.orgs["joint"], kind=PostKind.DEPUTY, name="李科长", since=DAY,
        title="农业服务中心科长", villages=joint_villages,
    )  # fmt: skip
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get(f"/joint/org/{world.orgs['joint'].pk}/").content.decode()
    assert "甲总支书记" in page and "李科长" in page and "联甲一村、联甲二村" in page
    assert "张联一" in page and "（空缺）" in page and "1 个村党支部书记空缺" in page
    assert "党员发展预审权" in page and "本县未开启" in page and "线下" in page
    # The township page lists every joint branch under it.
    township = client.get(f"/joint/org/{world.orgs['township'].pk}/").content.decode()
    assert "李科长" in township and "外联" not in township
    text = sheet_text(client.get(f"/joint/org/{world.orgs['joint'].pk}/", {"export": "xlsx"}))
    assert "张联一" in text and "李科长" in text and "（空缺）" in text


def test_a_power_shows_on_once_the_county_turns_it_on(world, client_for):
    county = world.orgs["county"]
    set_county_rule(world.root, county, "scoring.joint_appraisal", True, source="县委组织部通知")
    page = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/joint/org/{world.orgs['joint'].pk}/")
    assert "已开启" in page.content.decode()


def test_joint_secretary_sees_his_roster_and_not_another(world, client_for, joint_user):
    client = client_for(joint_user)
    assert client.get(f"/joint/org/{world.orgs['joint'].pk}/").status_code == 200
    assert client.get(f"/joint/org/{world.orgs['out_joint'].pk}/").status_code == 404
    assert client.get(f"/joint/org/{world.orgs['joint'].pk}/appoint/").status_code == 403


def test_appoint_and_end_through_the_pages(world, client_for, joint_villages):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    url = f"/joint/org/{world.orgs['township'].pk}/appoint/"
    assert "联甲" in client.get(url).content.decode()
    data = {"org": world.orgs["joint"].pk, "kind": "deputy", "name": "赵科长", "since": "2026-03-02",
            "villages": [joint_villages[0].pk]}  # fmt: skip
    r = client.post(url, data)
    assert r.status_code == 302
    post = JointPost.objects.get(name="赵科长")
    bad = client.post(url, data | {"villages": [world.orgs["branch"].pk]})
    assert bad.status_code == 400 and "村甲一不属于联甲" in bad.content.decode()
    second = client.post(url, data | {"kind": "secretary", "villages": []})
    assert second.status_code == 400 and "现任书记是甲总支书记" in second.content.decode()
    r = client.post(f"/joint/posts/{post.pk}/end/", {"until": "2026-03-01", "reason": "调整"})
    assert r.status_code == 400 and "不能早于任职日期" in r.content.decode()
    r = client.post(f"/joint/posts/{post.pk}/end/", {"until": "2026-04-01", "reason": "调整"})
    assert r.status_code == 302
    assert JointPost.objects.get(pk=post.pk).until == datetime.date(2026, 4, 1)


def test_api_lists_rosters_and_appoints(world, client_for, joint_villages):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    rows = client.get("/api/v1/joint-branches/").json()["results"]
    assert [r["name"] for r in rows] == ["联甲"]
    row = rows[0]
    assert row["secretary"]["name"] == "甲总支书记"
    assert {m["village_name"]: m["name"] for m in row["members"]} == {"联甲一村": "张联一", "联甲二村": ""}
    assert [p["name"] for p in row["powers"]][0] == "干部考核评议权"
    payload = {"org": world.orgs["joint"].pk, "kind": "deputy", "name": "钱科长", "since": "2026-03-02",
               "villages": [joint_villages[1].pk]}  # fmt: skip
    r = client.post("/api/v1/joint-posts/", payload, content_type="application/json")
    assert r.status_code == 201 and r.json()["villages"] == [{"id": joint_villages[1].pk, "name": "联甲二村"}]
    r2 = client.post(
        "/api/v1/joint-posts/",
        payload | {"villages": [world.orgs["sibling"].pk]},
        content_type="application/json",
    )
    assert r2.status_code == 400 and "不属于联甲" in r2.content.decode()
    out = client.post(
        "/api/v1/joint-posts/", payload | {"org": world.orgs["out_joint"].pk}, content_type="application/json"
    )
    assert out.status_code == 404
    pk = r.json()["id"]
    end = client.post(
        f"/api/v1/joint-posts/{pk}/end/",
        {"until": "2026-05-01", "reason": "换届"},
        content_type="application/json",
    )
    assert end.status_code == 200 and end.json()["until"] == "2026-05-01"
    assert client.get("/api/v1/joint-posts/", {"current": "true"}).json()["count"] == 1


@pytest.mark.parametrize("url", ["/joint/org/{pk}/", "/api/v1/joint-branches/"])
def test_constant_queries_whatever_the_roster_size(world, client_for, url):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    target = url.format(pk=world.orgs["township"].pk)

    def grow(n):
        for i in range(n):
            v = add_village(world, f"联甲增{n}{i}村", f"JX{n}{i}", f"书记{n}{i}")
            services.appoint(world.root, world.orgs["joint"], kind=PostKind.DEPUTY, name=f"科长{n}{i}",
                             since=DAY, villages=[v])  # fmt: skip

    counts = []
    for n in (1, 4):
        grow(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
