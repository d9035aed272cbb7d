"""The kinds of case as data: each kind's states, its transitions and who may take each.

A transition names the states it leaves, the state it enters, the roles that may take it (held on
the case's org, or on its grid or a routed department for the two side roles) and who among them:
  any       anyone holding one of the roles
  owner     the owner or a co-owner (or the township office / county, who may act for them)
  acceptor  the designated acceptor, never the owner (验收由专人负责)
  signoff   a holder of the kind's sign-off role (problem and errand: the station chief where the
            case lies under a station, else the township office; whistle: the township office)
  route     a liaison of a department the case is routed to (pending for 报到, accepted for 办结)
Rectification items (一村一策 plan items of the rectification app) are the fourth kind: a problem's path,
accepted by the township office, station or county and signed off by the township office or the county
(`any` holder of those roles, so a station in between does not take the sign-off, as it does for problems)."""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.core.roles import Role

from .choices import CaseKind, Source

C, T, S, V, G, D = (
    Role.COUNTY_ADMIN,
    Role.TOWNSHIP_STAFF,
    Role.STATION_CHIEF,
    Role.VILLAGE_SECRETARY,
    Role.GRID_LEADER,
    Role.DEPT_LIAISON,
)
WORKERS = frozenset({C, T, S, V})
OFFICE = frozenset({C, T})
LEADS = frozenset({C, T, S})


@dataclass(frozen=True)
class Transition:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    who: str = "any"
    note_required: bool = False

    def leaves(self, state: str) -> bool:
        return state in self.sources


@dataclass(frozen=True)
class KindSpec:
    code: str
    label: str
    states: dict[str, str]
    initial: str
    transitions: tuple[Transition, ...]
    open_roles: frozenset[str]
    sources: tuple[str, ...]
    receipt_prefix: str
    # Which state a reopened case returns to, and the states it may be reopened from.
    reopen_to: str
    reopen_from: tuple[str, ...] = ("accepted", "closed")
    reopen_roles: frozenset[str] = LEADS
    # The states in which the owner's part is finished (so the deadline no longer runs).
    done_states: tuple[str, ...] = ("done", "accepted", "closed")

    def transition(self, code: str) -> Transition | None:
        return next((t for t in self.transitions if t.code == code), None)

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.leaves(state)]

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s for s in self.states if s != "closed")

    @property
    def running_states(self) -> tuple[str, ...]:
        """States in which the deadline runs (the owner has not reported the work done)."""
        return tuple(s for s in self.states if s not in self.done_states)


ACCEPT = "accept"
REJECT = "reject"
SIGN_OFF = "sign_off"

PROBLEM = KindSpec(
    code=CaseKind.PROBLEM,
    label="问题台账",
    states={
        "open": "待整改",
        "rectifying": "整改中",
        "done": "待验收",
        "accepted": "待销号",
        "closed": "已销号",
    },
    initial="open",
    transitions=(
        Transition("start", "开始整改", ("open",), "rectifying", WORKERS, "owner"),
        Transition("report_done", "报告整改完成", ("open", "rectifying"), "done", WORKERS, "owner", True),
        Transition(ACCEPT, "验收通过", ("done",), "accepted", WORKERS, "acceptor"),
        Transition(REJECT, "验收不通过", ("done",), "rectifying", WORKERS, "acceptor", True),
        Transition(SIGN_OFF, "销号", ("accepted",), "closed", frozenset({T, S}), "signoff"),
    ),
    open_roles=WORKERS,
    sources=(
        Source.COUNTY_INSPECTION,
        Source.STATION_INSPECTION,
        Source.FIELD_VISIT,
        Source.RESEARCH,
        Source.RECTIFICATION,
        Source.RESIDENTS,
        Source.DIARY,
        Source.OTHER,
    ),
    receipt_prefix="W",
    reopen_to="rectifying",
)

ERRAND = KindSpec(
    code=CaseKind.ERRAND,
    label="群众代办",
    states={
        "received": "已受理",
        "promised": "已承诺办理",
        "done": "已反馈结果",
        "accepted": "已报告",
        "closed": "已归档",
    },
    initial="received",
    transitions=(
        Transition("promise", "承诺办结时限", ("received",), "promised", WORKERS, "owner"),
        Transition("feedback", "反馈办理结果", ("received", "promised"), "done", WORKERS, "owner", True),
        Transition(ACCEPT, "审核办结报告", ("done",), "accepted", WORKERS, "acceptor"),
        Transition(REJECT, "退回重办", ("done",), "promised", WORKERS, "acceptor", True),
        Transition(SIGN_OFF, "归档", ("accepted",), "closed", frozenset({T, S}), "signoff"),
    ),
    open_roles=WORKERS,
    sources=(Source.WINDOW, Source.RESIDENTS, Source.DIARY, Source.FIELD_VISIT, Source.OTHER),
    receipt_prefix="D",
    reopen_to="promised",
)

WHISTLE = KindSpec(
    code=CaseKind.WHISTLE,
    label="网格吹哨",
    states={
        "raised": "已吹哨",
        "routed": "待部门报到",
        "answered": "办理中",
        "done": "待验收",
        "accepted": "待销号",
        "closed": "已销号",
    },
    initial="raised",
    transitions=(
        Transition("take", "村（社区）承接办理", ("raised",), "answered", frozenset({C, T, S, V}), "any"),
        Transition("route", "派单到部门", ("raised", "routed"), "routed", OFFICE, "any"),
        Transition("answer", "部门报到", ("routed",), "answered", frozenset({D}), "route"),
        Transition("solve", "报告办结", ("answered",), "done", frozenset({C, T, S, V, D}), "owner", True),
        Transition(ACCEPT, "验收通过", ("done",), "accepted", OFFICE | {S}, "acceptor"),
        Transition(REJECT, "验收不通过", ("done",), "answered", OFFICE | {S}, "acceptor", True),
        Transition(SIGN_OFF, "销号", ("accepted",), "closed", frozenset({T}), "signoff"),
    ),
    open_roles=frozenset({G, C, T, S, V}),
    sources=(Source.GRID, Source.RESIDENTS, Source.OTHER),
    receipt_prefix="S",
    reopen_to="answered",
    reopen_roles=OFFICE,
)

RECTIFICATION = KindSpec(
    code=CaseKind.RECTIFICATION,
    label="整顿事项",
    states={
        "open": "待整改",
        "rectifying": "整改中",
        "done": "待验收",
        "accepted": "待销号",
        "closed": "已销号",
    },
    initial="open",
    transitions=(
        Transition("start", "开始整改", ("open",), "rectifying", WORKERS, "owner"),
        Transition("report_done", "报告整改完成", ("open", "rectifying"), "done", WORKERS, "owner", True),
        Transition(ACCEPT, "验收通过", ("done",), "accepted", LEADS, "acceptor"),
        Transition(REJECT, "验收不通过", ("done",), "rectifying", LEADS, "acceptor", True),
        Transition(SIGN_OFF, "销号", ("accepted",), "closed", OFFICE, "any"),
    ),
    open_roles=OFFICE,
    sources=(Source.RECTIFICATION,),
    receipt_prefix="Z",
    reopen_to="rectifying",
    reopen_roles=OFFICE,
)

KINDS: dict[str, KindSpec] = {k.code: k for k in (PROBLEM, ERRAND, WHISTLE, RECTIFICATION)}


def spec(kind: str) -> KindSpec:
    return KINDS[kind]
