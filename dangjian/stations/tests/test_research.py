"""Research: plans, rounds (each station at least 2 a year), reports (PDF/Word ≤10 MB) and the
township appraisal meeting with scores (0–100) and ranks."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.stations import services
from dangjian.stations.checks import research_short
from dangjian.stations.models import ResearchPlan, ResearchReport, ResearchRound, ResearchScore

from .conftest import D, audit_count, html

Y = timezone.localdate().year  # stations count for a closed year only if they existed in it
PDF = b"%PDF-1.7\n..."


def _docx() -> bytes:
    """A minimal Word file: a zip holding word/document.xml, as the upload check requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = _docx()


def round_(world, started, ended, station="station", branch="branch", today=None):
    return services.record_round(
        world.root,
        world.orgs[station],
        topic="产业发展调研",
        started_on=started,
        ended_on=ended,
        villages=[world.orgs[branch]],
        participants="甲站长",
        today=today or D(Y + 1, 12, 31),
    )


def short(user, today):
    return sorted((f.subject, f.severity, f.due_on) for f in research_short(user, today))


def test_two_rounds_by_year_end(world, users):
    """The test world's station has one round (ended 2026-11-03); rounds count for the year they end in."""
    ResearchRound.objects.filter(org=world.orgs["station"]).update(ended_on=D(Y, 6, 1), started_on=D(Y, 6, 1))
    assert short(users.office, D(Y, 9, 30)) == []  # before the fourth quarter: nothing yet
    assert short(users.office, D(Y, 10, 1)) == [("站甲", "due_soon", D(Y, 12, 31))]
    assert short(users.office, D(Y, 12, 31)) == [("站甲", "due_soon", D(Y, 12, 31))]
    late = round_(world, D(Y, 12, 30), D(Y + 1, 1, 1))  # ends on 1 January: next year's round
    assert short(users.office, D(Y + 1, 1, 1)) == [("站甲", "overdue", D(Y, 12, 31))]
    late.ended_on = D(Y, 12, 31)
    late.save()
    assert short(users.office, D(Y, 12, 31)) == []
    assert short(users.office, D(Y + 1, 1, 1)) == []


def test_a_station_set_up_this_year_owes_nothing_for_last_year(world, users):
    assert [s for s, sev, _ in short(users.office, D(Y, 3, 1)) if sev == "overdue"] == []
    assert short(users.office, D(Y + 1, 1, 1))[0][1] == "overdue"


def test_scope_of_the_check(world, users):
    today = D(Y, 12, 1)
    ResearchRound.objects.update(ended_on=D(Y, 6, 1), started_on=D(Y, 6, 1))
    assert [s for s, *_ in short(users.chief, today)] == ["站甲"]
    assert [s for s, *_ in short(users.out_admin, today)] == ["外站"]
    assert short(users.secretary, today) == [] and short(users.liaison, today) == []


def test_round_bad_input(world):
    before = (ResearchRound.objects.count(), audit_count())
    with pytest.raises(DomainError, match="走访村须是“站甲”所辖的村党组织"):
        round_(world, D(2026, 11, 1), D(2026, 11, 2), branch="out_branch")
    with pytest.raises(DomainError, match="结束日期不能早于开始日期"):
        round_(world, D(2026, 11, 5), D(2026, 11, 2))
    with pytest.raises(DomainError, match="结束日期不能晚于今天"):
        round_(world, D(2026, 11, 5), D(2026, 11, 30), today=D(2026, 11, 29))
    assert (ResearchRound.objects.count(), audit_count()) == before


def test_a_round_joins_its_years_township_plan(world):
    rnd = round_(world, D(2026, 11, 10), D(2026, 11, 12))
    assert rnd.plan == ResearchPlan.objects.get(org=world.orgs["township"], year=2026)
    with pytest.raises(DomainError, match="“镇甲”2026年的专项调研计划已登记"):
        services.create_plan(world.root, world.orgs["township"], year=2026, topics="x", today=D(2026, 11, 1))
    with pytest.raises(DomainError, match="不是乡镇"):
        services.create_plan(world.root, world.orgs["station"], year=2026, topics="x", today=D(2026, 11, 1))


