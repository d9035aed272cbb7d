"""Pay: one line per person paid once at the higher rate plus the 一肩挑 allowance, performance from last
year's grade in the county's performance month, the refusals (a second batch for the month, approving an
empty batch, changing an approved one, exporting a draft) and the one-card export's columns."""

import datetime
from decimal import Decimal

import pytest

from dangjian.cadres import rules as R
from dangjian.cadres import services
from dangjian.cadres.choices import AssessmentGrade
from dangjian.cadres.models import PayBatch, PayScheme
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Gender
from dangjian.orgs.services import create_org
from dangjian.villages import services as village_services
from dangjian.villages.models import Committee, CommitteeKind, PostKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 2, 10)
JAN = datetime.date(2025, 1, 1)


def _dual(world):
    """村甲一's secretary 甲书记郭凯 also becomes director (一肩挑); a fixed-subsidy cadre for e-commerce."""
    o = world.orgs
    villagers = village_services.create_committee(
        world.root, o["branch"], kind=CommitteeKind.VILLAGERS, term_start=datetime.date(2024, 3, 1)
    )
    kw = dict(since=datetime.date(2024, 3, 1), today=TODAY)
    village_services.appoint(
        world.root, villagers, PostKind.DIRECTOR, name="甲书记郭凯", gender=Gender.MALE, **kw
    )
    branch = Committee.objects.get(org=o["branch"], kind=CommitteeKind.BRANCH)
    village_services.appoint(
        world.root,
        branch,
        PostKind.SUBSIDY,
        name="电商员",
        gender=Gender.FEMALE,
        answers_for="电商营销",
        **kw,
    )


def test_batch_lines_rates_allowance_and_performance(world):
    _dual(world)
    office = world.user(Role.TOWNSHIP_STAFF)
    scheme = PayScheme.objects.get(county=world.orgs["county"])
    assert scheme.performance_month == 1
    batch = services.generate_batch(office, world.orgs["township"], datetime.date(2025, 1, 20), today=TODAY)
    assert batch.month == JAN
    lines = {line.name: line for line in batch.lines.all()}
    guo = lines["甲书记郭凯"]
    base = Decimal(R.DEFAULT_BASE_PAY["secretary"])
    # Secretary and director: paid once at the higher rate plus the allowance; 2023's grade is too old.
    assert guo.base == base and guo.allowance == R.DEFAULT_DUAL_ALLOWANCE and guo.performance == 0
    assert guo.posts == "书记、主任" and guo.account_no == "6210000000000001"
    assert (
        lines["电商员"].posts == "定补干部（电商营销）"
        and lines["电商员"].amount == R.DEFAULT_BASE_PAY["subsidy"]
    )
    assert batch.total == sum(line.amount for line in lines.values()) and batch.line_count == len(lines)
    services.record_assessment(
        office, world.orgs["branch"], name="甲书记郭凯", year=2024, grade=AssessmentGrade.EXCELLENT,
        evidence="通报", today=TODAY,
    )  # fmt: skip
    feb = services.generate_batch(office, world.orgs["township"], datetime.date(2025, 2, 1), today=TODAY)
    assert feb.lines.get(name="甲书记郭凯").performance == 0  # February is not the performance month
    batch.delete()
    again = services.generate_batch(office, world.orgs["township"], JAN, today=TODAY)
    line = again.lines.get(name="甲书记郭凯")
    assert (
        line.performance == Decimal("1.2") * base * 2 == services.performance_pay(scheme, base, "excellent")
    )
    assert line.summary == "2025年1月村干部基本报酬及2024年度绩效"


def test_refusals(world):
    office = world.user(Role.TOWNSHIP_STAFF)
    township = world.orgs["township"]
    batch = services.generate_batch(office, township, JAN, today=TODAY)
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="镇甲2025年1月已有发放批次，每乡镇每月只生成一次"):
        services.generate_batch(office, township, JAN, today=TODAY)
    with pytest.raises(DomainError, match="不能生成以后月份"):
        services.generate_batch(office, township, datetime.date(2025, 3, 1), today=TODAY)
    with pytest.raises(DomainError, match="批次审核后才能导出"):
        services.bank_rows(office, batch)
    with pytest.raises(ActionDenied):
        services.approve_batch(world.user(Role.READONLY_LEADER), batch)
    assert AuditEvent.objects.count() == events
    batch = services.approve_batch(office, batch)
    with pytest.raises(DomainError, match="已审核，不能改动"):
        services.approve_batch(office, batch)
    with pytest.raises(DomainError, match="已审核，不能改动"):
        services.update_line(office, batch.lines.first(), amount="1")
    rows = services.bank_rows(office, batch)
    assert rows[0][:2] == [1, "甲书记郭凯"] and rows[0][4] == Decimal(3000) and "基本报酬" in rows[0][5]
    empty = create_org(world.root, parent=world.orgs["county"], name="镇甲空", kind="township", code="T9")
    draft = services.generate_batch(world.root, empty, JAN, today=TODAY)
    with pytest.raises(DomainError, match="批次中没有发放明细，不能审核"):
        services.approve_batch(world.root, draft)
    assert PayBatch.objects.get(pk=draft.pk).status == "draft"


def test_scheme_and_assessment_validation(world):
    county = world.orgs["county"]
    good = dict(
        base_pay=R.DEFAULT_BASE_PAY, dual_allowance=500, coefficients=R.DEFAULT_COEFFICIENTS,
        performance_months=2, source="县文件",
    )  # fmt: skip
    with pytest.raises(DomainError, match="缺：副书记、主任、副主任、委员、定补干部"):
        services.set_pay_scheme(world.root, county, **(good | {"base_pay": {"secretary": 1}}))
    with pytest.raises(DomainError, match="绩效月数应在0到12之间"):
        services.set_pay_scheme(world.root, county, **(good | {"performance_months": 13}))
    with pytest.raises(ActionDenied):
        services.set_pay_scheme(world.user(Role.TOWNSHIP_STAFF), county, **good)
    scheme = services.set_pay_scheme(world.root, county, **(good | {"performance_months": 12}))
    assert scheme.performance_months == 12
    with pytest.raises(DomainError, match="得分应在0到100之间"):
        services.record_assessment(
            world.root, world.orgs["branch"], name="甲", year=2024, grade="competent", score=101, evidence="x"
        )  # noqa: E501
    with pytest.raises(DomainError, match="一卡通账号应为数字"):
        services.set_account(world.root, world.orgs["branch"], name="甲", account_no="62ab")
