"""The 3+X monthly analysis: the arithmetic of the completion table and the scorecard, the services
(bad input refused in Chinese, nothing written), publishing with read-sign once, the pages and the
API, scope, and a constant number of queries on the review page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.dates import add_months
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notices.models import NoticeReceipt
from dangjian.reviews import services, stats
from dangjian.reviews.models import MonthlyReview, ReviewTopic
from dangjian.tasks.models import Task

from .helpers import red, scenario, townships

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_findings(monkeypatch):
    """The scorecard's findings, controlled by the test (the other apps' checks are tested there)."""
    found: list = []
    monkeypatch.setattr(stats, "findings_for", lambda user, today, codes=None: list(found))
    return found


def test_completion_and_scorecard_arithmetic(world, no_findings):
    s = scenario(world)
    a, b, c, d = s["a"], s["b"], s["c"], s["d"]
    admin, month = s["admin"], s["month"]
    no_findings += [
        red(d, "村务公开逾期未公开", subject="丁村"),
        red(d, "三会一课逾期未召开", subject="丁村支部"),
        red(b, "即将到期的提醒", severity="due_soon"),  # amber: no deduction
        red(world.orgs["out_township"], "外县的问题"),  # outside the county: ignored
    ]
    review = services.create_review(admin, org=world.orgs["county"], month=month)
    pack = stats.build_pack(admin, review)

    # (1) key tasks only: the visiting task (not key) is left out
    assert pack.key_only
    assert [r.title for r in pack.completion] == ["修缮水渠", "流动党员学习"]
    canal, study = pack.completion
    # 1050 of 1000 counts 1000; 500; nothing; 1000 -> 2500 of 4000 = 62.5% -> 62
    assert (canal.target, canal.capped, canal.done, canal.percent) == (4000, 2500, 2550, 62)
    assert (canal.reported, canal.assignments, canal.late) == (3, 4, 2)
    assert [o.name for o in canal.late_orgs] == [b.name, c.name]
    # checklist of 4: 4 + 2 + 4 + 0 = 10 of 16 = 62.5% -> 62
    assert (study.target, study.capped, study.percent, study.late) == (16, 10, 62, 2)
    assert [o.name for o in study.late_orgs] == [b.name, d.name]
    assert f"org={world.orgs['county'].pk}" in canal.rollup_url and f"month={month:%Y-%m}" in canal.rollup_url
    assert canal.late_orgs[0].url.startswith("/tasks/")

    # (2) the scorecard: completion of all the month's tasks minus 5 per red finding
    rows = {r.org_name: r for r in pack.scorecard}
    assert [r.org_name for r in pack.scorecard] == [a.name, d.name, b.name, c.name]
    # a: 1000+4+10 of 1014 = 100; d: 1000+0 of 1004 = 99, two red findings -> 89
    # b: 500+2 of 1004 = 50; c: 0+4 of 1004 = 0
    assert [r.percent for r in pack.scorecard] == [100, 99, 50, 0]
    assert [r.score for r in pack.scorecard] == [100, 89, 50, 0]
    assert [r.rank for r in pack.scorecard] == [1, 2, 3, 4]
    assert rows[d.name].red == 2 and rows[b.name].red == 0
    assert [r.org_name for r in pack.praised] == [a.name, d.name]
    assert [r.org_name for r in pack.rectified] == [b.name, c.name]
    assert "本月任务完成率0%（完成4/目标1004）" in rows[c.name].reasons
    assert "逾期未完成2项" in rows[b.name].reasons
    assert "丁村：村务公开逾期未公开" in rows[d.name].reasons
    assert rows[d.name].findings_url.endswith(f"org={d.pk}&severity=overdue")
    assert "− 5 × 未解决的红色问题" in pack.formula

    # (3) next month: tasks issued at or above the county (not the township's own)
    assert [t.title for t in pack.next_tasks] == ["下月组织生活会", "下月未下达到本镇的任务"]
    assert pack.next_tasks[0].key and pack.next_tasks[0].target == "1次"

    # a township's analysis: next month's tasks from above that reach it, and its own
    office = world.user(Role.TOWNSHIP_STAFF)
    township_review = services.create_review(office, org=a, month=month)
    tp = stats.build_pack(office, township_review)
    titles = {t.title for t in tp.next_tasks}  # (the test world has lists of its own this month)
    assert {"下月组织生活会", "镇甲自定任务"} <= titles and "下月未下达到本镇的任务" not in titles
    assert [r.title for r in tp.completion] == ["修缮水渠", "流动党员学习"]
    assert tp.completion[0].percent == 100 and not tp.completion[0].late_orgs
    # its stations hold no assignment: ranked at 100, neither praised nor given demands
    assert all(r.score == 100 and not r.verdict for r in tp.scorecard)

    # no key task this month: every task of the month is listed
    Task.objects.filter(pk__in=[s["canal"].pk, s["study"].pk]).update(key=False)
    pack = stats.build_pack(admin, review)
    assert not pack.key_only
    assert [r.title for r in pack.completion] == ["修缮水渠", "流动党员学习", "走访困难党员"]


def test_scorecard_ties_and_small_counts(world, no_findings):
    admin = world.user(Role.COUNTY_ADMIN)
    month = add_months(datetime.date.today().replace(day=1), -2)
    review = services.create_review(admin, org=world.orgs["county"], month=month)
    # one township, no tasks: nobody praised or blamed
    pack = stats.build_pack(admin, review)
    assert [(r.org_name, r.score, r.verdict) for r in pack.scorecard] == [("镇甲", 100, "")]
    (b,) = townships(world, ["镇甲乙"])
    no_findings += [red(b, f"问题{i}") for i in range(25)]
    pack = stats.build_pack(admin, review)
    assert [(r.org_name, r.score, r.verdict) for r in pack.scorecard] == [
        ("镇甲", 100, ""),
        ("镇甲乙", 0, "rectify"),
    ]
    reasons = pack.scorecard[1].reasons
    assert "未解决的红色问题25条" in reasons and "另有20条，见问题清单" in reasons


def test_create_and_edit_refuse_bad_input(world):
    o = world.orgs
    admin, office = world.user(Role.COUNTY_ADMIN), world.user(Role.TOWNSHIP_STAFF)
    this_month = datetime.date.today().replace(day=1)
    before = (MonthlyReview.objects.count(), AuditEvent.objects.count())
    cases = [
        (admin, o["branch"], this_month, "只能以县或乡镇为单位"),
        (admin, o["county"], add_months(this_month, 1), "不能为尚未开始的月份"),
        (admin, o["county"], this_month, "的月度分析已经建立"),
        (office, o["county"], this_month, "不在您的管辖范围内"),
        (admin, o["out_county"], this_month, "不在您的管辖范围内"),
        (admin, None, None, "请选择组织"),
    ]
    for actor, org, month, message in cases:
        with pytest.raises(DomainError) as exc:
            services.create_review(actor, org=org, month=month)
        assert message in exc.value.message
    with pytest.raises(ActionDenied):
        services.create_review(
            world.user(Role.READONLY_LEADER), org=o["county"], month=add_months(this_month, -1)
        )
    review = world.reviews["review"]
    with pytest.raises(DomainError, match="本县的县直部门"):
        services.add_topic(admin, review, title="专题", department=world.departments["out_dept"])
    with pytest.raises(DomainError, match="请填写专题"):
        services.add_topic(admin, review, title=" ")
    with pytest.raises(DomainError, match="不能超过3000个字"):
        services.update_review(admin, review, praise_note="好" * 3001)
    assert (MonthlyReview.objects.count(), AuditEvent.objects.count()) == before
    # the township office opens its own township's analysis (a month is any day of it)
    mine = services.create_review(office, org=o["township"], month=this_month.replace(day=15))
    assert mine.month == this_month and mine.county_id == o["county"].pk


def test_publish_sends_with_read_sign_once(world, client_for):
    admin = world.user(Role.COUNTY_ADMIN)
    review = world.reviews["review"]
    services.update_review(admin, review, praise_note="表扬镇甲。", next_tasks_text="开展主题党日")
    client = client_for(admin)
    r = client.post(reverse("review-publish", args=[review.pk]), {"sign_by": ""})
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.is_published and review.notice is not None
    notice = review.notice
    receipts = NoticeReceipt.objects.filter(notice=notice)
    assert receipts.count() == notice.recipient_count > 0
    assert receipts.filter(user_id=world.users[Role.TOWNSHIP_STAFF].pk).exists()
    assert not receipts.filter(user_id=admin.pk).exists()
    names = sorted(f.name for f in notice.files.all())
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"]
    assert all(f.size > 1000 for f in notice.files.all())
    assert notice.sign_by == datetime.date.today() + datetime.timedelta(days=7)
    assert AuditEvent.objects.filter(action="reviews.publish", object_id=str(review.pk)).count() == 1
    page = client.get(review.get_absolute_url()).content.decode()
    assert reverse("notice-detail", args=[notice.pk]) in page and "已发布" in page
    # a second publish is refused, on the page and in the service; nothing more is sent
    r = client.post(reverse("review-publish", args=[review.pk]), {})
    assert r.status_code == 400 and "不能重复发布" in r.content.decode()
    with pytest.raises(DomainError, match="不能重复发布"):
        services.publish_review(admin, review)
    with pytest.raises(DomainError, match="已发布，不能再修改"):
        services.update_review(admin, review, praise_note="改")
    r = client.post(f"/api/v1/reviews/{review.pk}/publish/", {}, content_type="application/json")
    assert r.status_code == 400 and "不能重复发布" in r.json()["detail"]
    assert NoticeReceipt.objects.filter(notice__title=notice.title).count() == notice.recipient_count


def test_pages(world, client_for):
    o = world.orgs
    office = world.user(Role.TOWNSHIP_STAFF)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(reverse("review-list"))
    text = r.content.decode()
    assert r.status_code == 200 and str(world.reviews["review"]) in text and "外县" not in text
    r = client.get(
        reverse("review-list"), {"month": datetime.date.today().strftime("%Y-%m"), "export": "xlsx"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    review = world.reviews["review"]
    r = client.get(review.get_absolute_url())
    text = r.content.decode()
    assert r.status_code == 200
    for part in (
        "一、当月",
        "二、晾晒“成绩单”",
        "三、",
        "四、专题研讨（X）",
        "县甲专题：村集体经济政策解读",
        "得分 =",
    ):
        assert part in text
    r = client.post(
        reverse("review-notes", args=[review.pk]), {"praise_note": "表扬", "next_tasks_text": "一\n二"}
    )
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.next_tasks_text == "一\n二"
    r = client.post(reverse("review-notes", args=[review.pk]), {"rectification_note": "改" * 3001})
    assert r.status_code == 400 and "整改要求不能超过3000个字" in r.content.decode()
    r = client.post(reverse("review-topic-add", args=[review.pk]), {"title": "", "agenda": "议程"})
    assert r.status_code == 400 and "请填写专题" in r.content.decode()
    r = client.post(
        reverse("review-topic-add", args=[review.pk]),
        {"title": "民政政策解读", "department": world.departments["dept"].pk, "notes": "现场解决3件"},
    )
    assert r.status_code == 302
    topic = ReviewTopic.objects.get(title="民政政策解读")
    assert client.get(reverse("review-topic-edit", args=[topic.pk])).status_code == 200
    r = client.post(reverse("review-topic-edit", args=[topic.pk]), {"title": "民政政策", "sort_order": 9})
    assert r.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.sort_order, topic.department_id) == ("民政政策", 9, None)
    assert client.post(reverse("review-topic-remove", args=[topic.pk])).status_code == 302
    assert not ReviewTopic.objects.filter(pk=topic.pk).exists()

    # the township office opens its township's analysis from the form; bad months answer 400
    client = client_for(office)
    assert client.get(reverse("review-new")).status_code == 200
    r = client.post(reverse("review-new"), {"org": o["township"].pk, "month": "2026-13"})
    assert r.status_code == 400 and "月份格式应为 2026-11" in r.content.decode()
    r = client.post(reverse("review-new"), {"org": o["county"].pk, "month": "2026-01"})
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
    r = client.post(
        reverse("review-new"), {"org": o["township"].pk, "month": datetime.date.today().strftime("%Y-%m")}
    )
    assert r.status_code == 302
    created = MonthlyReview.objects.get(org=o["township"])
    assert r["Location"] == created.get_absolute_url()
    # a reader sees the page without the forms; a village secretary cannot open one
    leader = client_for(world.user(Role.READONLY_LEADER))
    text = leader.get(review.get_absolute_url()).content.decode()
    assert "notes-form" not in text and "publish-form" not in text
    assert leader.post(reverse("review-notes", args=[review.pk]), {"praise_note": "x"}).status_code == 403
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).get(reverse("review-new")).status_code == 403


def test_api(world, client_for):
    o = world.orgs
    client = client_for(world.user(Role.COUNTY_ADMIN))
    review = world.reviews["review"]
    r = client.get("/api/v1/reviews/")
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["results"]] == [review.pk]
    r = client.get(f"/api/v1/reviews/{review.pk}/")
    body = r.json()
    assert r.status_code == 200 and body["month"] == datetime.date.today().strftime("%Y-%m")
    assert {"completion", "scorecard", "next_tasks", "formula"} <= set(body["pack"])
    assert body["topics"][0]["department_name"] == "部门甲住建"
    r = client.patch(f"/api/v1/reviews/{review.pk}/", {"praise_note": "好"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["praise_note"] == "好"
    r = client.post(
        "/api/v1/reviews/", {"org": o["out_county"].pk, "month": "2026-01"}, content_type="application/json"
    )
    assert r.status_code == 400 and "不在您的管辖范围内" in r.json()["org"][0]
    r = client.post(
        "/api/v1/reviews/", {"org": o["county"].pk, "month": "一月"}, content_type="application/json"
    )
    assert r.status_code == 400 and "月份格式" in r.json()["month"][0]
    last = add_months(datetime.date.today().replace(day=1), -1).strftime("%Y-%m")
    r = client.post(
        "/api/v1/reviews/", {"org": o["township"].pk, "month": last}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["org_name"] == "镇甲"
    new_id = r.json()["id"]
    r = client.post(
        "/api/v1/review-topics/",
        {"review": new_id, "title": "组织部解读", "department": world.departments["out_dept"].pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and "本县的县直部门" in r.json()["department"][0]
    r = client.post(
        "/api/v1/review-topics/", {"review": new_id, "title": "组织部解读"}, content_type="application/json"
    )
    assert r.status_code == 201
    tid = r.json()["id"]
    r = client.patch(f"/api/v1/review-topics/{tid}/", {"notes": "纪要"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["notes"] == "纪要"
    assert client.delete(f"/api/v1/review-topics/{tid}/").status_code == 204
    r = client.get(f"/api/v1/reviews/{review.pk}/xlsx/")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_out_of_scope_is_404(world, client_for):
    out, out_topic = world.reviews["out_review"], world.review_topics["out_topic"]
    client = client_for(world.user(Role.COUNTY_ADMIN))
    for name in ("review-detail", "review-docx", "review-xlsx", "review-pdf"):
        assert client.get(reverse(name, args=[out.pk])).status_code == 404
    for name in ("review-notes", "review-topic-add", "review-publish"):
        assert (
            client.post(reverse(name, args=[out.pk]), {"title": "越权", "praise_note": "越权"}).status_code
            == 404
        )
    assert client.get(reverse("review-topic-edit", args=[out_topic.pk])).status_code == 404
    assert client.post(reverse("review-topic-remove", args=[out_topic.pk])).status_code == 404
    for url in (
        f"/api/v1/reviews/{out.pk}/",
        f"/api/v1/reviews/{out.pk}/docx/",
        f"/api/v1/review-topics/{out_topic.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/v1/reviews/{out.pk}/publish/").status_code == 404
    r = client.patch(f"/api/v1/reviews/{out.pk}/", {"praise_note": "越权"}, content_type="application/json")
    assert r.status_code == 404
    r = client.post(
        "/api/v1/review-topics/", {"review": out.pk, "title": "越权"}, content_type="application/json"
    )
    assert r.status_code == 400
    out.refresh_from_db()
    assert out.praise_note == "" and not out.is_published and out.topics.count() == 1


def test_review_page_runs_constant_queries(world, client_for):
    s = scenario(world)  # four townships with tasks and reports
    admin = s["admin"]
    review = services.create_review(admin, org=world.orgs["county"], month=s["month"])
    client = client_for(admin)
    url = review.get_absolute_url()

    def count() -> int:
        client.get(url)  # warm the caches (rules, roles)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    from .helpers import make_task

    more = townships(world, ["镇甲戊", "镇甲己", "镇甲庚", "镇甲辛"])
    make_task(
        admin,
        world.orgs["county"],
        s["month"],
        "再下达一项",
        key=True,
        target_value=5,
        unit="次",
        to=more,
        done=[5, 1, None, 2],
    )
    assert count() == few
