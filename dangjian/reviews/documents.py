"""The 3+X pack as files, all three from the same live figures (stats.Pack):

- Word (python-docx), for people to edit: GB/T 9704-2012 taken loosely — A4, margins 37/35/28/26 mm,
  title in 小标宋 (二号), headings 黑体 (三号), body 仿宋_GB2312 (三号, 28 pt lines), tables in 四号/小四,
  page numbers “— 1 —”; the fonts' table names Noto CJK as the substitute where the official fonts are
  not installed (LibreOffice on Debian);
- Excel (openpyxl): one sheet per part, numbers as numbers;
- PDF (WeasyPrint) from reviews/pack_pdf.html with Noto CJK embedded.
Every figure links to the absolute URL of the records behind it."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .stats import Pack, number

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
# Where the official fonts are missing, these stand in (w:altName in the fonts' table).
FALLBACKS = {
    BODY_FONT: "Noto Serif CJK SC",
    TITLE_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
}
LATIN_FONT = "Times New Roman"
VERDICT = {"praise": "表扬", "rectify": "限期整改", "": ""}


def absolute(base: str, url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{base}{url}" if base else url


def pct(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


# --- Word ----------------------------------------------------------------------------------------


def _fonts(run_or_style: Any, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _font_table(doc: Any) -> None:
    """Declare the official fonts with their stand-ins, so LibreOffice substitutes Noto CJK."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": "roman" if "Serif" in alt else "swiss"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run("— "), BODY_FONT, 14)
    run = p.add_run()
    _fonts(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _fonts(p.add_run(" —"), BODY_FONT, 14)


def _hyperlink(paragraph: Any, text: str, url: str, size: float) -> None:
    """A run linked to `url` (python-docx has no API for external hyperlinks)."""
    if not url:
        _fonts(paragraph.add_run(text), BODY_FONT, size)
        return
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi"):
        fonts.set(qn(f"w:{attr}"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    for el in (fonts, color, underline, sz):
        rpr.append(el)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _heading(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _fonts(p.add_run(text), HEADING_FONT, 16)


def _para(doc: Any, text: str, indent: bool = True) -> Any:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    _fonts(p.add_run(text), BODY_FONT, 16)
    return p


TABLE_SIZE = 11


def _table(doc: Any, headers: list[str], rows: list[list[Any]], widths: list[float]) -> Any:
    """A bordered table; a cell given as (text, url) is a hyperlink."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(text), HEADING_FONT, TABLE_SIZE)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            parts = value if isinstance(value, list) else [value]
            p = cell.paragraphs[0]
            for i, part in enumerate(parts):
                if i:
                    _fonts(p.add_run("、"), BODY_FONT, TABLE_SIZE)
                if isinstance(part, tuple):
                    _hyperlink(p, str(part[0]), part[1], TABLE_SIZE)
                else:
                    _fonts(p.add_run("" if part is None else str(part)), BODY_FONT, TABLE_SIZE)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return table


def build_docx(pack: Pack, base: str = "") -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    _font_table(doc)
    _page_number(section)
    a = lambda url: absolute(base, url)  # noqa: E731
    review = pack.review

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    _fonts(title.add_run(f"{pack.org.name}{review.month_label}\n“3+X”工作分析"), TITLE_FONT, 22)
    stamp = doc.add_paragraph()
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(
        stamp.add_run(f"（数据截至{pack.today:%Y-%m-%d}，生成于{timezone.localtime():%Y-%m-%d %H:%M}）"),
        "楷体_GB2312",
        14,
    )

    _heading(
        doc,
        "一、当月重点任务完成情况"
        if pack.key_only
        else "一、当月任务完成情况（本月未标重点任务，列全部任务）",
    )
    if pack.completion:
        rows = []
        for i, r in enumerate(pack.completion, 1):
            rows.append(
                [
                    i,
                    (r.title, a(r.url)),
                    (f"{number(r.target)}{r.unit}", a(r.rollup_url)),
                    (f"{number(r.done)}{r.unit}", a(r.rollup_url)),
                    (pct(r.percent), a(r.rollup_url)),
                    (f"{r.reported}/{r.assignments}", a(r.rollup_url)),
                    [(o.name, a(o.url)) for o in r.late_orgs] or "无",
                ]
            )
        _table(
            doc,
            ["序号", "任务", "目标", "完成", "完成率", "已报告/承办", "逾期单位"],
            rows,
            [10, 44, 20, 20, 16, 20, 26],
        )
    else:
        _para(doc, "本月没有下达到本级及以下的任务。")

    _heading(doc, "二、晾晒“成绩单”")
    _para(doc, pack.formula)
    rows = [
        [
            r.rank,
            (r.org_name, a(r.rollup_url)),
            (pct(r.percent), a(r.rollup_url)),
            (r.late, a(r.rollup_url)),
            (r.red, a(r.findings_url)),
            r.score,
            VERDICT[r.verdict],
        ]
        for r in pack.scorecard
    ]
    if rows:
        _table(
            doc,
            ["名次", pack.child_label, "任务完成率", "逾期任务", "红色问题", "得分", "评定"],
            rows,
            [12, 40, 24, 20, 20, 16, 24],
        )
    else:
        _para(doc, f"没有可排名的{pack.child_label}。")
    for label, items, note in (
        ("表扬", pack.praised, review.praise_note),
        ("整改要求", pack.rectified, review.rectification_note),
    ):
        if items or note:
            _para(doc, f"{label}：")
            for r in items:
                _para(doc, f"{r.org_name}（第{r.rank}名，{r.score}分）：{'；'.join(r.reasons)}。")
            if note:
                _para(doc, note)

    _heading(doc, f"三、{pack.next_month.month}月主要任务")
    if pack.next_tasks:
        rows = [
            [i, (t.title + ("（重点）" if t.key else ""), a(t.url)), t.issuer, t.target, f"{t.due:%Y-%m-%d}"]
            for i, t in enumerate(pack.next_tasks, 1)
        ]
        _table(doc, ["序号", "任务", "下达单位", "目标", "完成期限"], rows, [12, 60, 28, 34, 24])
    if review.next_tasks_text:
        for line in review.next_tasks_text.splitlines():
            if line.strip():
                _para(doc, line.strip())
    if not pack.next_tasks and not review.next_tasks_text:
        _para(doc, "下月任务清单尚未下达。")

    _heading(doc, "四、专题研讨（X）")
    if not pack.topics:
        _para(doc, "本月未安排专题研讨。")
    for i, t in enumerate(pack.topics, 1):
        dept = f"（邀请{t.department.name}）" if t.department else ""
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _fonts(p.add_run(f"（{i}）{t.title}{dept}"), "楷体_GB2312", 16)
        if t.agenda:
            _para(doc, f"议程：{t.agenda}")
        if t.notes:
            _para(doc, f"纪要：{t.notes}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Excel ---------------------------------------------------------------------------------------

SHEETS = ("重点任务完成情况", "成绩单", "下月主要任务", "专题研讨")
LINK = Font(color="0563C1", underline="single")
BOLD = Font(bold=True)


def _sheet(wb: Any, title: str, caption: str, headers: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append([caption])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(headers)
    for c in ws[2]:
        c.font = BOLD
    for values in rows:
        ws.append([v[0] if isinstance(v, tuple) else v for v in values])
        for col, v in enumerate(values, 1):
            if isinstance(v, tuple) and v[1]:
                cell = ws.cell(row=ws.max_row, column=col)
                cell.hyperlink = v[1]
                cell.font = LINK
    for col, h in enumerate(headers, 1):
        longest = max(
            [len(str(h))]
            + [len(str(r[col - 1][0] if isinstance(r[col - 1], tuple) else r[col - 1] or "")) for r in rows]
        )
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, longest * 2 + 2))
    ws.freeze_panes = "A3"
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(vertical="top", wrap_text=True)


def build_xlsx(pack: Pack, base: str = "") -> bytes:
    a = lambda url: absolute(base, url)  # noqa: E731
    review = pack.review
    wb = Workbook()
    wb.remove(wb.active)
    head = f"{pack.org.name}{review.month_label}“3+X”工作分析"
    _sheet(
        wb,
        SHEETS[0],
        f"{head}：{'重点任务' if pack.key_only else '全部任务（本月未标重点任务）'}完成情况"
        f"（截至{pack.today:%Y-%m-%d}）",
        [
            "序号",
            "任务",
            "单位",
            "目标",
            "完成",
            "完成率(%)",
            "承办单位数",
            "已报告",
            "逾期单位数",
            "逾期单位",
        ],
        [
            [
                i,
                (r.title, a(r.url)),
                r.unit,
                (number(r.target), a(r.rollup_url)),
                (number(r.done), a(r.rollup_url)),
                (r.percent, a(r.rollup_url)),
                r.assignments,
                r.reported,
                r.late,
                "、".join(o.name for o in r.late_orgs),
            ]
            for i, r in enumerate(pack.completion, 1)
        ],
    )
    _sheet(
        wb,
        SHEETS[1],
        f"{head}：成绩单。{pack.formula}",
        [
            "名次",
            pack.child_label,
            "任务完成率(%)",
            "完成",
            "目标",
            "逾期任务",
            "红色问题",
            "得分",
            "评定",
            "理由",
        ],
        [
            [
                r.rank,
                (r.org_name, a(r.rollup_url)),
                (r.percent, a(r.rollup_url)),
                number(r.capped),
                number(r.target),
                r.late,
                (r.red, a(r.findings_url)),
                r.score,
                VERDICT[r.verdict],
                "；".join(r.reasons),
            ]
            for r in pack.scorecard
        ],
    )
    next_rows: list[list[Any]] = [
        [i, (t.title, a(t.url)), "是" if t.key else "", t.issuer, t.target, t.due]
        for i, t in enumerate(pack.next_tasks, 1)
    ]
    extra = [line.strip() for line in review.next_tasks_text.splitlines() if line.strip()]
    next_rows += [[len(next_rows) + i, line, "", pack.org.name, "", None] for i, line in enumerate(extra, 1)]
    _sheet(
        wb,
        SHEETS[2],
        f"{head}：{pack.next_month.year}年{pack.next_month.month}月主要任务",
        ["序号", "任务", "重点", "下达单位", "目标", "完成期限"],
        next_rows,
    )
    for row in wb[SHEETS[2]].iter_rows(min_row=3, min_col=6, max_col=6):
        for c in row:
            c.number_format = "yyyy-mm-dd"
    _sheet(
        wb,
        SHEETS[3],
        f"{head}：专题研讨（X）",
        ["序号", "专题", "邀请部门", "议程", "研讨纪要"],
        [
            [i, t.title, t.department.name if t.department else "", t.agenda, t.notes]
            for i, t in enumerate(pack.topics, 1)
        ],
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def pdf_html(pack: Pack, base: str = "") -> str:
    return render_to_string(
        "reviews/pack_pdf.html",
        {"pack": pack, "review": pack.review, "base": base, "generated": timezone.localtime()},
    )


def build_pdf(pack: Pack, base: str = "") -> bytes:
    from weasyprint import HTML

    return HTML(string=pdf_html(pack, base), base_url=base or None).write_pdf()
