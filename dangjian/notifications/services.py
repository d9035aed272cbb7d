"""Writes of the notifications app: reminders made and sent, notifications read, preferences saved.

`run_reminders` is what `manage.py send_reminders` runs from cron or a systemd timer every few minutes.
It is safe to run any number of times, and to kill at any moment:
1. overdue cases move up one level (dangjian.cases.services.escalate_overdue, at most once a day);
2. every source's items become Notifications, one per (user, key): a key made before is never made again;
3. each new notification gets one Delivery row per channel the user has on (in-app at once; email, SMS
   and WeChat pending — or held for the daily digest when the user chose one);
4. users with a digest get one digest a day ("digest:YYYY-MM-DD") at or after their hour, carrying
   everything held for them;
5. pending deliveries are sent one by one: each is claimed (locked for a few minutes, so an overlapping
   run leaves it alone; the first claim also stores its idempotency key), sent with that key, and marked
   sent in its own small transaction. An interrupted run leaves every delivery it finished marked sent;
   the next run sends only the rest. A run killed after the gateway accepted a message but before it
   was marked sent re-sends it with the same key once the claim expires, and the gateway answers with
   the original message instead of sending it twice. A failed send is retried later (after 5, 10, 15 …
   minutes, same key) and given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError, DomainErrors

from . import channels, sources
from .models import (
    Channel,
    Delivery,
    DeliveryState,
    Kind,
    Notification,
    Preference,
    default_preference,
)

log = logging.getLogger("dangjian.notifications")

LOCK = datetime.timedelta(minutes=5)
RETRY = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5
CHUNK = 500
DIGEST_ITEMS = 50


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- reading and settings (the user's own) ----------------------------------------------------------


def mark_read(user: Any, notification: Notification, now: datetime.datetime | None = None) -> Notification:
    """Mark one of the user's notifications read (no audit row: reading is not an act)."""
    if notification.user_id != user.pk:
        from dangjian.core.errors import NotInScope

        raise NotInScope
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user: Any, *, kind: str = "", now: datetime.datetime | None = None) -> int:
    qs = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(read_at=now or timezone.now())


def preference_for(user: Any) -> Preference:
    return Preference.objects.filter(user_id=user.pk).first() or default_preference(user.pk)


def save_preferences(
    actor: Any,
    *,
    email: bool,
    sms: bool,
    wechat: bool,
    digest: bool,
    digest_hour: int,
    muted_kinds: Iterable[str] = (),
) -> Preference:
    """The user's own reminder settings: which channels, a daily digest and its hour, kinds muted."""
    errors: list[DomainError] = []
    try:
        hour = int(digest_hour)
    except (TypeError, ValueError):
        hour = -1
    if not 0 <= hour <= 23:
        errors.append(DomainError("汇总发送时刻应为0至23之间的整点。", "digest_hour"))
    muted = sorted(set(muted_kinds))
    allowed = set(Kind.values) - {Kind.DIGEST}
    if any(k not in allowed for k in muted):
        errors.append(DomainError("不接收的提醒类型无效。", "muted_kinds"))
    if sms and not actor.phone:
        errors.append(
            DomainError("您的账号没有手机号，无法开启短信提醒：请联系管理员在“用户与角色”中填写。", "sms")
        )
    if digest and not (email or sms or wechat):
        errors.append(DomainError("每日汇总需要至少开启一个外部渠道（邮件、短信或微信）。", "digest"))
    if errors:
        raise errors[0] if len(errors) == 1 else DomainErrors(errors)
    with transaction.atomic():
        pref, _ = Preference.objects.select_for_update().get_or_create(user_id=actor.pk)
        before = snapshot(pref)
        pref.email, pref.sms, pref.wechat = bool(email), bool(sms), bool(wechat)
        pref.digest, pref.digest_hour, pref.muted_kinds = bool(digest), hour, muted
        pref.save()
        audit.record(actor, "notifications.preferences", pref, before=before, after=snapshot(pref))
    return pref


