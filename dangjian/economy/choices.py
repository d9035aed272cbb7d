from django.db import models


class IncomeKind(models.TextChoices):
    """Where a village's collective income comes from (seed 000: 韩家楼村“出租+绩效+分红”; seed 001:
    柏林峁村入股老牛湾村分红)."""

    RENT = "rent", "资产出租"
    CONTRACT = "contract", "资源发包"
    PERFORMANCE = "performance", "经营绩效"
    DIVIDEND = "dividend", "投资分红"
    SHARE = "share", "入股他村分红"
    OTHER = "other", "其他"


class Band(models.TextChoices):
    NONE = "none", "无收入（空壳村）"
    WEAK = "weak", "5万元以下（薄弱村）"
    B5 = "5-10", "5万—10万元"
    B10 = "10-50", "10万—50万元"
    B50 = "50-100", "50万—100万元"
    B100 = "100+", "100万元以上"


class AssetKind(models.TextChoices):
    """集体资产的类别（种子000：韩家楼村盘活机动地、粮库等资产）。"""

    RESERVE_LAND = "reserve_land", "储备地（机动地）"
    GRANARY = "granary", "粮仓（粮库）"
    BUILDING = "building", "房屋建筑"
    EQUIPMENT = "equipment", "设备"
    OTHER = "other", "其他"


class AssetUnit(models.TextChoices):
    MU = "mu", "亩"
    SQM = "sqm", "平方米"
    SEAT = "seat", "座"
    SET = "set", "台"
    ITEM = "item", "处"


class AssetUse(models.TextChoices):
    """资产的现状用途。"""

    IDLE = "idle", "闲置"
    SELF_RUN = "self_run", "自营"
    RENTED = "rented", "出租"
    CONTRACTED = "contracted", "发包"
    SHAREHOLDING = "shareholding", "入股"


class ContractUse(models.TextChoices):
    """合同的方式；各自对应的收入来源见 services.INCOME_OF。"""

    RENTED = "rented", "出租"
    CONTRACTED = "contracted", "发包"
    SHAREHOLDING = "shareholding", "入股"
