"""五寨县's 3+X monthly analysis (seed 000: "每月末县委组织部牵头，以“3+X”模式开展乡镇党建办工作分析"): the
last two months, each with a special topic and the department invited to explain a policy; the earlier
one published to the county with read-sign, the latest one still being prepared. Its figures are the
county's monthly key tasks of the tasks demo, read live."""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_months, month_start
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Department, Org

from . import services
from .models import MonthlyReview

DEMO_LABELS: tuple[str, ...] = ("3+X月度分析",)
PROVINCE_LABELS: dict[str, str] = {}
SHANGHAI = ZoneInfo("Asia/Shanghai")
# (months back, topic, department code suffix, notes)
TOPICS = (
    (
        2,
        "村级集体经济项目资金使用政策解读",
        "D-CZ",
        "县财政局解读专项资金拨付和使用规定，现场答复韩家楼乡、前所乡关于项目资金拨付进度的问题。",
    ),
    (
        1,
        "网格吹哨、部门报到办理时限",
        "D-ZJ",
        "县住建局介绍阳光家园小区停车难的办理经过，明确吹哨事项3日内响应、7日内办结的要求。",
    ),
)


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add 五寨县's two monthly analyses (idempotent: a second run creates nothing)."""
    today = today or timezone.localdate()
    county = Org.objects.filter(code=org_demo.code_of("五寨县")).first()
    if county is None:
        return
    with transaction.atomic():
        for back, title, dept_code, notes in TOPICS:
            month = add_months(month_start(today), -back)
            if MonthlyReview.objects.filter(org=county, month=month).exists():
                skipped["3+X月度分析"] += 1
                continue
            created["3+X月度分析"] += 1
            review = services.create_review(admin, org=county, month=month, today=today)
            department = Department.objects.filter(county=county, code__endswith=dept_code).first()
            services.add_topic(
                admin, review, title=title, agenda="政策解读、现场答疑", department=department, notes=notes
            )
            services.update_review(
                admin,
                review,
                praise_note="完成情况好的乡镇在全县党建办例会上作交流发言。",
                rectification_note="排名靠后的乡镇党建办主任作表态发言，一周内报送整改措施。",
            )
            if back == 2:
                published = datetime.datetime.combine(add_months(month, 1), datetime.time(10), SHANGHAI)
                services.publish_review(admin, review, base_url="http://127.0.0.1:8000", now=published)
        if created["3+X月度分析"]:
            audit.record(
                admin, "reviews.demo", None, org=county, after={"3+X月度分析": created["3+X月度分析"]},
                note=f"载入五寨县3+X月度分析演示数据：{created['3+X月度分析']}份",
            )  # fmt: skip


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """The generated province's counties write their own analyses; the benchmark builds one."""
    return {}
