"""This app's part of the two-county test world: in 村甲一 and in 外村 two reserve cadres, one mentored by
the village secretary (an activity, an evaluation) and one chosen as deputy secretary with the trail and a
coaching session; in each county a pay scheme, in each township an approved batch (so every route has an
out-of-scope row)."""

from __future__ import annotations

import datetime

from dangjian.members.choices import Education, Gender
from dangjian.villages.models import Committee, Post, PostKind

from . import services
from .choices import ActivityKind, AssessmentGrade, Grade, PoliticalStatus

TODAY = datetime.date(2024, 6, 15)


def populate(world) -> None:
    root, o = world.root, world.orgs
    day = datetime.date(2024, 4, 1)
    for county, township, branch, tag in (
        ("county", "township", "branch", "甲"),
        ("out_county", "out_township", "out_branch", "外"),
    ):
        kw = dict(
            education=Education.COLLEGE, political_status=PoliticalStatus.MEMBER, entered_on=day, today=TODAY
        )
        first = services.add_reserve(
            root,
            o[branch],
            name=f"{tag}后备一",
            gender=Gender.FEMALE,
            birth_date=datetime.date(1992, 5, 1),
            **kw,
        )
        second = services.add_reserve(
            root,
            o[branch],
            name=f"{tag}后备二",
            gender=Gender.MALE,
            birth_date=datetime.date(1990, 1, 9),
            **kw,
        )
        secretary = Post.objects.get(org=o[branch], kind=PostKind.SECRETARY)
        m = services.start_mentorship(root, first, mentor_post=secretary, started_on=day, today=TODAY)
        services.add_activity(
            root, m, kind=ActivityKind.SHADOWING, held_on=day, note="跟岗处理村务", today=TODAY
        )
        services.evaluate(
            root,
            m,
            evaluated_on=day,
            grade=Grade.GOOD,
            comment="进步明显",
            evaluator=f"{tag}镇党委",
            today=TODAY,
        )
        committee = Committee.objects.get(org=o[branch])
        selection = services.choose_from_pool(
            root,
            second,
            committee,
            PostKind.DEPUTY_SECRETARY,
            decided_on=day,
            basis=f"{tag}镇党委会议纪要〔2024〕3号",
            considered=[first],
            today=TODAY,
        )
        coaching = services.start_coaching(
            root,
            selection.post,
            coach_name=f"{tag}镇党建办主任",
            started_on=day,
            selection=selection,
            today=TODAY,
        )
        services.add_coaching_session(root, coaching, held_on=day, topic="三会一课", today=TODAY)
        services.set_default_scheme(root, o[county], today=TODAY)
        services.record_assessment(
            root,
            o[branch],
            name=f"{tag}书记郭凯",
            year=2023,
            grade=AssessmentGrade.EXCELLENT,
            evidence="年度考核通报",
        )
        services.set_account(root, o[branch], name=f"{tag}书记郭凯", account_no="6210000000000001")
        batch = services.generate_batch(root, o[township], datetime.date(2024, 5, 1), today=TODAY)
        services.approve_batch(root, batch)
