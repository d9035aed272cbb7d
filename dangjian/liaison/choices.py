from django.db import models


class DeputyKind(models.TextChoices):
    PARTY = "party", "党代表"
    NPC = "npc", "人大代表"
    CPPCC = "cppcc", "政协委员"


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"


class ContactWay(models.TextChoices):
    VISIT = "visit", "走访入户"
    RECEPTION = "reception", "联络站接待"
    MEETING = "meeting", "列席支部会议"
    PHONE = "phone", "电话/微信"
