"""This app's part of the two-county test world: one 3+X analysis (with one topic) in county 甲 and
one in 外县. Tiny: no files are built here."""

from __future__ import annotations

from django.utils import timezone

from dangjian.core.roles import Role

from . import services


def populate(world) -> None:
    o = world.orgs
    month = timezone.localdate().replace(day=1)
    admin, out_admin = world.users[Role.COUNTY_ADMIN], world.users["out_admin"]
    review = services.create_review(admin, org=o["county"], month=month)
    out_review = services.create_review(out_admin, org=o["out_county"], month=month)
    world.reviews = {"review": review, "out_review": out_review}
    world.review_topics = {
        "topic": services.add_topic(
            admin, review, title="县甲专题：村集体经济政策解读", department=world.departments["dept"]
        ),
        "out_topic": services.add_topic(
            out_admin, out_review, title="外县专题研讨", department=world.departments["out_dept"]
        ),
    }
