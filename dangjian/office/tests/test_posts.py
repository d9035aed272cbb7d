"""Posts, their ordered duties and who holds them: create, edit, withdraw, history; pages, export, API."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.office.choices import PostKind
from dangjian.office.models import Duty, Post, PostHolder
from dangjian.office.services import posts
from dangjian.orgs.models import Office

from .conftest import TODAY, audit_count, html, xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date


def test_create_post_sets_up_the_office_and_refuses_duplicates(users, world):
    township = world.orgs["township"]
    post = posts.create_post(users.office, township, " 宣传岗 ", full_time=False)
    assert (
        post.name == "宣传岗"
        and post.office == Office.objects.get(township=township)
        and post.sort_order == 2
    )
    with pytest.raises(DomainError, match="已有名为“宣传岗”"):
        posts.create_post(users.office, township, "宣传岗")
    posts.create_post(users.office, township, "主任", PostKind.DIRECTOR)
    with pytest.raises(DomainErrors) as exc:
        posts.create_post(users.office, township, "", PostKind.DIRECTOR)
    assert {e.field for e in exc.value.errors} == {"name", "kind"}
    with pytest.raises(DomainError, match="乡镇"):
        posts.create_post(users.admin, world.orgs["branch"], "组织员")


def test_only_managers_in_scope_may_set_posts(users, world):
    before = (Post.objects.count(), audit_count())
    with pytest.raises(ActionDenied):
        posts.create_post(users.leader, world.orgs["township"], "甲岗")
    with pytest.raises(NotInScope):
        posts.create_post(users.office, world.orgs["out_township"], "外岗")
    with pytest.raises(NotInScope):
        posts.create_post(users.secretary, world.orgs["township"], "甲岗")
    assert (Post.objects.count(), audit_count()) == before


def test_duties_keep_their_order_rows_and_history(users, world):
    post = world.office["post"]
    first = list(post.duties.order_by("position"))
    kept = posts.set_duties(
        users.office, post, ["（1）新职责", "2. 甲落实组织生活制度", "", "3、甲负责党员发展与考核"]
    )
    assert [d.text for d in kept] == ["新职责", "甲落实组织生活制度", "甲负责党员发展与考核"]
    assert {d.pk for d in kept} >= {d.pk for d in first}  # unchanged duties keep their ids
    assert list(post.duties.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    with pytest.raises(DomainError, match="重复"):
        posts.set_duties(users.office, post, ["甲一", "甲一"])
    with pytest.raises(DomainError, match="超过200个字"):
        posts.set_duties(users.office, post, ["长" * 201])
    from dangjian.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="office.duties_set", object_id=str(post.pk)).latest("pk")
    assert event.before["duties"][0] == "甲负责党员发展与考核" and event.after["duties"][0] == "新职责"
    posts.set_duties(users.office, post, [])
    assert Duty.objects.filter(post=post).count() == 0


def test_appointing_a_new_holder_keeps_the_old_one_in_history(users, world):
    post, old = world.office["post"], world.office["holder"]
    new = posts.appoint_holder(users.office, post, users.staff2, D(2026, 10, 1), today=TODAY)
    old.refresh_from_db()
    assert old.until == D(2026, 10, 1) and new.until is None
    assert list(post.holders.order_by("since").values_list("user_id", flat=True)) == [
        users.office.pk,
        users.staff2.pk,
    ]
    with pytest.raises(DomainError, match="已在该岗位"):
        posts.appoint_holder(users.office, post, users.staff2, D(2026, 10, 2), today=TODAY)
    with pytest.raises(DomainError, match="不能早于现任人员到岗日期"):
        posts.appoint_holder(users.office, post, users.office, D(2026, 9, 30), today=TODAY)
    with pytest.raises(DomainError, match="不能晚于今天"):
        posts.appoint_holder(users.office, post, users.office, D(2026, 11, 26), today=TODAY)
    with pytest.raises(DomainError, match="没有任职角色"):
        posts.appoint_holder(users.office, post, users.secretary, D(2026, 11, 1), today=TODAY)
    posts.end_holder(users.office, new, D(2026, 11, 1), today=TODAY)
    with pytest.raises(DomainError, match="已于2026-11-01结束"):
        posts.end_holder(users.office, new, D(2026, 11, 2), today=TODAY)
    assert not post.holders.filter(until__isnull=True).exists()


def test_end_before_start_is_refused(users, world):
    holder = world.office["holder"]
    with pytest.raises(DomainError, match="不能早于到岗日期"):
        posts.end_holder(users.office, holder, D(2026, 8, 31), today=TODAY)


def test_archive_ends_the_holder_and_frees_the_name(users, world):
    post = world.office["post"]
    posts.archive_post(users.office, post, today=TODAY)
    post.refresh_from_db()
    assert post.archived_at and PostHolder.objects.get(pk=world.office["holder"].pk).until == TODAY
    with pytest.raises(DomainError, match="已撤销"):
        posts.set_duties(users.office, post, ["x"])
    assert posts.create_post(users.office, world.orgs["township"], "组织岗").pk != post.pk


def test_update_post(users, world):
    post = posts.update_post(
        users.office,
        world.office["post"],
        name="组织委员岗",
        kind=PostKind.STAFF,
        full_time=False,
        sort_order=5,
    )
    assert (post.name, post.full_time, post.sort_order) == ("组织委员岗", False, 5)
    with pytest.raises(ActionDenied):
        posts.update_post(users.leader, post, name="x", kind=PostKind.STAFF, full_time=True, sort_order=1)


# --- pages ----------------------------------------------------------------------------------------


def test_structure_page_shows_posts_duties_holders_and_prints(client_for, users, world):
    r = client_for(users.office).get("/office/")
    body = html(r)
    assert (
        r.status_code == 200 and "组织岗" in body and "甲负责党员发展与考核" in body and "甲镇办干部" in body
    )
    assert (
        "@media print" in body
        and "data-print" in body
        and "外" not in body.split("<main")[1].split("</main>")[0].replace("外出", "")
    )


def test_structure_export_has_one_row_per_duty(client_for, users):
    r = client_for(users.admin).get("/office/", {"export": "xlsx"})
    rows = xlsx_rows(r)
    assert rows[1][:2] == ("序号", "岗位") and len(rows) == 4
    assert {row[6] for row in rows[2:]} == {"甲负责党员发展与考核", "甲落实组织生活制度"}


def test_structure_page_for_a_secretary_has_no_township(client_for, users):
    r = client_for(users.secretary).get("/office/")
    assert r.status_code == 200 and "没有乡镇党建办" in html(r)


def test_post_pages_create_edit_duties_appoint(client_for, users, world):
    c = client_for(users.office)
    township = world.orgs["township"]
    r = c.post(
        "/office/posts/new/", {"township": township.pk, "name": "宣传岗", "kind": "staff", "full_time": "on"}
    )
    post = Post.objects.get(name="宣传岗")
    assert r.status_code == 302 and r["Location"] == f"/office/posts/{post.pk}/duties/"
    r = c.post(f"/office/posts/{post.pk}/duties/", {"duties": "1. 策划学习活动\n2. 宣传政策"})
    assert r.status_code == 302 and list(post.duties.values_list("text", flat=True)) == [
        "策划学习活动",
        "宣传政策",
    ]
    r = c.post(f"/office/posts/{post.pk}/appoint/", {"user": users.staff2.pk, "since": "2026-11-01"})
    assert r.status_code == 302 and post.holders.get().user == users.staff2
    r = c.post(f"/office/posts/{post.pk}/edit/", {"name": "组织岗", "kind": "staff", "sort_order": 1})
    assert r.status_code == 400 and "已有名为“组织岗”" in html(r)
    detail = html(c.get(f"/office/posts/{post.pk}/"))
    assert "甲镇办干部二" in detail and "策划学习活动" in detail


def test_post_pages_refuse_bad_input_and_roles(client_for, users, world):
    c = client_for(users.office)
    before = (Post.objects.count(), audit_count())
    r = c.post(
        "/office/posts/new/", {"township": world.orgs["out_township"].pk, "name": "外岗", "kind": "staff"}
    )
    assert r.status_code == 400 and "township" in r.context["form"].errors
    r = c.post(
        f"/office/posts/{world.office['post'].pk}/appoint/",
        {"user": users.secretary.pk, "since": "2026-11-01"},
    )
    assert r.status_code == 400
    assert (Post.objects.count(), audit_count()) == before
    assert client_for(users.leader).get(f"/office/posts/{world.office['post'].pk}/edit/").status_code == 403
    assert client_for(users.leader).get("/office/posts/new/").status_code == 403
    assert client_for(users.office).get(f"/office/posts/{world.office['out_post'].pk}/").status_code == 404


# --- API ------------------------------------------------------------------------------------------


def test_api_posts_create_with_duties_and_appoint(client_for, users, world):
    c = client_for(users.office)
    r = c.post(
        "/api/v1/office-posts/",
        {"township": world.orgs["township"].pk, "name": "纪检岗", "duties": ["监督干部作风"]},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["duties"] == ["监督干部作风"]
    pk = r.json()["id"]
    r = c.post(
        f"/api/v1/office-posts/{pk}/appoint/",
        {"user": users.staff2.pk, "since": "2026-11-01"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(f"/api/v1/office-posts/{pk}/duties/", {"duties": ["a", "a"]}, content_type="application/json")
    assert r.status_code == 400 and "重复" in r.json()["duties"][0]
    r = c.patch(f"/api/v1/office-posts/{pk}/", {"full_time": False}, content_type="application/json")
    assert r.status_code == 200 and r.json()["full_time"] is False
    listed = c.get("/api/v1/office-posts/", {"township": world.orgs["township"].pk}).json()
    assert {p["name"] for p in listed["results"]} == {"组织岗", "纪检岗"}
    duties = c.get("/api/v1/office-duties/", {"post": pk}).json()
    assert [d["text"] for d in duties["results"]] == ["监督干部作风"]


def test_api_posts_out_of_scope(client_for, users, world):
    c = client_for(users.office)
    before = (Post.objects.count(), audit_count())
    r = c.post(
        "/api/v1/office-posts/",
        {"township": world.orgs["out_township"].pk, "name": "外岗"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = c.post(
        "/api/v1/office-posts/",
        {"township": world.orgs["township"].pk, "name": ""},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert (Post.objects.count(), audit_count()) == before
    assert client_for(users.secretary).get("/api/v1/office-posts/").json()["count"] == 0


def test_structure_page_constant_queries(client_for, users, world, django_assert_max_num_queries):
    c = client_for(users.office)
    counts = []
    for names in (["甲一岗"], ["甲二岗", "甲三岗", "甲四岗", "甲五岗"]):
        for name in names:
            post = posts.create_post(users.office, world.orgs["township"], name)
            posts.set_duties(users.office, post, [f"{name}职责一", f"{name}职责二"])
            posts.appoint_holder(users.office, post, users.staff2, D(2026, 11, 1), today=TODAY)
        with django_assert_max_num_queries(15) as captured:
            assert c.get("/office/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
