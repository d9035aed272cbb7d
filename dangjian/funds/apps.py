from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "dangjian.funds"
    label = "funds"
    verbose_name = "专项资金"

    def ready(self):
        from dangjian.core.audit_labels import ACTION_LABELS

        from . import audit_labels, rules  # noqa: F401  (registers the rules)

        ACTION_LABELS.update(audit_labels.LABELS)
