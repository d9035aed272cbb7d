"""`manage.py escalate_cases`: move overdue cases one level up (村→镇→县). Safe to run from cron any
number of times a day: a case moves at most once per its county's escalation interval."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from dangjian.cases.services import escalate_overdue


class Command(BaseCommand):
    help = "逾期未办结的案件自动上报上一级"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断逾期（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        moved = escalate_overdue(today)
        self.stdout.write(f"已上报 {moved} 件逾期案件。\n")
