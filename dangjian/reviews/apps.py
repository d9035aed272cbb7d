from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangjian.reviews"
    label = "reviews"
    verbose_name = "3+X月度分析"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, checks, rules  # noqa: F401  (registers the rules and checks)

        ACTION_LABELS.update(audit_labels.LABELS)
