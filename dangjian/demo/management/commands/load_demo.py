"""`manage.py load_demo`: the demo counties from the source reports and their logins."""

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.accounts.demo import DEMO_PASSWORD, load_demo
from dangjian.core.errors import DomainError


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Chinese characters take two columns in a terminal, so ljust alone misaligns the table."""
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "载入演示数据：五寨县、偏关县老牛湾镇、宜君县、交城县、大兴区安定镇及演示账号（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo(stdout=self.stdout)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = [("用户名", "角色", "组织", "职务"), *result["logins"]]
        widths = [max(_width(row[i]) for row in rows) + 2 for i in range(4)]
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}，仅在演示登录开启时可用）：")
        for row in rows:
            self.stdout.write("".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
