"""Members and development cases of the generated province: exact counts, valid unique IDs, cases
consistent with their steps, and the same rows for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import Settings

from dangjian.accounts.demo import generate_province
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.development.models import CaseContact, CaseStatus, CaseStep, DevelopmentCase
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, MobileRecord, Person
from dangjian.members.services.identity import parse_id
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

SMALL = {"counties": 1, "townships": 1, "branches": 3, "grids": 1, "members": 5}


@pytest.fixture(autouse=True)
def fast_hasher(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot() -> list[tuple]:
    """What the generator wrote, without ids and timestamps (which depend on what was there before)."""
    people = Person.objects.order_by("id_number").values_list(
        "org__code", "name", "gender", "birth_date", "id_number", "phone", "education", "occupation"
    )
    members = Member.objects.order_by("person__id_number").values_list(
        "person__id_number", "status", "joined_on", "full_on", "is_mobile", "dues_category", "dues_base"
    )
    cases = DevelopmentCase.objects.order_by("person__id_number").values_list(
        "person__id_number",
        "status",
        "stage",
        "next_step",
        "next_due",
        "applied_on",
        "member__person__id_number",
    )
    steps = CaseStep.objects.order_by("case__person__id_number", "done_on", "code").values_list(
        "case__person__id_number", "code", "done_on"
    )
    return [list(people), list(members), list(cases), list(steps)]


@pytest.mark.django_db
def test_small_province_counts_and_validity() -> None:
    counts = generate_province(seed=9, **SMALL)
    branches = Org.objects.filter(kind=OrgKind.BRANCH, code__startswith="G9-")
    assert branches.count() == 3
    assert counts["member"] == Member.objects.count() == 15
    for branch in branches:
        assert Member.objects.filter(org=branch).count() == 5
    assert counts["development_case"] == DevelopmentCase.objects.count() == 6
    applicants_only = DevelopmentCase.objects.filter(member__isnull=True).count()
    assert counts["person"] == Person.objects.count() == 15 + applicants_only
    assert counts["mobile"] == MobileRecord.objects.count() == Member.objects.filter(is_mobile=True).count()
    assert counts["case_step"] == CaseStep.objects.count()
    for number, birth, gender in Person.objects.values_list("id_number", "birth_date", "gender"):
        assert number.startswith("990001")  # 9 + seed's last digit + county number
        assert parse_id(number)[1:] == (birth, gender)
    for case in DevelopmentCase.objects.select_related("member", "person"):
        assert case.steps.filter(code="application", done_on=case.applied_on).exists()
        if case.member is not None:
            assert case.member.person == case.person and case.member.org_id == case.org_id
            assert case.member.joined_on == case.admitted_on
            expected = MemberStatus.FULL if case.status == CaseStatus.FULL else MemberStatus.PROBATIONARY
            assert case.member.status == expected
        assert case.next_step or case.status == CaseStatus.FULL
    for contact in CaseContact.objects.select_related("member", "case"):
        assert contact.member.org_id == contact.case.org_id and contact.member.status == MemberStatus.FULL
    events = AuditEvent.objects.filter(action="org.import")
    assert events.count() == 1 and events.get().after["member"] == 15


@pytest.mark.django_db
def test_same_seed_same_rows() -> None:
    with transaction.atomic():
        generate_province(seed=9, **SMALL)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    generate_province(seed=9, **SMALL)
    assert snapshot() == first
    assert first[0] and first[3]


@pytest.mark.django_db
def test_seed_sharing_id_prefix_is_refused() -> None:
    generate_province(seed=9, **SMALL)
    before = Person.objects.count()
    with pytest.raises(DomainError, match="尾数"):
        generate_province(seed=19, **SMALL)
    assert Person.objects.count() == before
    assert not Org.objects.filter(code="G19").exists()


@pytest.mark.django_db
def test_command_members_option() -> None:
    out = StringIO()
    args = ["--counties", "1", "--townships", "1", "--branches", "4", "--members", "3", "--seed", "5"]
    call_command("gen_province", *args, stdout=out)
    assert "党员：12" in out.getvalue()
    assert Member.objects.count() == 12
