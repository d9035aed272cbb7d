"""The pages: the lead's journey (the county dashboard's ranking panel → the worst township's drill-down →
the findings that explain its score), the drill-down's constant queries at two sizes, the lists and their
Excel exports, the scorecard's read-sign, and bad input shown beside the field with a 4xx."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.orgs.services import create_org
from dangjian.scoring import dashboard, services
from dangjian.scoring.models import Result, ScorecardRead


def xlsx_rows(response):
    data = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(data), read_only=True).active
    return [r for r in ws.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_dashboard_bar_opens_the_drilldown_with_its_findings(world, client_for):
    admin = world.user(Role.COUNTY_ADMIN)
    today = timezone.localdate()
    chart = dashboard.ranking(admin, world.orgs["county"], today)
    township = world.orgs["township"]
    bar = chart.option["series"][0]["data"][0]
    url = f"{reverse('scoring-org', args=[township.pk])}?period={world.scoring_month}"
    assert bar["url"] == url and bar["name"] == "镇甲"
    assert chart.rows[0]["name"] == "镇甲" and "汇总方法" in chart.note
    assert "外" not in str(chart.option)
    page = client_for(admin).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "应开会议" in body and "未开" in body  # the context note beside the rank
    assert "/meetings/compliance/?org=" in body  # the meetings not held, linked
    assert "/tasks/assignments/" in body  # the overdue tasks, linked
    station = client_for(admin).get(
        f"{reverse('scoring-org', args=[world.orgs['station'].pk])}?period={world.scoring_month}"
    )
    assert "已开会议数 ÷ 应开会议数" in station.content.decode()  # the formula, visible to whoever is scored


@pytest.mark.django_db
def test_the_drilldown_url_is_stable_and_scoped(world, client_for):
    url = f"{reverse('scoring-org', args=[world.orgs['township'].pk])}?period={world.scoring_month}"
    assert url == f"/scoring/org/{world.orgs['township'].pk}/?period={world.scoring_month}"
    assert client_for(world.users["out_admin"]).get(url).status_code == 404
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).get(url).status_code == 404
    own = reverse("scoring-org", args=[world.orgs["branch"].pk])
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).get(own).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _panel_queries(user, org) -> int:
    dashboard.ranking(user, org, timezone.localdate())  # the user's roles, read once per user object
    with CaptureQueriesContext(connection) as ctx:
        dashboard.ranking(user, org, timezone.localdate())
    return len(ctx.captured_queries)


def test_the_panel_is_registered_for_county_township_and_station():
    from dangjian.dashboards.panels import PANELS, panels_for

    assert PANELS["scoring.ranking"] is dashboard.PANEL
    assert dashboard.PANEL in panels_for("township") and dashboard.PANEL not in panels_for("branch")


@pytest.mark.django_db
def test_pages_run_a_constant_number_of_queries(world, client_for):
    admin = world.user(Role.COUNTY_ADMIN)
    client = client_for(admin)
    month = world.scoring_month
    urls = [
        f"{reverse('scoring-org', args=[world.orgs['township'].pk])}?period={month}",
        f"{reverse('scoring-org', args=[world.orgs['county'].pk])}?period={month}",
        f"{reverse('scoring-list')}?period={month}",
        reverse("scoring-scorecard", args=[world.scoring_sets["county"].scorecards.first().pk]),
    ]
    small = [_queries(client, u) for u in urls] + [_panel_queries(admin, world.orgs["county"])]
    for n in range(6):
        create_org(
            world.root,
            parent=world.orgs["station"],
            name=f"村甲加{n}",
            kind="branch",
            code=f"BX{n}",
            confirm=True,
        )
    services.compute(world.root, world.scoring_sets["county"], month)
    assert Result.objects.filter(period=month, org__name__startswith="村甲加").count() == 6
    big = [_queries(client, u) for u in urls] + [_panel_queries(admin, world.orgs["county"])]
    assert big == small


@pytest.mark.django_db
def test_ranking_list_shows_change_and_exports(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get(reverse("scoring-list"), {"period": world.scoring_month, "level": "branch"})
    body = page.content.decode()
    assert page.status_code == 200 and "村甲一" in body and "外村" not in body
    rows = xlsx_rows(client.get(reverse("scoring-list"), {"export": "xlsx", "level": "branch"}))
    assert rows[1][:3] == ("排名", "单位", "层级")
    assert {r[1] for r in rows[2:]} >= {"村甲一", "村甲二"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["scoring-scores", "scoring-indicators", "scoring-awards", "scoring-scorecards"]
)
def test_lists_export_excel(world, client_for, name):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    assert client.get(reverse(name)).status_code == 200
    rows = xlsx_rows(client.get(reverse(name), {"export": "xlsx"}))
    assert len(rows) >= 3 and "外" not in str(rows)


@pytest.mark.django_db
def test_indicator_set_page_and_export(world, client_for):
    s = world.scoring_sets["county"]
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get(s.get_absolute_url())
    assert page.status_code == 200 and "已开会议数 ÷ 应开会议数" in page.content.decode()
    rows = xlsx_rows(client.get(s.get_absolute_url(), {"export": "xlsx"}))
    assert rows[1][0] == "编码" and len(rows) == 2 + s.indicators.count()


@pytest.mark.django_db
def test_scorecard_read_sign(world, client_for):
    card = world.scoring_sets["county"].scorecards.get()
    user = world.user(Role.STATION_CHIEF)
    client = client_for(user)
    page = client.get(card.get_absolute_url())
    assert page.status_code == 200 and "签收阅知" in page.content.decode()
    assert client.post(reverse("scoring-scorecard-read", args=[card.pk])).status_code == 302
    client.post(reverse("scoring-scorecard-read", args=[card.pk]))
    assert ScorecardRead.objects.filter(scorecard=card, user=user).count() == 1
    assert user.display_name in client.get(card.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_manual_score_form_refuses_missing_evidence_beside_the_field(world, client_for):
    s = world.scoring_sets["county"]
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    data = {
        "indicator": s.indicators.get(code="B3").pk,
        "org": world.orgs["sibling"].pk,
        "period": world.scoring_month,
        "value": "60",
        "evidence": "",
    }
    page = client.post(reverse("scoring-set-score", args=[s.pk]), data)
    assert page.status_code == 400 and "人工评分须附评分依据" in page.content.decode()
    data["evidence"] = "乡镇检查记录第3条"
    assert client.post(reverse("scoring-set-score", args=[s.pk]), data).status_code == 302


@pytest.mark.django_db
def test_indicator_form_refuses_weights_not_adding_up(world, client_for):
    s = world.scoring_sets["county"]
    client = client_for(world.user(Role.COUNTY_ADMIN))
    rows = list(s.indicators.all())
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for n, i in enumerate(rows):
        for f in ("code", "name", "level", "cadence", "target", "computation", "formula"):
            data[f"form-{n}-{f}"] = getattr(i, f)
        data[f"form-{n}-weight"] = str(i.weight + (5 if n == 0 else 0))
    page = client.post(reverse("scoring-set-indicators", args=[s.pk]), data)
    assert page.status_code == 400 and "应等于满分100分" in page.content.decode()
    data["form-0-weight"] = str(rows[0].weight)
    assert client.post(reverse("scoring-set-indicators", args=[s.pk]), data).status_code == 302


@pytest.mark.django_db
def test_only_the_county_computes(world, client_for):
    s = world.scoring_sets["county"]
    url = reverse("scoring-set-compute", args=[s.pk])
    assert (
        client_for(world.user(Role.TOWNSHIP_STAFF)).post(url, {"period": world.scoring_month}).status_code
        == 403
    )
    assert client_for(world.user(Role.COUNTY_ADMIN)).post(url, {"period": "bad"}).status_code == 400
    assert (
        client_for(world.user(Role.COUNTY_ADMIN)).post(url, {"period": world.scoring_month}).status_code
        == 302
    )