# --- making notifications ---------------------------------------------------------------------------


def notify(
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    key: str,
    body: str = "",
    url: str = "",
    due: datetime.date | None = None,
) -> int:
    """Queue one notification per user (other apps call this on commit); a (user, key) made before is
    skipped, and so is a user who muted the kind. Returns how many were made."""
    item = sources.Item(key=key, kind=kind, section="", title=title, body=body, org_name="", due=due, url=url)
    item.users = set(user_ids)
    return create_notifications([item])


def _prefs(user_ids: Iterable[int]) -> dict[int, Preference]:
    ids = sorted(set(user_ids))
    found: dict[int, Preference] = {}
    for part in chunks(ids):
        for p in Preference.objects.filter(user_id__in=part):
            found[p.user_id] = p
    return {u: found.get(u) or default_preference(u) for u in ids}


def _active_users(user_ids: Iterable[int]) -> set[int]:
    from dangjian.accounts.models import User

    ids = sorted(set(user_ids))
    active: set[int] = set()
    for part in chunks(ids):
        active.update(User.objects.filter(pk__in=part, is_active=True).values_list("pk", flat=True))
    return active


def _wanted(items: Sequence[sources.Item]) -> list[Notification]:
    """The notifications the items ask for, minus users inactive or muting the kind."""
    everyone = {u for i in items for u in i.users}
    active = _active_users(everyone)
    prefs = _prefs(active)
    rows: dict[tuple[int, str], Notification] = {}
    for item in items:
        for user_id in item.users:
            if user_id not in active or item.kind in (prefs[user_id].muted_kinds or ()):
                continue
            rows.setdefault(
                (user_id, item.key),
                Notification(
                    user_id=user_id,
                    kind=item.kind,
                    title=item.title[:200],
                    body=item.body[:4000],
                    url=item.url[:300],
                    key=item.key[:120],
                    due=item.due,
                ),
            )
    return list(rows.values())


def _new_only(rows: list[Notification]) -> list[Notification]:
    keys = sorted({n.key for n in rows})
    existing: set[tuple[int, str]] = set()
    for part in chunks(keys):
        existing.update(Notification.objects.filter(key__in=part).values_list("user_id", "key"))
    return [n for n in rows if (n.user_id, n.key) not in existing]


def create_notifications(items: Sequence[sources.Item]) -> int:
    fresh = _new_only(_wanted(items))
    before = Notification.objects.count()
    for part in chunks(fresh):
        Notification.objects.bulk_create(part, ignore_conflicts=True)
    return Notification.objects.count() - before if fresh else 0


# --- deliveries -------------------------------------------------------------------------------------


def _users(user_ids: Iterable[int]) -> dict[int, Any]:
    from dangjian.accounts.models import User

    ids = sorted(set(user_ids))
    found: dict[int, Any] = {}
    for part in chunks(ids):
        found.update(
            {u.pk: u for u in User.objects.filter(pk__in=part).only("pk", "username", "email", "phone")}
        )
    return found


def _delivery(n: Notification, code: str, user: Any, pref: Preference, saved: bool, now, held: bool):
    """The Delivery row of one channel, or None when the channel is not for this user."""
    channel = channels.get(code)
    address = channel.address(user)
    if not address:
        if not saved:
            return None  # never chose this channel (email on by default): nothing to send, nothing to log
        return Delivery(
            notification=n, channel=code, state=DeliveryState.FAILED, detail=channel.missing(), attempts=0
        )
    state = DeliveryState.HELD if held else DeliveryState.PENDING
    return Delivery(notification=n, channel=code, state=state, address=address[:120])


