"""The province generator adds one notice from the province with a receipt per county admin. What the demo
counties load (前所乡's 84 pushes, the trainings, two notices with partial read-sign) is checked against one
load of the whole demo in dangjian/demo/tests/test_load_demo.py."""

import pytest

from dangjian.accounts.demo import generate_province
from dangjian.core.roles import Role
from dangjian.notices import demo
from dangjian.notices.models import (
    Notice,
    NoticeReceipt,
)

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.mark.django_db
def test_province_gets_one_notice_to_its_county_admins(settings):
    settings.PASSWORD_HASHERS = [MD5]
    counts = generate_province(seed=11, counties=2, townships=1, branches=3, grids=1, members=2)
    assert counts["notice"] == 1 and counts["notice_receipt"] == 2
    notice = Notice.objects.get(org__code__startswith="G11")
    assert notice.org.kind == "province" and notice.kinds == ["county"] and notice.recipient_count == 2
    receipts = NoticeReceipt.objects.filter(notice=notice).select_related("org")
    assert {r.org.kind for r in receipts} == {"county"} and {r.role for r in receipts} == {Role.COUNTY_ADMIN}
    assert set(demo.PROVINCE_LABELS) == {"notice", "notice_receipt"}
