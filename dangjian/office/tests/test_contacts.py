"""定点联系: every staff member holds a branch, every branch has a contact. The coverage page, its
one-step assign form (plain post and htmx), the findings, the export and the API."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import RuleOverride
from dangjian.office import checks
from dangjian.office.models import ContactPoint
from dangjian.office.selectors import coverage
from dangjian.office.services import contacts
from dangjian.orgs.services import create_org

from .conftest import TODAY, audit_count, html, xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date


def test_assign_and_end_keep_history(users, world):
    point = contacts.assign_contact(
        users.office, world.orgs["sibling"], users.staff2, D(2026, 10, 1), today=TODAY
    )
    assert point.township == world.orgs["township"] and point.org == world.orgs["sibling"]
    with pytest.raises(DomainError, match="已是村甲二的联系人"):
        contacts.assign_contact(users.office, world.orgs["sibling"], users.staff2, today=TODAY)
    contacts.end_contact(users.office, point, D(2026, 11, 1), today=TODAY)
    again = contacts.assign_contact(
        users.office, world.orgs["sibling"], users.staff2, D(2026, 11, 20), today=TODAY
    )
    assert again.pk != point.pk and ContactPoint.objects.filter(org=world.orgs["sibling"]).count() == 2


@pytest.mark.parametrize(
    "branch, staff, since, field, message",
    [
        ("station", "staff2", None, "branch", "只能是村（社区）党支部"),
        ("branch", "secretary", None, "staff", "不是镇甲党建办的工作人员"),
        ("branch", "admin", None, "staff", "不是镇甲党建办的工作人员"),
        ("sibling", "staff2", D(2026, 11, 26), "since", "不能晚于今天"),
    ],
)
def test_bad_input_writes_nothing(users, world, branch, staff, since, field, message):
    before = (ContactPoint.objects.count(), audit_count())
    with pytest.raises(DomainError) as exc:
        contacts.assign_contact(users.admin, world.orgs[branch], getattr(users, staff), since, today=TODAY)
    errors = getattr(exc.value, "errors", None) or [exc.value]
    assert any(e.field == field and message in e.message for e in errors)
    assert (ContactPoint.objects.count(), audit_count()) == before


def test_a_branch_of_another_township_is_refused(users, world):
    other = create_org(world.root, parent=world.orgs["county"], name="镇甲二", kind="township", code="T9")
    village = create_org(world.root, parent=other, name="村甲三", kind="branch", code="B9")
    with pytest.raises(DomainError, match="不是镇甲二党建办的工作人员"):
        contacts.assign_contact(users.admin, village, users.staff2, today=TODAY)
    with pytest.raises(DomainError, match="“村甲三”不是镇甲的党支部"):
        contacts.assign_contact(
            users.admin, village, users.staff2, township=world.orgs["township"], today=TODAY
        )
    with pytest.raises(NotInScope):
        contacts.assign_contact(users.office, world.orgs["out_branch"], users.staff2, today=TODAY)
    with pytest.raises(ActionDenied):
        contacts.assign_contact(users.leader, world.orgs["sibling"], users.staff2, today=TODAY)


def test_end_before_start_and_twice(users, world):
    point = world.office["contact"]
    with pytest.raises(DomainError, match="不能早于起始日期"):
        contacts.end_contact(users.office, point, D(2026, 8, 31), today=TODAY)
    contacts.end_contact(users.office, point, TODAY, today=TODAY)
    with pytest.raises(DomainError, match="已于"):
        contacts.end_contact(users.office, point, TODAY, today=TODAY)


def test_coverage_counts_and_gaps(users, world):
    cov = coverage(users.office, world.orgs["township"], TODAY)
    names = {b.org.name: b.short for b in cov.branches}
    assert names == {"村甲一": False, "村甲二": True, "社区甲": True}
    assert {s.user.display_name: s.short for s in cov.staff} == {"甲镇办干部": False, "甲镇办干部二": True}
    contacts.end_contact(users.office, world.orgs and world.office["contact"], TODAY, today=TODAY)
    cov = coverage(users.office, world.orgs["township"], TODAY)
    assert len(cov.uncovered) == 3 and len(cov.idle_staff) == 2  # ended today: not in force today


def test_findings_branch_without_contact_and_staff_without_branch(users, world):
    gaps = checks.branch_without_contact(users.office, TODAY)
    assert {f.subject for f in gaps} == {"村甲二", "社区甲"} and all(f.severity == "overdue" for f in gaps)
    assert "001" in gaps[0].message and gaps[0].url.startswith("/office/coverage/?township=")
    idle = checks.staff_without_branch(users.office, TODAY)
    assert [f.subject for f in idle] == ["甲镇办干部二"]
    contacts.assign_contact(users.office, world.orgs["sibling"], users.staff2, today=TODAY)
    assert {f.subject for f in checks.branch_without_contact(users.office, TODAY)} == {"社区甲"}
    assert checks.staff_without_branch(users.office, TODAY) == []
    # the secretary sees their own branch only (covered); the liaison sees nothing
    assert checks.branch_without_contact(users.secretary, TODAY) == []
    assert checks.staff_without_branch(users.secretary, TODAY) == []
    assert checks.branch_without_contact(users.dept, TODAY) == []


def test_rule_boundary_with_a_county_override(users, world):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="office.staff_min_branches",
        value=2,
        effective_from=D(2026, 1, 1),
        source="试行",
    )
    assert [f.subject for f in checks.staff_without_branch(users.office, TODAY)] == [
        "甲镇办干部",
        "甲镇办干部二",
    ]
    contacts.assign_contact(users.office, world.orgs["sibling"], users.office, today=TODAY)
    assert [f.subject for f in checks.staff_without_branch(users.office, TODAY)] == ["甲镇办干部二"]


def test_checks_are_constant_in_queries(users, world, django_assert_max_num_queries):
    for i in range(6):
        create_org(world.root, parent=world.orgs["township"], name=f"村甲加{i}", kind="branch", code=f"BX{i}")
    # the user's roles, the counties, the branches with their counts, the townships, the rule values
    with django_assert_max_num_queries(5):
        assert len(checks.branch_without_contact(users.office, TODAY)) == 8
    with django_assert_max_num_queries(5):
        checks.staff_without_branch(users.office, TODAY)


# --- the coverage page ----------------------------------------------------------------------------


def test_coverage_page_shows_gaps_in_red_and_counts(client_for, users, world):
    r = client_for(users.office).get("/office/coverage/")
    body = html(r)
    assert r.status_code == 200
    assert 'data-testid="uncovered-count">2<' in body and 'data-testid="branch-count">3<' in body
    assert 'data-testid="idle-count">1<' in body and body.count('data-testid="gap"') == 2
    assert "外村" not in body and "外镇办干部" not in body


def test_assign_form_plain_post_redirects_and_the_gap_disappears(client_for, users, world):
    c = client_for(users.office)
    url = f"/office/coverage/?township={world.orgs['township'].pk}"
    r = c.post(url, {"branch": world.orgs["sibling"].pk, "staff": users.staff2.pk})
    assert r.status_code == 302 and r["Location"] == url
    body = html(c.get(url))
    assert "已确定“甲镇办干部二”联系村甲二" in body and 'data-testid="uncovered-count">1<' in body


def test_assign_form_with_htmx_answers_the_fragment(client_for, users, world):
    c = client_for(users.office)
    url = f"/office/coverage/?township={world.orgs['township'].pk}"
    r = c.post(url, {"branch": world.orgs["community"].pk, "staff": users.staff2.pk}, HTTP_HX_REQUEST="true")
    body = html(r)
    assert (
        r.status_code == 200 and 'data-testid="flash"' in body and 'data-testid="uncovered-count">1<' in body
    )


def test_assign_form_refuses_bad_input_with_400(client_for, users, world):
    c = client_for(users.office)
    url = f"/office/coverage/?township={world.orgs['township'].pk}"
    before = (ContactPoint.objects.count(), audit_count())
    r = c.post(url, {"branch": world.orgs["out_branch"].pk, "staff": users.staff2.pk})
    assert r.status_code == 400 and "选择一个有效的选项" in html(r)
    r = c.post(url, {"branch": world.orgs["branch"].pk, "staff": users.office.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "已是村甲一的联系人" in html(r)
    r = c.post(url, {"branch": world.orgs["sibling"].pk, "staff": users.staff2.pk, "since": "2026-12-31"})
    assert r.status_code == 400 and "起始日期不能晚于今天" in html(r)
    assert (ContactPoint.objects.count(), audit_count()) == before
    assert (
        client_for(users.leader)
        .post(url, {"branch": world.orgs["sibling"].pk, "staff": users.staff2.pk})
        .status_code
        == 403
    )
    assert ContactPoint.objects.count() == before[0]


def test_secretary_sees_the_contact_of_their_own_branch(client_for, users, world):
    body = html(client_for(users.secretary).get("/office/coverage/"))
    assert (
        "村甲一" in body
        and "甲镇办干部" in body
        and "村甲二" not in body
        and 'data-testid="assign-form"' not in body
    )


def test_coverage_export(client_for, users, world):
    rows = xlsx_rows(client_for(users.office).get("/office/coverage/", {"export": "xlsx"}))
    assert rows[1] == ("类别", "名称", "联系人 / 联系的支部", "数量", "状态")
    assert ("党支部", "村甲二", None, 0, "无联系人") in rows
    assert any(r[1] == "甲镇办干部" and r[2] == "村甲一" for r in rows[2:])


def test_end_from_the_page(client_for, users, world):
    c = client_for(users.office)
    r = c.post(f"/office/contact-points/{world.office['contact'].pk}/end/", {"until": "2026-08-01"})
    assert r.status_code == 302 and ContactPoint.objects.get(pk=world.office["contact"].pk).until is None
    c.post(f"/office/contact-points/{world.office['contact'].pk}/end/", {})
    assert ContactPoint.objects.get(pk=world.office["contact"].pk).until is not None
    listing = html(c.get("/office/contact-points/"))
    assert "村甲一" in listing and "外村" not in listing


def test_coverage_page_constant_queries(client_for, users, world, django_assert_max_num_queries):
    c = client_for(users.office)
    counts = []
    for batch in (0, 1):
        for i in range(5):
            create_org(
                world.root,
                parent=world.orgs["township"],
                name=f"村甲批{batch}{i}",
                kind="branch",
                code=f"BY{batch}{i}",
            )
        with django_assert_max_num_queries(20) as captured:
            assert c.get("/office/coverage/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- API ------------------------------------------------------------------------------------------


def test_api_create_end_and_refuse(client_for, users, world):
    c = client_for(users.office)
    r = c.post(
        "/api/v1/contact-points/",
        {"org": world.orgs["sibling"].pk, "staff": users.staff2.pk},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["staff_name"] == "甲镇办干部二"
    r = c.post(
        f"/api/v1/contact-points/{r.json()['id']}/end/",
        {"until": "2020-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "不能早于起始日期" in r.json()["until"][0]
    before = (ContactPoint.objects.count(), audit_count())
    r = c.post(
        "/api/v1/contact-points/",
        {"org": world.orgs["community"].pk, "staff": users.secretary.pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and "不是镇甲党建办的工作人员" in r.json()["staff"][0]
    r = c.post(
        "/api/v1/contact-points/",
        {"org": world.orgs["out_branch"].pk, "staff": users.staff2.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert (ContactPoint.objects.count(), audit_count()) == before
    assert [
        p["org_name"] for p in client_for(users.secretary).get("/api/v1/contact-points/").json()["results"]
    ] == ["村甲一"]