def report(world, rnd, upload=None, **kw):
    values = {"title": "调研报告", "submitted_on": D(2026, 11, 20), "today": D(2026, 11, 22)} | kw
    return services.submit_report(world.root, rnd, file=upload, **values)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.txt", b"plain text", "报告文件只能是PDF、DOCX文件"),
        ("报告.doc", b"\xd0\xcf\x11\xe0", "报告文件只能是PDF、DOCX文件"),
        ("报告.pdf", b"\x89PNG\r\n", "不是有效的PDF文件"),
        ("报告.docx", b"%PDF-", "不是有效的DOCX文件"),
        ("报告.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "报告文件不能超过10MB"),
    ],
)
def test_report_file_is_checked(world, name, content, message):
    rnd = round_(world, D(2026, 11, 10), D(2026, 11, 12))
    before = (ResearchReport.objects.count(), audit_count())
    with pytest.raises(DomainError, match=message):
        report(world, rnd, SimpleUploadedFile(name, content))
    assert (ResearchReport.objects.count(), audit_count()) == before


def test_report_pdf_docx_text_and_replacement(world):
    rnd = round_(world, D(2026, 11, 10), D(2026, 11, 12))
    with pytest.raises(DomainError, match="请填写报告正文或上传报告文件"):
        report(world, rnd)
    with pytest.raises(DomainError, match="提交日期不能早于调研开始日期"):
        report(world, rnd, text="正文", submitted_on=D(2026, 11, 9))
    first = report(world, rnd, SimpleUploadedFile("初稿.pdf", PDF))
    second = report(world, rnd, SimpleUploadedFile("定稿.docx", DOCX), title="定稿")
    assert second.pk == first.pk and second.file_name == "定稿.docx" and second.title == "定稿"
    third = report(world, rnd, text="补充正文")
    assert third.file_name == "定稿.docx" and third.text == "补充正文"  # the file stays


def appraisal(world, township="township"):
    return services.hold_appraisal(
        world.root,
        world.orgs[township],
        year=2026,
        held_on=D(2026, 11, 28),
        reviewers="镇党委",
        today=D(2026, 11, 30),
    )


def reports_of_three_stations(world):
    """站甲's report from the test world, and two more stations of 镇甲 with a report each."""
    from dangjian.orgs.services import create_org

    rows = [world.station_rows["in_report"]]
    for n in ("丙", "丁"):
        st = create_org(
            world.root, parent=world.orgs["township"], name=f"站{n}", kind="station", code=f"S-{n}"
        )
        b = create_org(world.root, parent=st, name=f"村{n}", kind="branch", code=f"B-{n}")
        world.orgs[f"st{n}"], world.orgs[f"b{n}"] = st, b
        rnd = round_(world, D(2026, 11, 10), D(2026, 11, 12), station=f"st{n}", branch=f"b{n}")
        rows.append(report(world, rnd, text=f"{n}站报告"))
    return rows


def test_ranking_shares_places_on_ties(world):
    a, b, c = reports_of_three_stations(world)
    meeting = appraisal(world)
    rows = services.score_reports(
        world.root,
        meeting,
        [
            services.ScoreInput(a.pk, "90"),
            services.ScoreInput(b.pk, "95.5"),
            services.ScoreInput(c.pk, "90.0"),
        ],
    )
    assert [(r.report_id, r.rank) for r in rows] == [(b.pk, 1), (a.pk, 2), (c.pk, 2)]
    services.score_reports(world.root, meeting, [services.ScoreInput(c.pk, "96", "数据翔实")])
    ranks = dict(ResearchScore.objects.filter(appraisal=meeting).values_list("report_id", "rank"))
    assert ranks == {c.pk: 1, b.pk: 2, a.pk: 3}
    assert services.ranks([Decimal(5), Decimal(7), Decimal(7), Decimal(1)]) == [3, 1, 1, 4]


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("100.5", "0到100之间"),
        ("-1", "0到100之间"),
        ("abc", "0到100之间的数"),
        ("88.25", "最多保留一位小数"),
        ("NaN", "0到100之间"),
    ],
)
def test_bad_scores_write_nothing(world, score, message):
    a, b, _ = reports_of_three_stations(world)
    meeting = appraisal(world)
    before = (ResearchScore.objects.count(), audit_count())
    with pytest.raises(DomainError, match=message):
        services.score_reports(
            world.root, meeting, [services.ScoreInput(a.pk, "80"), services.ScoreInput(b.pk, score)]
        )
    assert (ResearchScore.objects.count(), audit_count()) == before


