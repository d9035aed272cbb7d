"""manage.py import_members 花名册.xlsx|.csv --user 用户名 [--commit]: the web import, for files too big to
upload comfortably. Same service, same checks, same single audit event."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.models import User
from dangjian.core.errors import DomainError
from dangjian.members.services.importing import import_members


class Command(BaseCommand):
    help = "从 .xlsx 或 .csv 导入党员花名册：默认只检查，加 --commit 才写入（整份文件无误时一次写入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 或 .csv 文件路径")
        parser.add_argument("--user", required=True, help="以该用户的身份和管辖范围导入（用户名）")
        parser.add_argument("--commit", action="store_true", help="检查通过后写入")

    def handle(self, *args, file, user, commit, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到用户“{user}”。")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"已检查 {done}/{total} 行（{time.monotonic() - started:.1f} 秒）")

        try:
            with open(file, "rb") as upload:
                report = import_members(actor, upload, dry_run=not commit, progress=progress)
        except (OSError, DomainError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        for err in report.errors:
            self.stdout.write(f"第{err.row}行\t{err.column}\t{err.message}")
        elapsed = time.monotonic() - started
        if not report.ok:
            raise CommandError(f"发现{len(report.errors)}处问题，未写入任何数据（用时{elapsed:.1f}秒）。")
        if commit:
            self.stdout.write(self.style.SUCCESS(f"已导入{report.created}名党员（用时{elapsed:.1f}秒）。"))
        else:
            self.stdout.write(f"检查通过：共{report.rows}行，可加 --commit 导入（用时{elapsed:.1f}秒）。")
