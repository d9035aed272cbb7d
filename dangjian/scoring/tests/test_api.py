"""The API: scoped reads of sets (with formulas), scores (with the records behind them) and rankings; the
same refusals as the pages (weights, evidence) as 400s beside the field; read-sign on a scorecard."""

import pytest

from dangjian.core.roles import Role
from dangjian.scoring.demo import standard_indicators
from dangjian.scoring.models import ScorecardRead


@pytest.mark.django_db
def test_results_are_scoped_and_link_to_the_drilldown(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    data = client.get("/api/v1/scoring-results/", {"period": world.scoring_month, "level": "township"}).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["org_name"] for r in rows] == ["镇甲"]
    assert rows[0]["url"] == f"/scoring/org/{world.orgs['township'].pk}/?period={world.scoring_month}"
    assert "应开会议" in rows[0]["note"]


@pytest.mark.django_db
def test_scores_carry_formula_and_details(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    data = client.get("/api/v1/scoring-scores/", {"org": world.orgs["branch"].pk}).json()
    rows = data["results"] if isinstance(data, dict) else data
    b1 = next(r for r in rows if r["indicator_code"] == "B1")
    assert b1["formula"].startswith("已开会议数") and b1["details"][0]["url"].startswith("/meetings/")
    assert all(r["org_name"] == "村甲一" for r in rows)


@pytest.mark.django_db
def test_manual_score_without_evidence_is_a_400(world, client_for):
    s = world.scoring_sets["county"]
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    body = {
        "indicator": s.indicators.get(code="B3").pk,
        "org": world.orgs["sibling"].pk,
        "period": world.scoring_month,
        "value": "80",
    }
    r = client.post("/api/v1/scoring-scores/", body, content_type="application/json")
    assert r.status_code == 400 and "人工评分须附评分依据" in r.content.decode()
    r = client.post(
        "/api/v1/scoring-scores/", body | {"evidence": "检查记录第2页"}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["points"] == "8.00"


@pytest.mark.django_db
def test_set_with_wrong_weights_is_a_400(world, client_for):
    rows = standard_indicators()
    rows[0]["weight"] = 30
    body = {"county": world.orgs["county"].pk, "year": 2025, "indicators": rows}
    r = client_for(world.user(Role.COUNTY_ADMIN)).post(
        "/api/v1/scoring-sets/", body, content_type="application/json"
    )
    assert r.status_code == 400 and "应等于满分100分" in r.content.decode()
    rows[0]["weight"] = 20
    r = client_for(world.user(Role.COUNTY_ADMIN)).post(
        "/api/v1/scoring-sets/", body | {"indicators": rows}, content_type="application/json"
    )
    assert r.status_code == 201 and len(r.json()["indicators"]) == 12


@pytest.mark.django_db
def test_scorecard_read_through_the_api(world, client_for):
    card = world.scoring_sets["county"].scorecards.get()
    user = world.user(Role.READONLY_LEADER)
    r = client_for(user).post(f"/api/v1/scoring-scorecards/{card.pk}/read/")
    assert r.status_code == 200 and r.json()["reads_n"] == 1
    assert ScorecardRead.objects.filter(scorecard=card, user=user).exists()
    out = world.scoring_sets["out_county"].scorecards.get()
    assert client_for(user).post(f"/api/v1/scoring-scorecards/{out.pk}/read/").status_code == 404
