"""`manage.py send_reminders [--today YYYY-MM-DD] [--dry-run]`: make and send the reminders.

Safe to run every few minutes from cron or a systemd timer, and to interrupt: running it twice sends
nothing twice (see dangjian.notifications.services.run_reminders). Example crontab line:
    */5 * * * * cd /srv/dangjian && .venv/bin/python manage.py send_reminders >> var/log/reminders.log 2>&1
"""

import datetime
import signal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dangjian.notifications.services import run_reminders
from dangjian.notifications.sources import SOURCES


class Command(BaseCommand):
    help = "生成到期、逾期和待办提醒，并按各人设置的渠道发送（可反复运行，不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期计算到期与逾期（YYYY-MM-DD），默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只统计将生成的提醒，不写入、不发送")
        parser.add_argument("--no-escalate", action="store_true", help="不执行逾期案件自动上报")
        parser.add_argument(
            "--source", action="append", choices=sorted(SOURCES), help="只运行这些提醒来源（可多次指定）"
        )

    def handle(self, *args, **options):
        # `systemctl stop` sends SIGTERM: end like Ctrl-C, so the delivery being sent gives its claim back.
        signal.signal(signal.SIGTERM, _interrupted)
        today = now = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
            # Keep the time of day, so a digest hour means the same on that date.
            local = timezone.localtime()
            now = timezone.make_aware(datetime.datetime.combine(today, local.time().replace(tzinfo=None)))
        r = run_reminders(
            today,
            now,
            dry_run=options["dry_run"],
            escalate=not options["no_escalate"],
            only=options.get("source"),
        )
        sources = "，".join(f"{k} {v}" for k, v in r.by_source.items())
        if options["dry_run"]:
            self.stdout.write(
                f"［试运行］将上报逾期案件 {r.escalated} 件；提醒事项 {r.items} 条（{sources}）；"
                f"将新建消息 {r.created} 条；待发送 {r.pending} 条。\n"
            )
            return
        self.stdout.write(
            f"已上报逾期案件 {r.escalated} 件；提醒事项 {r.items} 条（{sources}）；新建消息 {r.created} 条，"
            f"登记发送 {r.deliveries} 条，每日汇总 {r.digests} 份；已发送 {r.sent} 条，"
            f"待重试 {r.retry} 条，失败 {r.failed} 条，仍待发送 {r.pending} 条。\n"
        )


def _interrupted(signum, frame):
    raise KeyboardInterrupt
