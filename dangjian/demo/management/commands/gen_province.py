"""`manage.py gen_province`: a synthetic province of a chosen size, for load tests and benchmarks."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.accounts.demo import PROVINCE_LABELS, generate_province
from dangjian.core.errors import DomainError

ORG_KINDS = ("province", "city", "county", "township", "station", "branch")


class Command(BaseCommand):
    help = "生成一个演示省（可复现：同一种子得到同样的名称和编码；同一种子只能生成一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counties", type=int, default=100, help="县的个数（默认100）")
        parser.add_argument("--townships", type=int, default=12, help="每县乡镇数（默认12）")
        parser.add_argument("--branches", type=int, default=20, help="每乡镇村党支部数（默认20）")
        parser.add_argument("--grids", type=int, default=2, help="每乡镇网格数（默认2）")
        parser.add_argument("--members", type=int, default=100, help="每村党员数（默认100）")
        parser.add_argument("--cases", type=int, default=2, help="每村发展党员档案数（默认2）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，决定名称和编码前缀 G<种子>")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seed"] < 0:
            raise CommandError("种子须为非负整数。")
        started = time.monotonic()
        try:
            counts = generate_province(
                seed=options["seed"],
                counties=options["counties"],
                townships=options["townships"],
                branches=options["branches"],
                grids=options["grids"],
                members=options["members"],
                cases=options["cases"],
            )
        except (DomainError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        for key, label in PROVINCE_LABELS.items():
            self.stdout.write(f"{label}：{counts[key]:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示省 G{options['seed']}，共 {sum(counts[k] for k in ORG_KINDS):,} 个组织，"
                f"用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