def test_only_reports_of_the_township_and_year(world):
    meeting = appraisal(world)
    outside = world.station_rows["out_report"]
    with pytest.raises(DomainError, match="不是“镇甲”2026年的调研报告"):
        services.score_reports(world.root, meeting, [services.ScoreInput(outside.pk, "80")])


def test_only_managers_score(world, users):
    meeting = world.station_rows["in_appraisal"]
    report_ = world.station_rows["in_report"]
    with pytest.raises(NotInScope):  # the township's meeting is above the chief's station
        services.score_reports(users.chief, meeting, [services.ScoreInput(report_.pk, "99")])
    with pytest.raises(ActionDenied):
        services.score_reports(users.leader, meeting, [services.ScoreInput(report_.pk, "99")])
    services.score_reports(users.office, meeting, [services.ScoreInput(report_.pk, "99")])


def test_pages(world, users, client_for):
    rnd = world.station_rows["in_round"]
    chief = client_for(users.chief)
    page = html(chief.get(f"/stations/research/{rnd.pk}/"))
    assert "甲站调研报告" in page and "88.5" in page and "第1名" in page and "调研报告.pdf" in page
    bad = chief.post(
        f"/stations/research/{rnd.pk}/report/",
        {"title": "新报告", "submitted_on": "2026-11-20", "file": SimpleUploadedFile("x.png", b"\x89PNG")},
    )
    assert bad.status_code == 400 and "报告文件只能是PDF、DOCX文件" in html(bad)
    assert ResearchReport.objects.get(round=rnd).title == "甲站调研报告"
    ok = chief.post(
        f"/stations/research/{rnd.pk}/report/",
        {"title": "新报告", "submitted_on": "2026-11-20", "file": SimpleUploadedFile("新报告.docx", DOCX)},
    )
    assert ok.status_code == 302
    file = chief.get(f"/stations/research/reports/{ResearchReport.objects.get(round=rnd).pk}/file/")
    assert file.status_code == 200 and b"".join(file.streaming_content) == DOCX
    meeting = world.station_rows["in_appraisal"]
    assert (
        chief.get(f"/stations/research/appraisals/{meeting.pk}/").status_code == 404
    )  # the township's meeting
    office = client_for(users.office)
    key = f"score-{world.station_rows['in_report'].pk}"
    bad = office.post(f"/stations/research/appraisals/{meeting.pk}/scores/", {key: "101"})
    assert bad.status_code == 400 and "得分应在0到100之间" in html(bad)
    assert ResearchScore.objects.get(appraisal=meeting).score == Decimal("88.5")
    ok = office.post(
        f"/stations/research/appraisals/{meeting.pk}/scores/", {key: "91", f"comment-{key[6:]}": "好"}
    )
    assert ok.status_code == 302
    page = html(office.get(f"/stations/research/appraisals/{meeting.pk}/"))
    assert 'value="91.0"' in page and "第1名" in page


def test_plan_and_appraisal_forms(world, users, client_for):
    office = client_for(users.office)
    r = office.post(
        "/stations/research/plans/new/",
        {"township": world.orgs["township"].pk, "year": "2026", "topics": "x"},
    )
    assert r.status_code == 400 and "2026年的专项调研计划已登记" in html(r)
    r = office.post(
        "/stations/research/plans/new/",
        {"township": world.orgs["out_township"].pk, "year": "2027", "topics": "x"},
    )
    assert r.status_code == 400 and not ResearchPlan.objects.filter(year=2027).exists()
    r = office.post(
        "/stations/research/plans/new/",
        {"township": world.orgs["township"].pk, "year": str(Y + 1), "topics": "课题"},
    )
    assert r.status_code == 302
    r = office.post(
        "/stations/research/appraisals/new/",
        {
            "township": world.orgs["township"].pk,
            "year": "2026",
            "held_on": "2026-11-25",
            "reviewers": "镇党委",
        },
    )
    assert r.status_code == 302 and r["Location"].startswith("/stations/research/appraisals/")
    chief = client_for(users.chief)  # the same test client, now signed in as the chief
    assert chief.get("/stations/research/plans/new/").status_code == 403
    assert chief.get("/stations/research/appraisals/new/").status_code == 403