def fan_out(now: datetime.datetime) -> int:
    """Delivery rows for every notification that has none yet: in-app sent at once, the user's other
    channels pending (or held for the digest). One transaction per batch, so a batch is all or nothing."""
    # Users who turned the digest off since: what was held for them goes out now.
    Delivery.objects.filter(state=DeliveryState.HELD).exclude(
        notification__user__notification_preference__digest=True
    ).update(state=DeliveryState.PENDING)
    made = 0
    while True:
        batch = list(
            Notification.objects.filter(fanned_out_at__isnull=True)
            .exclude(kind=Kind.DIGEST)
            .order_by("pk")[:CHUNK]
        )
        if not batch:
            return made
        user_ids = {n.user_id for n in batch}
        saved = set(Preference.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
        prefs, users = _prefs(user_ids), _users(user_ids)
        rows = []
        for n in batch:
            rows.append(
                Delivery(
                    notification=n,
                    channel=Channel.INAPP,
                    state=DeliveryState.SENT,
                    sent_at=now,
                    detail="已进入消息中心",
                )
            )
            pref, user = prefs[n.user_id], users.get(n.user_id)
            if user is None:
                continue
            for code in pref.channels():
                row = _delivery(n, code, user, pref, n.user_id in saved, now, held=pref.digest)
                if row is not None:
                    rows.append(row)
        with transaction.atomic():
            Delivery.objects.bulk_create(rows, ignore_conflicts=True)
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(fanned_out_at=now)
        made += len(rows)


def make_digests(today: datetime.date, now: datetime.datetime) -> int:
    """One digest a day per user who chose it, at or after their hour, carrying what was held."""
    hour = timezone.localtime(now).hour
    key = f"digest:{today:%Y-%m-%d}"
    prefs = {
        p.user_id: p
        for p in Preference.objects.filter(digest=True, digest_hour__lte=hour, user__is_active=True)
    }
    if not prefs:
        return 0
    held_rows = list(
        Delivery.objects.filter(
            state=DeliveryState.HELD, digest__isnull=True, notification__user_id__in=list(prefs)
        )
        .exclude(notification__user__notifications__key=key)
        .values_list("pk", "channel", "notification__user_id", "notification__title", "notification__pk")
        .order_by("notification__user_id", "notification__pk")
    )
    by_user: dict[int, list[tuple]] = {}
    for row in held_rows:
        by_user.setdefault(row[2], []).append(row)
    users = _users(by_user)
    made = 0
    for user_id, rows in by_user.items():
        pref, user = prefs[user_id], users[user_id]
        titles: list[str] = []
        seen: set[int] = set()
        for _, _, _, title, pk in rows:
            if pk not in seen:
                seen.add(pk)
                titles.append(title)
        lines = [f"{i}. {t}" for i, t in enumerate(titles[:DIGEST_ITEMS], 1)]
        if len(titles) > DIGEST_ITEMS:
            lines.append(f"……另有{len(titles) - DIGEST_ITEMS}条，请到消息中心查看。")
        with transaction.atomic():
            digest, created = Notification.objects.get_or_create(
                user_id=user_id,
                key=key,
                defaults={
                    "kind": Kind.DIGEST,
                    "title": f"每日提醒汇总（{today:%Y-%m-%d}，共{len(titles)}条）",
                    "body": "\n".join(lines)[:4000],
                    "url": sources.url("notification-list", fallback="/notifications/"),
                    "fanned_out_at": now,
                },
            )
            if not created:
                continue
            enabled = pref.channels()
            out = [
                Delivery(
                    notification=digest,
                    channel=Channel.INAPP,
                    state=DeliveryState.SENT,
                    sent_at=now,
                    detail="已进入消息中心",
                )
            ]
            for code in enabled:
                row = _delivery(digest, code, user, pref, True, now, held=False)
                if row is not None:
                    out.append(row)
            Delivery.objects.bulk_create(out, ignore_conflicts=True)
            ids = [r[0] for r in rows]
            Delivery.objects.filter(pk__in=ids, channel__in=enabled).update(digest=digest)
            Delivery.objects.filter(pk__in=ids).exclude(channel__in=enabled).update(
                digest=digest, state=DeliveryState.FAILED, detail="汇总时该渠道已关闭"
            )
            made += 1
    return made


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0


def _clock(now: datetime.datetime | None) -> Callable[[], datetime.datetime]:
    return (lambda: now) if now is not None else timezone.now


def send_pending(now: datetime.datetime, *, fixed: bool = False, limit: int | None = None) -> SendResult:
    """Send pending deliveries one at a time, each claimed, sent and marked sent on its own."""
    clock = _clock(now if fixed else None)
    result = SendResult()
    ready = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    ids = list(
        Delivery.objects.filter(ready, state=DeliveryState.PENDING)
        .exclude(channel=Channel.INAPP)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        # Locked from the moment of the claim (not the run's start), so a long run's later claims stay
        # locked for the whole window and an overlapping run cannot take them.
        claimed = Delivery.objects.filter(ready, pk=pk, state=DeliveryState.PENDING).update(
            locked_until=clock() + LOCK,
            attempts=F("attempts") + 1,
            send_key=Case(When(send_key="", then=Value(uuid.uuid4().hex)), default=F("send_key")),
        )
        if not claimed:
            continue  # another run took it, or it was sent meanwhile
        d = Delivery.objects.select_related("notification__user").get(pk=pk)
        n = d.notification
        try:
            detail = channels.get(d.channel).send(n.user, n, d.address, d.send_key)
        except Exception as exc:  # a channel's failure is logged and retried, never fatal to the run
            log.warning("发送失败 delivery=%s channel=%s: %s", pk, d.channel, exc)
            give_up = d.attempts >= MAX_ATTEMPTS
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.FAILED if give_up else DeliveryState.PENDING,
                detail=f"第{d.attempts}次发送失败：{exc}"[:300],
                locked_until=None if give_up else now + RETRY * d.attempts,
            )
            result.failed += give_up
            result.retry += not give_up
            continue
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): give the claim back so the next run sends it at once.
            Delivery.objects.filter(pk=pk, state=DeliveryState.PENDING).update(locked_until=None)
            raise
        at = clock()
        with transaction.atomic():
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.SENT, sent_at=at, detail=str(detail)[:300], locked_until=None
            )
            if n.kind == Kind.DIGEST:
                Delivery.objects.filter(digest=n, channel=d.channel, state=DeliveryState.HELD).update(
                    state=DeliveryState.SENT, sent_at=at, detail=f"已并入每日汇总（{n.key[7:]}）发送"
                )
        result.sent += 1
    return result


