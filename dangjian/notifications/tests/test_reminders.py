"""send_reminders: idempotent, interruptible, digests once a day, preferences honoured; and each source
of reminders finds the right people."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notifications import channels, services, sources
from dangjian.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Kind,
    LoggedMessage,
    Notification,
    Preference,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 10)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


NOW = at(DAY, 9)


def _people(world):
    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    for u, addr in ((sec, "sec@example.cn"), (chief, "chief@example.cn")):
        u.email = addr
        u.save(update_fields=["email"])
    return sec, chief


def _items(users, n=3, kind=Kind.TASK, prefix="item"):
    return [
        sources.Item(
            key=f"{prefix}:{i}",
            kind=kind,
            section=sources.DUE,
            title=f"测试提醒{prefix}{i}",
            body="请办理",
            org_name="村甲一",
            due=DAY,
            url="/cases/",
            users={u.pk for u in users},
        )
        for i in range(n)
    ]


@pytest.fixture
def fake(monkeypatch):
    """Replace every real source by a list the test controls."""
    box: list = []
    monkeypatch.setattr(sources, "SOURCES", {"fake": lambda ctx: list(box)})
    return box


def run(now=NOW, today=None):
    return services.run_reminders(today or timezone.localdate(now), now, escalate=False)


def test_running_twice_sends_nothing_twice(world, fake):
    sec, chief = _people(world)
    fake.extend(_items([sec, chief]))
    first = run()
    assert (first.created, first.sent) == (6, 6)
    assert len(mail.outbox) == 6
    assert Delivery.objects.filter(channel=Channel.INAPP, state=DeliveryState.SENT).count() >= 6
    rows = Delivery.objects.count()
    second = run(NOW + datetime.timedelta(minutes=5))
    assert (second.created, second.deliveries, second.sent) == (0, 0, 0)
    assert len(mail.outbox) == 6 and Delivery.objects.count() == rows
    assert Notification.objects.filter(user=sec, key__startswith="item:").count() == 3
    sent = Delivery.objects.get(notification__user=sec, notification__key="item:0", channel=Channel.EMAIL)
    assert (sent.state, sent.address, sent.attempts, sent.sent_at) == ("sent", "sec@example.cn", 1, NOW)


class Flaky(channels.EmailChannel):
    """Email that works `ok` times, then raises `error` every time."""

    def __init__(self, ok: int, error: BaseException):
        self.ok, self.error, self.calls = ok, error, 0

    def send(self, user, notification, address, key):
        self.calls += 1
        if self.calls > self.ok:
            raise self.error
        return super().send(user, notification, address, key)


def _emails_per_notification() -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in mail.outbox:
        key = f"{m.to[0]}|{m.subject}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_interrupted_run_then_rerun_delivers_each_exactly_once(world, fake, monkeypatch):
    sec, chief = _people(world)
    fake.extend(_items([sec, chief], n=4))
    monkeypatch.setitem(channels.CHANNELS, Channel.EMAIL, Flaky(3, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        run()
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(channel=Channel.EMAIL, state=DeliveryState.SENT).count() == 3
    # The interrupted one gave its claim back: the re-run at once sends the other five, nothing twice.
    monkeypatch.setitem(channels.CHANNELS, Channel.EMAIL, channels.EmailChannel())
    again = run(NOW + datetime.timedelta(seconds=30))
    assert (again.created, again.sent) == (0, 5)
    assert len(mail.outbox) == 8
    assert set(_emails_per_notification().values()) == {1}
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exclude(state=DeliveryState.SENT).exists()
    assert run(NOW + datetime.timedelta(minutes=1)).sent == 0


def test_killed_run_leaves_a_claim_that_expires(world, fake):
    """kill -9 between claim and send: an overlapping run leaves the claimed row alone; once the claim
    expires the next run sends it."""
    sec, _ = _people(world)
    fake.extend(_items([sec], n=2))
    services.create_notifications(fake)
    services.fan_out(NOW)
    first = Delivery.objects.filter(channel=Channel.EMAIL).order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(locked_until=NOW + services.LOCK, attempts=1)
    assert run().sent == 1
    assert Delivery.objects.get(pk=first.pk).state == DeliveryState.PENDING
    assert run(NOW + services.LOCK + datetime.timedelta(seconds=1)).sent == 1
    assert Delivery.objects.get(pk=first.pk).state == DeliveryState.SENT
    assert len(mail.outbox) == 2


def test_a_failing_channel_is_retried_later_and_given_up_after_max_attempts(world, fake, monkeypatch):
    sec, chief = _people(world)
    fake.extend(_items([sec, chief], n=2))
    monkeypatch.setitem(channels.CHANNELS, Channel.EMAIL, Flaky(2, RuntimeError("SMTP 连接失败")))
    first = run()
    assert (first.sent, first.retry, first.failed) == (2, 2, 0)
    waiting = Delivery.objects.filter(channel=Channel.EMAIL, state=DeliveryState.PENDING)
    assert waiting.count() == 2 and all("SMTP 连接失败" in d.detail for d in waiting)
    assert run(NOW + datetime.timedelta(minutes=1)).sent == 0  # not before the retry time
    monkeypatch.setitem(channels.CHANNELS, Channel.EMAIL, channels.EmailChannel())
    assert run(NOW + services.RETRY + datetime.timedelta(seconds=1)).sent == 2
    assert set(_emails_per_notification().values()) == {1} and len(mail.outbox) == 4
    # A channel that never works is given up after MAX_ATTEMPTS, with the reason in the log.
    fake.extend(_items([sec], n=1, prefix="broken"))
    monkeypatch.setitem(channels.CHANNELS, Channel.EMAIL, Flaky(0, RuntimeError("退信")))
    moment = NOW + datetime.timedelta(hours=1)
    for _ in range(services.MAX_ATTEMPTS):
        run(moment)
        moment += services.RETRY * services.MAX_ATTEMPTS
    broken = Delivery.objects.get(notification__key="broken:0", channel=Channel.EMAIL)
    assert (broken.state, broken.attempts) == (DeliveryState.FAILED, services.MAX_ATTEMPTS)
    assert "退信" in broken.detail


class Gateway:
    """An SMS gateway that remembers keys as a real one must: a key accepted before is answered with its
    original message id and not sent again. The first `fail` calls accept the message but raise, as a
    gateway that timed out after accepting looks to the caller."""

    accepted: dict[str, str] = {}
    calls: list[str] = []
    fail = 0

    def send(self, to: str, text: str, key: str) -> str:
        Gateway.calls.append(key)
        Gateway.accepted.setdefault(key, f"msg-{len(Gateway.accepted) + 1}")
        if len(Gateway.calls) <= Gateway.fail:
            raise TimeoutError("网关超时")
        return f"网关已受理：{Gateway.accepted[key]}"


def _sms_user(world, wechat=False):
    chief = world.user(Role.STATION_CHIEF)
    chief.phone = "13900001111"
    chief.save(update_fields=["phone"])
    services.save_preferences(chief, email=False, sms=True, wechat=wechat, digest=False, digest_hour=8)
    return chief


def _killed_before_saving_sent(rows) -> None:
    """What a run killed after the gateway accepted, before "sent" was saved, leaves (claim expired)."""
    rows.update(state=DeliveryState.PENDING, sent_at=None, detail="", locked_until=None)


def test_one_key_per_delivery_so_a_gateway_never_sends_it_twice(world, fake, settings, monkeypatch):
    settings.NOTIFY_SMS_BACKEND = f"{__name__}.Gateway"
    monkeypatch.setattr(Gateway, "accepted", {})
    monkeypatch.setattr(Gateway, "calls", [])
    monkeypatch.setattr(Gateway, "fail", 1)
    chief = _sms_user(world)
    fake.extend(_items([chief], n=2))
    first = run()
    assert (first.sent, first.retry) == (1, 1)
    sms = Delivery.objects.filter(channel=Channel.SMS).order_by("pk")
    keys = [d.send_key for d in sms]
    assert len(set(keys)) == 2 and all(len(k) == 32 for k in keys)
    # The retry after the timeout carries the same key: the gateway answers with the first message.
    assert run(NOW + services.RETRY + datetime.timedelta(seconds=1)).sent == 1
    assert [d.send_key for d in sms] == keys and set(sms.values_list("state", flat=True)) == {"sent"}
    assert sorted(sms.values_list("detail", flat=True)) == ["网关已受理：msg-1", "网关已受理：msg-2"]
    _killed_before_saving_sent(sms)
    assert run(NOW + datetime.timedelta(hours=1)).sent == 2
    assert [d.send_key for d in sms] == keys and len(Gateway.calls) == 5
    assert Gateway.accepted == dict(zip(keys, ("msg-1", "msg-2"), strict=True))
    assert sorted(sms.values_list("detail", flat=True)) == ["网关已受理：msg-1", "网关已受理：msg-2"]


def test_log_backends_log_a_key_once(world, fake, caplog):
    chief = _sms_user(world, wechat=True)
    fake.extend(_items([chief], n=2))
    with caplog.at_level("INFO", logger="dangjian.notifications"):
        run()
        external = Delivery.objects.filter(notification__user=chief).exclude(channel=Channel.INAPP)
        _killed_before_saving_sent(external)
        assert run(NOW + datetime.timedelta(hours=1)).sent == 4
    assert set(external.values_list("state", flat=True)) == {"sent"}
    logged = [r.getMessage() for r in caplog.records if "未配置网关" in r.getMessage()]
    assert len(logged) == 4 and len(set(logged)) == 4
    assert sorted(LoggedMessage.objects.values_list("key", "channel")) == sorted(
        external.values_list("send_key", "channel")
    )


def test_daily_digest_once_a_day_at_the_users_hour(world, fake):
    sec, chief = _people(world)
    Preference.objects.create(user=sec, email=True, digest=True, digest_hour=8)
    fake.extend(_items([sec, chief], n=3))
    early = run(at(DAY, 7))
    assert early.digests == 0
    assert [m.to for m in mail.outbox] == [["chief@example.cn"]] * 3  # the chief has no digest
    held = Delivery.objects.filter(notification__user=sec, channel=Channel.EMAIL)
    assert {d.state for d in held} == {DeliveryState.HELD}
    on_time = run(at(DAY, 8, 30))
    assert on_time.digests == 1 and on_time.sent == 1
    digest = Notification.objects.get(user=sec, key=f"digest:{DAY}")
    assert digest.kind == Kind.DIGEST and "共3条" in digest.title
    assert mail.outbox[-1].to == ["sec@example.cn"] and "测试提醒item2" in mail.outbox[-1].body
    assert {(d.state, d.digest_id) for d in held.exclude(notification=digest)} == {("sent", digest.pk)}
    assert run(at(DAY, 9)).digests == 0
    # Something new the same day waits for tomorrow's digest: one digest a day.
    fake.extend(_items([sec], n=1, prefix="later"))
    assert run(at(DAY, 15)).digests == 0
    assert len(mail.outbox) == 4
    tomorrow = DAY + datetime.timedelta(days=1)
    assert run(at(tomorrow, 7, 59), tomorrow).digests == 0
    assert run(at(tomorrow, 8), tomorrow).digests == 1
    second = Notification.objects.get(user=sec, key=f"digest:{tomorrow}")
    assert "共1条" in second.title and "测试提醒later0" in second.body
    assert run(at(tomorrow, 20), tomorrow).digests == 0
    assert Notification.objects.filter(user=sec, kind=Kind.DIGEST).count() == 2
    # Turning the digest off releases what is held at the next run.
    fake.extend(_items([sec], n=1, prefix="after"))
    run(at(tomorrow, 21), tomorrow)
    services.save_preferences(sec, email=True, sms=False, wechat=False, digest=False, digest_hour=8)
    run(at(tomorrow, 21, 5), tomorrow)
    assert mail.outbox[-1].subject.endswith("测试提醒after0")


def test_preferences_are_honoured(world, fake):
    sec, chief = _people(world)
    chief.phone = "13900001111"
    chief.save(update_fields=["phone"])
    services.save_preferences(
        sec, email=True, sms=False, wechat=False, digest=False, digest_hour=8, muted_kinds=[Kind.MEETING]
    )
    services.save_preferences(chief, email=False, sms=True, wechat=True, digest=False, digest_hour=8)
    fake.extend(_items([sec, chief], n=1, kind=Kind.MEETING, prefix="meet"))
    fake.extend(_items([sec, chief], n=1, kind=Kind.CASE, prefix="case"))
    run()
    assert not Notification.objects.filter(user=sec, kind=Kind.MEETING).exists()
    assert Notification.objects.filter(user=sec, kind=Kind.CASE).count() == 1
    assert [m.to for m in mail.outbox] == [["sec@example.cn"]]
    chief_rows = Delivery.objects.filter(notification__user=chief)
    assert set(chief_rows.values_list("channel", flat=True)) == {"inapp", "sms", "wechat"}
    sms = chief_rows.filter(channel=Channel.SMS)
    assert {(d.state, d.detail, d.address) for d in sms} == {
        ("sent", "未配置短信网关，已记录", "13900001111")
    }
    assert {d.detail for d in chief_rows.filter(channel=Channel.WECHAT)} == {"未配置微信网关，已记录"}
    # An address-less channel the user chose is logged as failed with the reason, never retried.
    Preference.objects.filter(user=sec).update(sms=True)
    fake.extend(_items([sec], n=1, kind=Kind.CASE, prefix="nophone"))
    run(NOW + datetime.timedelta(minutes=5))
    row = Delivery.objects.get(notification__key="nophone:0", channel=Channel.SMS)
    assert (row.state, row.detail, row.attempts) == ("failed", "未填写手机号", 0)
    # Users without saved settings and without an email address get the in-app message only.
    leader = world.user(Role.READONLY_LEADER)
    fake.extend(_items([leader], n=1, prefix="plain"))
    run(NOW + datetime.timedelta(minutes=10))
    assert list(Delivery.objects.filter(notification__user=leader).values_list("channel", flat=True)) == [
        "inapp"
    ]


def test_bad_preferences_are_refused_and_nothing_written(world):
    sec = world.user(Role.VILLAGE_SECRETARY)
    before = AuditEvent.objects.count()
    for kwargs, message in (
        ({"digest_hour": 24}, "汇总发送时刻应为0至23之间的整点。"),
        ({"sms": True}, "您的账号没有手机号，无法开启短信提醒：请联系管理员在“用户与角色”中填写。"),
        ({"muted_kinds": ["nope"]}, "不接收的提醒类型无效。"),
        ({"digest": True, "email": False}, "每日汇总需要至少开启一个外部渠道（邮件、短信或微信）。"),
    ):
        args = {"email": True, "sms": False, "wechat": False, "digest": False, "digest_hour": 8} | kwargs
        with pytest.raises(Exception) as exc:
            services.save_preferences(sec, **args)
        assert message in str(exc.value)
    assert not Preference.objects.filter(user=sec).exists()
    assert AuditEvent.objects.count() == before
    services.save_preferences(sec, email=False, sms=False, wechat=True, digest=True, digest_hour=20)
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 1


def test_notify_for_other_apps_skips_repeats_and_inactive_users(world):
    sec, chief = _people(world)
    chief.is_active = False
    chief.save(update_fields=["is_active"])
    made = services.notify([sec.pk, chief.pk], kind=Kind.OTHER, title="新通知", key="notice:9", url="/")
    assert made == 1
    assert services.notify([sec.pk], kind=Kind.OTHER, title="新通知", key="notice:9") == 0


# --- the real sources --------------------------------------------------------------------------------


def _keys(items, user) -> set[str]:
    return {i.key for i in items if user.pk in i.users}


def test_case_sources_owner_acceptor_signoff_and_supervision(world):
    from dangjian.cases import services as cases

    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    problem = world.cases["in_problem"]
    out = world.cases["out_problem"]
    deadline = problem.deadline
    # Owner: within the county's warning window (2 days), not before; overdue after.
    for day, expected in (
        (deadline - datetime.timedelta(days=3), set()),
        (deadline - datetime.timedelta(days=2), {f"case:{problem.pk}:due:{deadline}"}),
        (deadline + datetime.timedelta(days=1), {f"case:{problem.pk}:overdue:{deadline}"}),
    ):
        items = sources.case_items(sources.Context(today=day, since=day - datetime.timedelta(days=30)))
        mine = {k for k in _keys(items, sec) if k.startswith(f"case:{problem.pk}:")}
        assert {k for k in mine if ":due:" in k or ":overdue:" in k} == expected
        assert not any(k.startswith(f"case:{out.pk}:") for k in _keys(items, sec))
    # Supervision falls due every 15 days since opening: the station chief is reminded.
    due = problem.opened_on + datetime.timedelta(days=15)
    items = sources.case_items(sources.Context(today=due, since=due - datetime.timedelta(days=30)))
    assert f"case:{problem.pk}:supervise:{due}" in _keys(items, chief)
    # Reported done: the named acceptor (the chief) is waiting; accepted: the chief signs off.
    cases.act(sec, problem, "report_done", note="已上墙")
    problem.refresh_from_db()
    items = sources.case_items(sources.Context(today=DAY))
    accept = {k for k in _keys(items, chief) if ":accept:" in k}
    assert len(accept) == 1
    cases.act(chief, problem, "accept", note="验收合格")
    items = sources.case_items(sources.Context(today=DAY))
    assert any(":signoff:" in k for k in _keys(items, chief))
    assert not any(":signoff:" in k for k in _keys(items, world.user(Role.TOWNSHIP_STAFF)))


def test_task_and_weekly_sources(world):
    from dangjian.tasks.weekly_testing import WEEK

    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    report_day, compile_day = WEEK + datetime.timedelta(days=3), WEEK + datetime.timedelta(days=4)
    # The day before the report day (window 1 day): 村甲一's unreported weekly task is due.
    items = sources.collect(sources.Context(today=report_day - datetime.timedelta(days=1)), only=["tasks"])
    weekly_keys = {k for k in _keys(items, sec) if k.endswith(f":due:{report_day}")}
    assert len(weekly_keys) == 1  # the checklist task; the number task is reported
    assert not any(k.startswith("assignment:") for k in _keys(items, chief))  # relayed: villages report
    # The compilation the station still owes: due on the eve, overdue after.
    eve = sources.collect(sources.Context(today=compile_day - datetime.timedelta(days=1)), only=["weekly"])
    cycle = world.weekly["in"]["cycle"]
    station = world.orgs["station"]
    assert _keys(eve, chief) == {f"compile:{cycle.pk}:{station.pk}:due:{compile_day}"}
    after = sources.collect(sources.Context(today=compile_day + datetime.timedelta(days=1)), only=["weekly"])
    assert _keys(after, chief) == {f"compile:{cycle.pk}:{station.pk}:overdue:{compile_day}"}
    assert not _keys(after, sec)
    # Monthly tasks of 镇甲 to 村甲一 fall due at the month's end.
    a = world.task_core["in"]["checklist_assignment"]
    items = sources.collect(sources.Context(today=a.due), only=["tasks"])
    assert f"assignment:{a.pk}:due:{a.due}" in _keys(items, sec)


def test_development_source_branch_steps_and_higher_approvals(world):
    from dangjian.development.models import DevelopmentCase

    sec, office = world.user(Role.VILLAGE_SECRETARY), world.user(Role.TOWNSHIP_STAFF)
    case = DevelopmentCase.objects.get(person__name="甲申请人一")
    due = DAY + datetime.timedelta(days=5)
    DevelopmentCase.objects.filter(pk=case.pk).update(next_step="activist", next_due=due)
    items = sources.development_items(sources.Context(today=DAY))
    assert f"development:{case.pk}:activist:due:{due}" in _keys(items, sec)
    assert not _keys(items, office)
    DevelopmentCase.objects.filter(pk=case.pk).update(next_step="pre_review")
    items = sources.development_items(sources.Context(today=DAY))
    assert f"development:{case.pk}:pre_review:due:{due}" in _keys(items, office)
    assert not _keys(items, sec)
    far = sources.development_items(sources.Context(today=due - datetime.timedelta(days=15)))
    assert not _keys(far, office)  # outside the 14-day window


def test_meeting_source_reminds_the_org_that_owes(world):
    sec = world.user(Role.VILLAGE_SECRETARY)
    end = datetime.date(2026, 12, 31)
    items = sources.meeting_items(sources.Context(today=end - datetime.timedelta(days=2)))
    mine = {i.key: i for i in items if sec.pk in i.users}
    assert mine and all(k.startswith(f"meeting:{world.orgs['branch'].pk}:") for k in mine)
    assert any(k.endswith(":due_soon:2026-12-31") for k in mine)
    assert all(i.url.startswith("/meetings/new/?org=") for i in mine.values())
    outside = world.users["out_admin"].pk
    assert not any(sec.pk in i.users and outside in i.users for i in items)


def test_full_run_escalates_and_reminds_idempotently(world, monkeypatch):
    from dangjian.cases import services as cases

    called = []
    real = cases.escalate_overdue
    monkeypatch.setattr(cases, "escalate_overdue", lambda today=None: called.append(today) or real(today))
    day = world.cases["in_problem"].deadline + datetime.timedelta(days=1)
    now = at(day, 10)
    first = services.run_reminders(day, now)
    assert called == [day] and first.escalated >= 1 and first.created > 0
    assert set(first.by_source) == {"tasks", "weekly", "cases", "development", "meetings"}
    second = services.run_reminders(day, now + datetime.timedelta(minutes=5))
    assert (second.escalated, second.created, second.deliveries, second.sent) == (0, 0, 0, 0)


def test_command_dry_run_writes_nothing_and_checks_its_date(world):
    import io

    before = (Notification.objects.count(), Delivery.objects.count(), AuditEvent.objects.count())
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-29", "--dry-run", stdout=out)
    assert "［试运行］" in out.getvalue() and "将新建消息" in out.getvalue()
    assert (Notification.objects.count(), Delivery.objects.count(), AuditEvent.objects.count()) == before
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD。"):
        call_command("send_reminders", "--today", "2026-13-01")
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-29", "--source", "meetings", stdout=out)
    assert "新建消息" in out.getvalue() and Notification.objects.count() > before[0]
    out2 = io.StringIO()
    call_command("send_reminders", "--today", "2026-12-29", "--source", "meetings", stdout=out2)
    assert "新建消息 0 条" in out2.getvalue() and "已发送 0 条" in out2.getvalue()
