"""The demo (seed 004, 安定镇): six joint branches, each with a secretary (第二's is the joint_anding login),
25 deputies looking after villages of their own branch only, the 33 village secretaries as members; 大兴区
gives the appraisal and 第二联村党总支 has used it on 后安定村; a second load creates nothing."""

from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.core.dates import add_months
from dangjian.core.rules import rule_value
from dangjian.joint import demo, selectors
from dangjian.joint.choices import PostKind
from dangjian.joint.models import JointPost
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.scoring import demo as scoring_demo
from dangjian.scoring.models import Score
from dangjian.villages import demo as villages_demo

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                created, skipped = Counter(), Counter()
                admin = account_demo.ensure_admin(make_password("x"), created, skipped)
                org_demo.load_demo_orgs(admin, created, skipped)
                account_demo.load_demo_users(admin, make_password("x"), created, skipped)
                villages_demo.load_demo(admin, created, skipped, today=TODAY)
                scoring_demo.load_demo(admin, created, skipped, today=TODAY)
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
            yield first, again, skipped_again
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def test_the_six_teams_of_anding_as_the_report_gives_them(loaded):
    first, again, skipped_again = loaded
    township = Org.objects.get(code=org_demo.code_of("安定镇"))
    joints = list(Org.objects.filter(parent=township, kind="joint_branch").order_by("sort_order"))
    assert len(joints) == 6
    assert JointPost.objects.filter(kind=PostKind.SECRETARY, until__isnull=True).count() == 6
    assert JointPost.objects.filter(kind=PostKind.DEPUTY, until__isnull=True).count() == 25
    assert first["联村党总支班子成员"] == 31 and not again["联村党总支班子成员"]
    assert skipped_again["联村党总支班子成员"] == 6
    for post in JointPost.objects.prefetch_related("villages").select_related("org"):
        assert post.villages.exists() == (post.kind == PostKind.DEPUTY)
        assert all(v.path.startswith(post.org.path) for v in post.villages.all())
    login = User.objects.get(username="joint_anding")
    second = JointPost.objects.get(org__name="第二联村党总支", kind=PostKind.SECRETARY)
    assert second.user == login and second.name == login.real_name
    rosters = selectors.rosters(login, [j for j in joints if j.name == "第二联村党总支"])
    assert [v.name for v, _ in rosters[0].members][0] == "后安定村"
    assert all(p is not None for _, p in rosters[0].members)


def test_every_village_of_anding_is_a_member_once(loaded):
    admin = User.objects.get(username="admin")
    township = Org.objects.get(code=org_demo.code_of("安定镇"))
    joints = list(Org.objects.filter(parent=township, kind="joint_branch"))
    rosters = selectors.rosters(admin, joints)
    members = [v.name for r in rosters for v, p in r.members if p is not None]
    assert len(members) == len(set(members)) == 33


def test_daxing_gives_the_appraisal_and_the_joint_branch_has_used_it(loaded):
    county = Org.objects.get(code=org_demo.code_of("大兴区"))
    assert rule_value("scoring.joint_appraisal", county) is True
    last = add_months(TODAY.replace(day=1), -1)
    scores = Score.objects.filter(org__name="后安定村", period=f"{last:%Y-%m}", indicator__code="B5")
    if last.year != TODAY.year:
        pytest.skip("in January the demo's indicator set is this year's and last month is last year's")
    score = scores.get()
    assert score.entered_by.username == "joint_anding" and score.note.startswith("第二联村党总支评议")