# --- the run ----------------------------------------------------------------------------------------


@dataclass
class RunResult:
    escalated: int = 0
    items: int = 0
    created: int = 0
    deliveries: int = 0
    digests: int = 0
    sent: int = 0
    failed: int = 0
    retry: int = 0
    pending: int = 0
    by_source: dict[str, int] = field(default_factory=dict)


def run_reminders(
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
    *,
    dry_run: bool = False,
    escalate: bool = True,
    only: Iterable[str] | None = None,
) -> RunResult:
    """One pass of `send_reminders` (see the module docstring). With `now`, that moment is the clock
    (tests); `today` defaults to its local date."""
    fixed = now is not None
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = RunResult()
    if escalate:
        from dangjian.cases.selectors import escalation_due
        from dangjian.cases.services import escalate_overdue

        result.escalated = escalation_due(today).count() if dry_run else escalate_overdue(today)
    ctx = sources.Context(today=today, since=today - datetime.timedelta(days=sources.LOOKBACK_DAYS))
    items: list[sources.Item] = []
    for name, source in sources.SOURCES.items():
        if only and name not in only:
            continue
        found = source(ctx)
        result.by_source[name] = len(found)
        items.extend(found)
    result.items = len(items)
    if dry_run:
        result.created = len(_new_only(_wanted(items)))
        result.pending = Delivery.objects.filter(state=DeliveryState.PENDING).count()
        return result
    result.created = create_notifications(items)
    result.deliveries = fan_out(now)
    result.digests = make_digests(today, now)
    sent = send_pending(now, fixed=fixed)
    result.sent, result.failed, result.retry = sent.sent, sent.failed, sent.retry
    result.pending = Delivery.objects.filter(state=DeliveryState.PENDING).count()
    return result
