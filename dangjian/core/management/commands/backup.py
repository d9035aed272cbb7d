"""`manage.py backup [--dir DIR]` (`make backup`): the database and a manifest of each table's row count and
checksum, written to var/backups/<UTC timestamp>.dump|.sqlite3 and .json."""

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import backup
from dangjian.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump -Fc，SQLite 用在线备份），并写出各表行数与校验值清单"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录，默认 var/backups/")

    def handle(self, *args, **options):
        try:
            r = backup.backup(options.get("dir"))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        tables = r.manifest["tables"]
        self.stdout.write(
            f"已备份 {len(tables)} 张表、{sum(t['rows'] for t in tables.values())} 行，"
            f"{r.manifest['size'] / 1e6:.1f} MB，用时 {r.seconds:.1f} 秒：\n{r.path}\n清单：{r.manifest_path}"
        )
