"""A county's own rule values: set by its organisation department on /rules/county/ or through the API,
validated against the rule's shape, audited, refused to anyone else, and read by every check at once."""

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.core.rule_settings import overridable_rules, parse_value, set_county_rule
from dangjian.core.rules import REGISTRY, rule_value
from dangjian.decisions import rules as DR
from dangjian.development import rules as R

pytestmark = pytest.mark.django_db
JOINT = R.JOINT_PRE_REVIEW.code


def test_values_take_the_shape_of_the_default():
    assert parse_value(R.JOINT_PRE_REVIEW, "是") is True and parse_value(R.JOINT_PRE_REVIEW, "否") is False
    assert parse_value(R.JOINT_PRE_REVIEW, True) is True
    with pytest.raises(DomainError, match="“是”或“否”"):
        parse_value(R.JOINT_PRE_REVIEW, "也许")
    assert parse_value(R.PRE_REVIEW_DAYS, "0") == 0 and parse_value(R.PRE_REVIEW_DAYS, "45") == 45
    with pytest.raises(DomainError, match="不能为负数"):
        parse_value(R.PRE_REVIEW_DAYS, "-1")
    with pytest.raises(DomainError, match="整数"):
        parse_value(R.PRE_REVIEW_DAYS, "三十")
    assert parse_value(DR.ASSEMBLY_ATTENDANCE, "4/5") == [4, 5]
    with pytest.raises(DomainError, match="2个正整数"):
        parse_value(DR.ASSEMBLY_ATTENDANCE, "4/0")
    assert parse_value(R.V2026_FROM, "2026-06-01") == "2026-06-01"
    with pytest.raises(DomainError, match="日期格式"):
        parse_value(R.V2026_FROM, "6月1日")


def test_the_county_sets_and_changes_a_value_with_its_audit(world):
    county, admin = world.orgs["county"], world.user(Role.COUNTY_ADMIN)
    assert rule_value(JOINT, county) is False
    set_county_rule(admin, county, JOINT, "是", source="县委组织部〔2026〕1号")
    assert rule_value(JOINT, county) is True and rule_value(JOINT, world.orgs["out_county"]) is False
    set_county_rule(admin, county, JOINT, "否", source="县委组织部〔2026〕2号")
    assert RuleOverride.objects.get(county=county, code=JOINT).value is False
    events = list(AuditEvent.objects.filter(action="rule.override").order_by("pk"))
    assert [e.after["value"] for e in events] == [True, False]
    assert not events[0].before and events[1].before["value"] is True


def test_only_the_county_organisation_department_sets_one(world):
    county = world.orgs["county"]
    with pytest.raises(ActionDenied, match="只有县委组织部管理员"):
        set_county_rule(world.user(Role.TOWNSHIP_STAFF), county, JOINT, "是", source="文件")
    with pytest.raises(NotInScope):
        set_county_rule(world.users["out_admin"], county, JOINT, "是", source="文件")
    fixed = next(r for r in REGISTRY.values() if not r.overridable)
    with pytest.raises(DomainError, match="不能由县设置"):
        set_county_rule(world.user(Role.COUNTY_ADMIN), county, fixed.code, "1", source="文件")
    with pytest.raises(DomainError, match="设定依据"):
        set_county_rule(world.user(Role.COUNTY_ADMIN), county, JOINT, "是", source=" ")
    with pytest.raises(DomainError, match="请选择县"):
        set_county_rule(world.user(Role.COUNTY_ADMIN), world.orgs["township"], JOINT, "是", source="文件")
    assert not RuleOverride.objects.filter(code=JOINT).exists()


def test_the_settings_page(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/rules/county/")
    assert page.status_code == 200
    body = page.content.decode()
    assert all(r.code in body for r in overridable_rules()) and "县甲县级规则设置" in body
    bad = client.post("/rules/county/", {"county": world.orgs["county"].pk, "code": JOINT, "value": "是"})
    assert bad.status_code == 400 and "请填写设定依据" in bad.content.decode()
    ok = client.post(
        "/rules/county/",
        {"county": world.orgs["county"].pk, "code": JOINT, "value": "是", "source": "县委组织部文件"},
    )
    assert ok.status_code == 302 and rule_value(JOINT, world.orgs["county"]) is True
    office = client_for(world.user(Role.TOWNSHIP_STAFF)).get("/rules/county/").content.decode()
    assert "rule-form-" not in office and "县甲" in office


def test_the_api(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    body = {"county": world.orgs["county"].pk, "code": JOINT, "value": True, "source": "文件"}
    resp = client.post("/api/v1/rule-overrides/", body, content_type="application/json")
    assert resp.status_code == 201 and resp.json()["value"] is True
    bad = client.post("/api/v1/rule-overrides/", body | {"value": "也许"}, content_type="application/json")
    assert bad.status_code == 400 and "是" in str(bad.json())
    out = client.post(
        "/api/v1/rule-overrides/",
        body | {"county": world.orgs["out_county"].pk},
        content_type="application/json",
    )
    assert out.status_code == 404
    rows = client.get("/api/v1/rule-overrides/", {"code": JOINT}).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(r["code"], r["county_name"]) for r in rows] == [(JOINT, "县甲")]
    every = client.get("/api/v1/rule-overrides/").json()
    every = every["results"] if isinstance(every, dict) else every
    assert {r["county_name"] for r in every} == {"县甲"}


def test_a_post_for_a_county_outside_scope_is_not_found(world, client_for):
    body = {"county": world.orgs["out_county"].pk, "code": JOINT, "value": "是", "source": "文件"}
    assert client_for(world.user(Role.COUNTY_ADMIN)).post("/rules/county/", body).status_code == 404
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).post("/rules/county/", body).status_code == 404
    assert not RuleOverride.objects.filter(code=JOINT).exists()
