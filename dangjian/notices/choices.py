from django.db import models


class Audience(models.TextChoices):
    """Who a study push goes to: every member on the roll of the subtree, or only those working away."""

    ALL = "all", "全体党员"
    MOBILE = "mobile", "流动党员"


class TrainingKind(models.TextChoices):
    CENTRAL = "central", "集中培训"
    ONLINE = "online", "线上研讨（座谈）"
    LECTURE = "lecture", "专题党课"
    SEMINAR = "seminar", "专题辅导（讲座）"
    PRACTICE = "practice", "实操培训（模拟演练）"
    OTHER = "other", "其他"


class ReceiptStatus(models.TextChoices):
    """How far a recipient has got with a notice, as the receipt list filters it."""

    UNREAD = "unread", "未读"
    READ = "read", "已读未签"
    SIGNED = "signed", "已签收"
    OVERDUE = "overdue", "逾期未签"


# Attachments: the documents offices send (PDF, Word, Excel) and photos; checked by name and content.
ATTACHMENT_TYPES = frozenset({"pdf", "docx", "xlsx", "jpg", "jpeg", "png", "gif", "webp"})
ATTACHMENT_MAX_MB = 10
ATTACHMENT_MAX_COUNT = 10
