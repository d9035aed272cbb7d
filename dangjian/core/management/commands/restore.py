"""`manage.py restore FILE [--force]` (`make restore BACKUP=FILE [FORCE=1]`): put a backup back and verify
every table's row count and checksum against its manifest. Refuses a database that already has data
unless forced."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import backup
from dangjian.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份恢复数据库并按清单核对各表行数与校验值（目标库已有数据时须加 --force）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="备份文件（.dump 或 .sqlite3），默认最新一份")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然覆盖")

    def handle(self, *args, **options):
        path = Path(options["file"]) if options.get("file") else backup.latest()
        if path is None:
            raise CommandError("没有找到备份文件，请用 BACKUP=文件 指定。")
        try:
            r = backup.restore(path, force=options["force"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {path} 恢复并核对 {r.tables} 张表、{r.rows} 行，"
                f"与清单一致（用时 {r.seconds:.1f} 秒）。"
            )
        )
