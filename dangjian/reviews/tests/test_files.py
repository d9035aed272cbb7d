"""The pack as files: the Word file holds the completion table, the ranked scorecard and next month's
tasks (read back with python-docx) and opens in LibreOffice; the PDF embeds a CJK font; the workbook
has one sheet per part with numbers as numbers and links to the records."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zlib

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from openpyxl import load_workbook

from dangjian.reviews import bench, documents, services, stats

from .helpers import red, scenario

pytestmark = pytest.mark.django_db
BASE = "http://dj.example.cn"


@pytest.fixture
def pack(world, monkeypatch):
    s = scenario(world)
    monkeypatch.setattr(stats, "findings_for", lambda user, today, codes=None: [red(s["d"], "村务公开逾期")])
    review = services.create_review(s["admin"], org=world.orgs["county"], month=s["month"])
    services.update_review(
        s["admin"], review, praise_note="表扬镇甲按期完成。", next_tasks_text="开展主题党日\n整顿软弱涣散村"
    )
    services.add_topic(
        s["admin"],
        review,
        title="小杂粮产业政策解读",
        department=world.departments["dept"],
        notes="现场解决2件",
    )
    return stats.build_pack(s["admin"], review)


def table_text(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_docx_holds_the_three_parts(pack):
    data = documents.build_docx(pack, BASE)
    doc = docx.Document(io.BytesIO(data))
    completion, scorecard, nxt = (table_text(t) for t in doc.tables)
    assert completion[0] == ["序号", "任务", "目标", "完成", "完成率", "已报告/承办", "逾期单位"]
    assert completion[1][:6] == ["1", "修缮水渠", "4000米", "2550米", "62%", "3/4"]
    assert completion[1][6] == "镇甲乙、镇甲丙"
    assert completion[2][1] == "流动党员学习" and completion[2][4] == "62%"
    assert [r[1] for r in scorecard[1:]] == ["镇甲", "镇甲丁", "镇甲乙", "镇甲丙"]
    assert [r[5] for r in scorecard[1:]] == ["100", "94", "50", "0"]
    assert [r[6] for r in scorecard[1:]] == ["表扬", "表扬", "限期整改", "限期整改"]
    assert [r[1] for r in nxt[1:]] == ["下月组织生活会（重点）", "下月未下达到本镇的任务"]
    text = "\n".join(p.text for p in doc.paragraphs)
    for part in (
        "“3+X”工作分析",
        "二、晾晒“成绩单”",
        "表扬镇甲按期完成。",
        "开展主题党日",
        "小杂粮产业政策解读（邀请部门甲住建）",
    ):
        assert part in text
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype == RT.HYPERLINK]
    assert f"{BASE}/findings/?org={pack.scorecard[1].org_id}&severity=overdue" in links
    assert all(u.startswith(BASE) for u in links) and len(links) > 15
    section = doc.sections[0]
    got = [
        section.page_width,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(x.mm) for x in got] == [210, 37, 35, 28, 26]
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    )


@pytest.mark.skipif(
    not shutil.which("soffice"), reason="未安装 LibreOffice（soffice），无法验证 Word 文件能否打开"
)
def test_docx_opens_in_libreoffice(pack, tmp_path):
    source = tmp_path / "pack.docx"
    source.write_bytes(documents.build_docx(pack, BASE))
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    out = tmp_path / "pack.pdf"
    assert result.returncode == 0 and out.exists(), result.stderr.decode(errors="replace")
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf and b"CJK" in pdf


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed (object) streams inflated: WeasyPrint packs the font dictionaries
    into object streams, so they are read after inflating."""
    parts = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[m.end() : m.end() + 2_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_embeds_a_cjk_font(pack):
    pdf = documents.build_pdf(pack, BASE)
    assert pdf.startswith(b"%PDF")
    objects = pdf_objects(pdf)
    assert re.search(rb"/FontFile[23]? \d+ 0 R", objects)
    assert re.search(rb"/BaseFont ?/[A-Z]{6}\+Noto-(Serif|Sans)-CJK-SC", objects)
    assert f"{BASE}/findings/?org=".encode() in objects  # the links survive as URI actions


def test_xlsx_has_a_sheet_per_part(pack):
    wb = load_workbook(io.BytesIO(documents.build_xlsx(pack, BASE)))
    assert wb.sheetnames == ["重点任务完成情况", "成绩单", "下月主要任务", "专题研讨"]
    ws = wb["重点任务完成情况"]
    assert [c.value for c in ws[2]][:6] == ["序号", "任务", "单位", "目标", "完成", "完成率(%)"]
    row = [c.value for c in ws[3]]
    assert row[1:6] == ["修缮水渠", "米", 4000, 2550, 62] and isinstance(row[3], int)
    assert ws["B3"].hyperlink.target.startswith(f"{BASE}/")
    card = wb["成绩单"]
    assert [card.cell(row=r, column=2).value for r in range(3, 7)] == ["镇甲", "镇甲丁", "镇甲乙", "镇甲丙"]
    assert [card.cell(row=r, column=8).value for r in range(3, 7)] == [100, 94, 50, 0]
    assert card["G4"].hyperlink.target.endswith("severity=overdue")
    nxt = [r[1] for r in wb["下月主要任务"].iter_rows(min_row=3, values_only=True)]
    assert nxt == ["下月组织生活会", "下月未下达到本镇的任务", "开展主题党日", "整顿软弱涣散村"]
    assert wb["专题研讨"]["C3"].value == "部门甲住建"


def test_downloads_and_bench(pack, world, client_for):
    client = client_for(world.user("county_admin"))
    review = pack.review
    r = client.get(f"/reviews/{review.pk}/pack.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert "attachment; filename*=UTF-8''" in r["Content-Disposition"]
    doc = docx.Document(io.BytesIO(r.content))
    links = [x.target_ref for x in doc.part.rels.values() if x.reltype == RT.HYPERLINK]
    assert links and all(u.startswith("http://testserver/") for u in links)
    sizes = bench.build_pack(world.user("county_admin"), review)
    assert set(sizes) == {"docx", "xlsx", "pdf"} and all(v > 1000 for v in sizes.values())
