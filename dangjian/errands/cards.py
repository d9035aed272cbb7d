"""Contact cards (便民“连心卡”, seed 002): what a station hands residents — who to call, what can be
done for them and when the sections come — as a PDF of A6 cards (front and back) or A4 sheets of four.

One card per station; a township without stations gets one card with its office staff. The data for
every card of a township is read in a fixed number of queries. ReportLab's built-in CID font
STSong-Light draws the Chinese (a reader supplies the glyphs; nothing is embedded)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from dangjian.accounts.models import RoleAssignment
from dangjian.core.roles import Role
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.stations.choices import Post
from dangjian.stations.models import StationStaff

from .models import ErrandService, ServiceCentre, ServiceSession
from .selectors import Month, active_centres, by_category, published_services, township_of
from .tables import days_text

FONT = "STSong-Light"
RED = colors.HexColor("#b71c1c")
GREY = colors.HexColor("#555555")
# The seven steps of the errand service (规范了公示公开…登记归档7项流程, seed 002).
STEPS = "公示公开→群众接待→首问负责→办事承诺→信息反馈→情况报告→登记归档"
MOTTO = "事事有回音、件件有落实"
SESSIONS_SHOWN = 8
POST_ORDER = {Post.CHIEF: 0, Post.DEPUTY: 1, Post.WORKER: 2}


@dataclass
class Person:
    post: str
    name: str
    phone: str


@dataclass
class Card:
    title: str
    township: Org
    people: list[Person]
    services: list[tuple[str, list[ErrandService]]] = field(default_factory=list)
    centres: list[ServiceCentre] = field(default_factory=list)
    sessions: list[ServiceSession] = field(default_factory=list)
    public_url: str = ""

    @property
    def n_services(self) -> int:
        return sum(len(items) for _, items in self.services)


def holder(org: Org) -> tuple[Org | None, Org | None]:
    """(station, township) whose card serves `org`: a station serves its villages; a township
    without a station over the village serves it; None, None above townships."""
    if org.kind in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY):
        return None, None
    if org.kind == OrgKind.STATION:
        return org, township_of(org)
    township = township_of(org)
    if org.kind == OrgKind.TOWNSHIP:
        return None, township
    station = Org.objects.filter(pk__in=org.ancestor_ids(), kind=OrgKind.STATION).first()
    return station, township


def cards_for(org: Org, today: datetime.date, public_url: Callable[[Org], str]) -> list[Card] | None:
    """The cards to print for `org`: its station's, every station's of a township, or the township's
    own where it has no station. None for a county or above (too many to print at once)."""
    station, township = holder(org)
    if township is None:
        return None
    if station is not None:
        stations = [station]
    elif org.kind == OrgKind.TOWNSHIP:
        stations = list(
            Org.objects.filter(parent=township, kind=OrgKind.STATION, archived_at__isnull=True).order_by(
                "sort_order", "path"
            )
        )
    else:
        stations = []
    month = Month.of(today)
    services = by_category(published_services(township))
    centres = list(active_centres(township))
    sessions = list(
        ServiceSession.objects.filter(org=township, date__gte=today, date__lte=month.next().end)
        .select_related("centre")
        .order_by("date", "half", "centre__name")[:SESSIONS_SHOWN]
    )
    common = {
        "township": township,
        "services": services,
        "centres": centres,
        "sessions": sessions,
        "public_url": public_url(township),
    }
    if not stations:
        roles = (
            RoleAssignment.objects.filter(org=township, role=Role.TOWNSHIP_STAFF, user__is_active=True)
            .select_related("user")
            .order_by("pk")
        )
        people = [Person(r.title or "党建办", r.user.display_name, r.user.phone) for r in roles]
        return [Card(title=f"{township.name}党建办", people=people, **common)]
    staff = StationStaff.objects.filter(org__in=stations, until__isnull=True)
    people: dict[int, list[Person]] = {st.pk: [] for st in stations}
    for s in sorted(staff, key=lambda s: (s.org_id, POST_ORDER.get(s.post, 9), s.since, s.pk)):
        people[s.org_id].append(Person(s.get_post_display(), s.name, s.phone))
    return [Card(title=st.name, people=people[st.pk], **common) for st in stations]


# --- drawing ----------------------------------------------------------------------------------------


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(size: float, color=colors.black, leading: float | None = None, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        f"card{size}",
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.35,
        textColor=color,
        wordWrap="CJK",
        **kw,
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _fit(c: Canvas, flowables: list, x: float, y: float, w: float, h: float) -> None:
    """Draw `flowables` in the box, shrunk to fit when a long catalogue or staff list would overflow."""
    frame = Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame.addFromList([KeepInFrame(w, h, flowables, mode="shrink")], c)


def _people_table(people: list[Person], width: float) -> Table:
    cell = _style(8.5)
    rows = [[_p(p.post, cell), _p(p.name, cell), _p(p.phone or "—", cell)] for p in people] or [
        [_p("（尚未登记工作人员）", cell), "", ""]
    ]
    table = Table(rows, colWidths=[width * 0.36, width * 0.26, width * 0.38])
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dddddd")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def draw_front(c: Canvas, card: Card, x: float, y: float, w: float, h: float) -> None:
    pad, band = 5 * mm, 20 * mm
    c.setFillColor(RED)
    c.rect(x, y + h - band, w, band, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT, 18)
    c.drawString(x + pad, y + h - 11 * mm, "便民连心卡")
    c.setFont(FONT, 7.5)
    c.drawString(x + pad, y + h - 16.5 * mm, f"群众事项代办 · {MOTTO}")
    inner = w - 2 * pad
    body = [
        _p(card.title, _style(13, RED)),
        _p(card.township.name, _style(8, GREY)),
        Spacer(1, 2 * mm),
        _p("有事请找我们：", _style(9)),
        Spacer(1, 1 * mm),
        _people_table(card.people, inner),
    ]
    if card.centres:
        body += [Spacer(1, 2 * mm), _p("便民服务中心：", _style(9))]
        body += [
            _p("· " + "　".join(t for t in (cn.name, cn.place, cn.phone) if t), _style(7.5))
            for cn in card.centres
        ]
    footer = 14 * mm
    _fit(c, body, x + pad, y + pad + footer, inner, h - band - 2 * pad - footer)
    _fit(
        c,
        [_p("代办流程：" + STEPS, _style(6.5, GREY)), _p("请妥善保管，有事随时联系。", _style(6.5, GREY))],
        x + pad,
        y + pad,
        inner,
        footer - 2 * mm,
    )


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def draw_back(c: Canvas, card: Card, x: float, y: float, w: float, h: float) -> None:
    pad, qr = 5 * mm, 20 * mm
    inner = w - 2 * pad
    head, small, tiny = _style(9.5, RED), _style(7.5), _style(6.5, GREY)
    body: list = [_p(f"{card.township.name}代办事项（共{card.n_services}项）", head), Spacer(1, 1 * mm)]
    for category, items in card.services:
        names = "、".join(f"{s.name}（{days_text(s.promised_days)}）" for s in items)
        body.append(_p(f"【{category}】{names}", small))
    if not card.services:
        body.append(_p("目录正在整理，请电话咨询。", small))
    if card.sessions:
        body += [Spacer(1, 2 * mm), _p("近期科室下村服务：", head)]
        for s in card.sessions:
            sections = "、".join(s.sections)
            body.append(_p(f"{s.date:%m-%d}{s.get_half_display()} {s.centre.name}：{sections}", small))
    _fit(c, body, x + pad, y + pad + qr + 2 * mm, inner, h - 2 * pad - qr - 2 * mm)
    _qr(c, card.public_url, x + w - pad - qr, y + pad, qr)
    _fit(
        c,
        [_p("扫码查看完整目录、所需材料和办结时限：", tiny), _p(card.public_url, tiny)],
        x + pad,
        y + pad,
        inner - qr - 2 * mm,
        qr,
    )


def render(cards: list[Card], paper: str = "a6", title: str = "连心卡") -> bytes:
    """A6: each card's front then back. A4: for each card a sheet of four fronts and a sheet of four
    backs (cut along the dashed lines; print double-sided)."""
    _font()
    buffer = io.BytesIO()
    size = A4 if paper == "a4" else A6
    c = Canvas(buffer, pagesize=size, pageCompression=0)
    c.setTitle(title)
    c.setAuthor("乡镇党建办工作平台")
    pw, ph = size
    for card in cards:
        for draw in (draw_front, draw_back):
            if paper == "a4":
                w, h = pw / 2, ph / 2
                for col in range(2):
                    for row in range(2):
                        draw(c, card, col * w, row * h, w, h)
                c.setDash(3, 3)
                c.setStrokeColor(colors.HexColor("#999999"))
                c.setLineWidth(0.3)
                c.line(w, 0, w, ph)
                c.line(0, h, pw, h)
                c.setDash()
            else:
                draw(c, card, 0, 0, pw, ph)
            c.showPage()
    c.save()
    return buffer.getvalue()
