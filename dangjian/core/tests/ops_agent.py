"""`python -m dangjian.core.tests.ops_agent COMMAND …`: seeds a scratch database (and signs off in a
loop) for the process-level tests (test_faults, test_backup); DATABASE_URL names the database. Several
commands may follow one another in one call; the tests read the results back with SQL (ops.query).

    seed                      the test world (dangjian.core.testing.build_world), committed
    roster N FILE             an .xlsx of N new members for branches B1 and B2
    cases N                   N problem cases in branch B1 brought to "accepted", ready to sign off
    restart_cases N           N more of them for the PostgreSQL restart test ("重启测试问题i")
    signoff_loop              sign off every accepted case in pk order, one line per case
    reminders N               N SMS reminders pending for one user ("故障测试提醒#i")
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import django

TAG = "故障测试提醒#"


class SlowSms:
    """An SMS gateway that takes FAULTS_SMS_DELAY seconds per message and keeps its own durable record in
    FAULTS_SMS_LOG, one line per event: "start KEY TITLE" on entry, "accepted KEY TITLE ID" once it has
    taken the message (from then on it is sent), "repeat KEY TITLE ID" for a key it accepted before, which
    it answers with the original id and does not send again (what the channel API asks of a gateway).
    With FAULTS_SMS_HANG_AT=n the n-th call of the process writes "hang KEY TITLE" and hangs until a test
    kills it: before accepting, or with FAULTS_SMS_HANG_WHEN=accepted after accepting, which is the moment
    between the gateway taking a message and the run saving it as sent."""

    calls = 0

    def send(self, to: str, text: str, key: str) -> str:
        log = Path(os.environ["FAULTS_SMS_LOG"])
        title = text.splitlines()[0]
        SlowSms.calls += 1
        hang = SlowSms.calls == int(os.environ.get("FAULTS_SMS_HANG_AT", "0"))
        after = os.environ.get("FAULTS_SMS_HANG_WHEN") == "accepted"
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        accepted = {e[1]: e[3] for e in map(str.split, lines) if e[0] == "accepted"}
        if key in accepted:
            _append(log, f"repeat {key} {title} {accepted[key]}")
            return f"已发送（测试网关 {accepted[key]}）"
        _append(log, f"start {key} {title}")
        if hang and not after:
            _hang(log, key, title)
        time.sleep(float(os.environ.get("FAULTS_SMS_DELAY", "0.2")))
        msg_id = f"m{len(accepted) + 1}"
        _append(log, f"accepted {key} {title} {msg_id}")
        if hang and after:
            _hang(log, key, title)
        return f"已发送（测试网关 {msg_id}）"


def _hang(log: Path, key: str, title: str) -> None:
    _append(log, f"hang {key} {title}")
    time.sleep(60)


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _root():
    from dangjian.accounts.models import User

    return User.objects.get(username="root")


def seed() -> None:
    from django.db import transaction
    from django.test import override_settings

    from dangjian.core.testing import build_world

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            build_world()


def roster(n: int, path: str) -> None:
    import random

    from django.utils import timezone
    from openpyxl import Workbook

    from dangjian.members.choices import DuesCategory, Education, MemberStatus
    from dangjian.members.demo import IdAllocator, draw_member
    from dangjian.members.services.importing import IMPORT_COLUMNS, IMPORT_SHEET

    rng, ids, today = random.Random(f"faults-{n}"), IdAllocator(), timezone.localdate()
    labels = {
        "gender": {"male": "男", "female": "女"},
        "status": dict(MemberStatus.choices),
        "education": dict(Education.choices),
        "dues_category": dict(DuesCategory.choices) | {DuesCategory.EXEMPT: "困难党员"},
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(IMPORT_SHEET)
    ws.append(list(IMPORT_COLUMNS))
    for i in range(n):
        p = draw_member(rng, ids, "890000", today)
        values = {
            "org": ("B1", "B2")[i % 2],
            "name": p.name,
            "gender": labels["gender"][p.gender],
            "ethnicity": "汉族",
            "birth_date": p.birth,
            "id_number": p.id_number,
            "phone": p.phone,
            "education": labels["education"][p.education],
            "occupation": p.occupation,
            "status": labels["status"][p.status],
            "joined_on": p.joined_on,
            "full_on": p.full_on,
            "dues_category": labels["dues_category"][p.dues_category],
            "dues_base": float(p.dues_base) if p.dues_base is not None else None,
        }
        ws.append([values.get(field) for field in IMPORT_COLUMNS.values()])
    wb.save(path)


def cases(n: int, title: str = "故障测试问题") -> None:
    from django.utils import timezone

    from dangjian.cases import services
    from dangjian.cases.choices import CaseKind, Source
    from dangjian.orgs.models import Org

    root, branch = _root(), Org.objects.get(code="B1")
    from dangjian.accounts.models import User

    owner = User.objects.get(username="secretary")
    today = timezone.localdate()
    for i in range(n):
        case = services.open_case(
            root,
            kind=CaseKind.PROBLEM,
            org=branch,
            title=f"{title}{i}",
            source=Source.STATION_INSPECTION,
            owner=owner,
            measures="限期整改",
            opened_on=today,
            today=today,
        )
        services.act(root, case, "start")
        services.act(root, case, "report_done", note="已整改")
        services.act(root, case, "accept")


def signoff_loop() -> None:
    from dangjian.cases import services
    from dangjian.cases.models import Case

    root = _root()
    for case in Case.objects.filter(title__startswith="故障测试问题", state="accepted").order_by("pk"):
        services.act(root, case, "sign_off", note="验收合格，予以销号")
        print(f"signed {case.pk}", flush=True)


def reminders(n: int) -> None:
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.notifications import services, sources
    from dangjian.notifications.models import Kind, Preference

    user = User.objects.create_user("faultsms", password=None, real_name="短信测试", phone="13900000000")
    Preference.objects.create(user=user, email=False, sms=True, wechat=False)
    today = timezone.localdate()
    items = [
        sources.Item(
            key=f"faults:{i}",
            kind=Kind.OTHER,
            section=sources.DUE,
            title=f"{TAG}{i}",
            body="请办理",
            org_name="村甲一",
            due=today,
            url="/",
            users={user.pk},
        )
        for i in range(n)
    ]
    services.create_notifications(items)
    services.fan_out(timezone.now())


COMMANDS = {
    "seed": (0, lambda: seed()),
    "roster": (2, lambda n, path: roster(int(n), path)),
    "cases": (1, lambda n: cases(int(n))),
    "restart_cases": (1, lambda n: cases(int(n), "重启测试问题")),
    "signoff_loop": (0, lambda: signoff_loop()),
    "reminders": (1, lambda n: reminders(int(n))),
}


def main(argv: list[str]) -> None:
    """Run one or more commands in one process (Django's start-up is most of a small command's time)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    django.setup()
    while argv:
        arity, run = COMMANDS[argv[0]]
        run(*argv[1 : 1 + arity])
        argv = argv[1 + arity :]


if __name__ == "__main__":
    main(sys.argv[1:])
