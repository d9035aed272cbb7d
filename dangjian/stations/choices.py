"""Choices of the stations app, in the words of the 宜君县 report (seed 002)."""

from django.db import models


class Post(models.TextChoices):
    """每个工作站设站长1名，副站长1至2名，配备1至2名专职党务工作者驻扎办公 (002)."""

    CHIEF = "chief", "站长"
    DEPUTY = "deputy", "副站长"
    WORKER = "worker", "专职党务工作者"


class ChecklistItem(models.TextChoices):
    """六个到位 (002): the station's conditions, each checked and evidenced."""

    SITE = "site", "场所到位"
    FACILITIES = "facilities", "设施到位"
    STAFF = "staff", "人员到位"
    LAYOUT = "layout", "布置到位"
    SYSTEMS = "systems", "制度到位"
    FUNDS = "funds", "经费到位"


# What each item means, as the report says it.
CHECKLIST_MEANING: dict[str, str] = {
    ChecklistItem.SITE: "每个站拥有相对独立的空间并悬挂醒目标识牌",
    ChecklistItem.FACILITIES: "活动场所配备通讯、电脑等必要办公设施",
    ChecklistItem.STAFF: "设站长1名、副站长1至2名，配备1至2名专职党务工作者驻扎办公",
    ChecklistItem.LAYOUT: "工作站组织机构、职责任务、工作流程公开上墙",
    ChecklistItem.SYSTEMS: "建立调查研究、督查协调等8项制度",
    ChecklistItem.FUNDS: "工作经费由各乡镇（街道）统筹列支",
}


class System(models.TextChoices):
    """The 8 systems (8项制度) a station establishes (002)."""

    RESEARCH = "research", "调查研究制度"
    SUPERVISION = "supervision", "督查协调制度"
    ATTEND_MEETINGS = "attend_meetings", "列席会议制度"
    CONSULTATION = "consultation", "工作会商制度"
    PROBLEM_LIST = "problem_list", "处理问题清单制度"
    REGULAR_REPORT = "regular_report", "工作定期报告制度"
    ERRAND = "errand", "群众事项代办制度"
    INFO_REPORT = "info_report", "信息报送制度"


class Session(models.TextChoices):
    MORNING = "morning", "上午"
    AFTERNOON = "afternoon", "下午"
