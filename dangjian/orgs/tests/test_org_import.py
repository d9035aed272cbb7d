"""Excel import of the tree: the template, a clean file with clerks' quirks, and every kind of bad file.

Nothing is written unless the whole file is clean; every row error names its row, column and reason.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.orgs.models import Org
from dangjian.orgs.services import import_orgs

pytestmark = pytest.mark.django_db

HEADER = ["编码", "名称", "类型", "上级编码", "排序"]

# A file as clerks make it: a title row, full-width digits and spaces in codes, Chinese kind labels,
# a parent defined a few rows above, and blank rows at the end.
CLEAN_ROWS = [
    ["ＴＸ１", "新镇", "township", "C1", 1],
    ["ＳＸ１　", "新站", "党建工作站", "ＴＸ１", None],
    ["BX1", "大辛庄村", "村党支部", "SX1", "2"],
    ["BX2", " 新村二 ", "branch", "ＳＸ１", None],
    ["GX1", "一组", "党小组", "B1", None],
]


def xlsx(rows, header=HEADER, title="县甲组织导入表", sheet="组织", extra_sheets=(), blank_tail=3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    for _ in range(blank_tail):
        ws.append(["", "　", None, " ", None])
    for name in extra_sheets:
        wb.create_sheet(name).append(["说明"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(actor, data: bytes, dry_run: bool, confirm: bool = False):
    return import_orgs(actor, io.BytesIO(data), dry_run=dry_run, confirm=confirm)


def errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


@pytest.fixture
def admin(world):
    return world.user(Role.COUNTY_ADMIN)


def snapshot() -> tuple[int, int]:
    return Org.objects.count(), AuditEvent.objects.count()


# --- template -------------------------------------------------------------------------------------


def test_template_is_a_workbook_with_the_header_row(world, client_for, admin):
    r = client_for(admin).get("/orgs/import/template/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "组织"
    rows = list(wb["组织"].iter_rows(values_only=True))
    assert list(rows[1]) == HEADER
    kinds = {row[0] for row in wb["类型说明"].iter_rows(min_row=2, values_only=True)}
    assert {"村党支部", "党建工作站", "乡镇（街道）"} <= kinds


# --- a clean file ---------------------------------------------------------------------------------


def test_clean_file_dry_run_reports_ok_and_writes_nothing(world, admin):
    before = snapshot()
    report = run(admin, xlsx(CLEAN_ROWS), dry_run=True)
    assert errors(report) == []
    assert report.ok
    assert report.rows == 5
    assert report.created == []
    assert snapshot() == before


def test_clean_file_commit_writes_every_row_and_one_import_event(world, admin):
    orgs_before = Org.objects.count()
    report = run(admin, xlsx(CLEAN_ROWS), dry_run=False)
    assert report.ok, errors(report)
    assert len(report.created) == 5
    assert Org.objects.count() == orgs_before + 5
    by_code = {o.code: o for o in Org.objects.filter(code__in=["TX1", "SX1", "BX1", "BX2", "GX1"])}
    assert set(by_code) == {"TX1", "SX1", "BX1", "BX2", "GX1"}
    assert by_code["TX1"].parent_id == world.orgs["county"].pk
    assert by_code["SX1"].parent_id == by_code["TX1"].pk
    assert by_code["BX1"].parent_id == by_code["SX1"].pk
    assert by_code["BX2"].parent_id == by_code["SX1"].pk
    assert by_code["GX1"].parent_id == world.orgs["branch"].pk
    assert (by_code["TX1"].kind, by_code["SX1"].kind, by_code["BX1"].kind) == (
        "township",
        "station",
        "branch",
    )
    assert by_code["BX2"].name == "新村二"
    assert by_code["BX1"].sort_order == 2
    assert by_code["BX1"].name_initials == "dxzc"
    assert by_code["BX1"].path == f"{by_code['SX1'].path}{by_code['BX1'].pk:08d}/"
    imports = AuditEvent.objects.filter(action="org.import")
    assert imports.count() == 1
    event = imports.get()
    assert event.actor_id == admin.pk
    assert event.after == {"rows": 5}
    assert (
        AuditEvent.objects.filter(
            action="org.create", object_id__in=[str(o.pk) for o in by_code.values()]
        ).count()
        == 5
    )


@pytest.mark.parametrize(
    ("label", "parent", "kind"), [("乡镇（街道）", "C1", "township"), ("县（区）", "P", "county")]
)
def test_kind_labels_with_chinese_brackets_are_understood(world, label, parent, kind):
    report = run(world.root, xlsx([["NEW1", "新组织", label, parent]]), dry_run=False)
    assert errors(report) == []
    assert Org.objects.get(code="NEW1").kind == kind


def test_a_single_sheet_with_another_name_is_read(world, admin):
    report = run(admin, xlsx(CLEAN_ROWS[:1], sheet="Sheet1"), dry_run=True)
    assert report.ok, errors(report)


def test_header_may_be_the_first_row(world, admin):
    report = run(admin, xlsx(CLEAN_ROWS[:1], title=None), dry_run=True)
    assert report.ok, errors(report)


# --- files that cannot be read --------------------------------------------------------------------


def test_random_bytes_are_refused_with_a_clear_message(world, admin):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        run(admin, b"\x00\x01not a workbook at all" * 50, dry_run=False)
    assert exc.value.message == "无法读取该文件：请上传 .xlsx 格式的 Excel 文件。"
    assert snapshot() == before


def test_wrong_sheet_name_with_several_sheets_is_refused(world, admin):
    with pytest.raises(DomainError) as exc:
        run(admin, xlsx(CLEAN_ROWS, sheet="Sheet1", extra_sheets=["Sheet2"]), dry_run=False)
    assert exc.value.message == "找不到名为“组织”的工作表，请使用下载的模板。"
    assert not Org.objects.filter(code="TX1").exists()


def test_missing_required_column_is_refused(world, admin):
    with pytest.raises(DomainError) as exc:
        run(admin, xlsx([r[:3] for r in CLEAN_ROWS], header=HEADER[:3]), dry_run=False)
    assert exc.value.message.startswith("表头缺少必需的列：")
    assert "上级编码" in exc.value.message
    assert not Org.objects.filter(code="TX1").exists()


@pytest.mark.xfail(
    reason="BUG: read_sheet() names every required column as missing, not the ones actually absent",
    strict=True,
)
def test_missing_column_message_names_only_the_missing_column(world, admin):
    with pytest.raises(DomainError) as exc:
        run(admin, xlsx([r[:3] for r in CLEAN_ROWS], header=HEADER[:3]), dry_run=True)
    assert exc.value.message == "表头缺少必需的列：上级编码。请使用下载的模板。"


def test_file_with_only_a_header_reports_no_rows(world, admin):
    report = run(admin, xlsx([]), dry_run=False)
    assert errors(report) == [(2, "", "文件中没有数据行。")]


# --- row errors: each names row, column and reason; nothing is written ------------------------------

# The clean rows sit on lines 3–7 (title on 1, header on 2); a bad row appended lands on line 8.
BAD_ROWS = [
    pytest.param(
        ["BX1", "重复村", "村党支部", "SX1"], (8, "编码", "编码“BX1”与第5行重复。"), id="duplicate-in-file"
    ),
    pytest.param(
        ["B1", "重复村", "村党支部", "SX1"],
        (8, "编码", "编码“B1”已被系统中的“村甲一”使用。"),
        id="code-in-db",
    ),
    pytest.param(
        ["XX1", "某村", "村委会", "SX1"], (8, "类型", "未知的组织类型“村委会”。"), id="unknown-kind"
    ),
    pytest.param(
        ["XX1", "某组", "党小组", "SX1"],
        (8, "类型", "党建工作站下不能设立党小组。"),
        id="wrong-parent-kind-in-file",
    ),
    pytest.param(
        ["XX1", "某镇", "township", "B1"],
        (8, "类型", "村党支部下不能设立乡镇（街道）。"),
        id="wrong-parent-kind",
    ),
    pytest.param(
        ["XX1", "某村", "村党支部", "S2"],
        (8, "上级编码", "上级编码“S2”不在您管辖的范围内。"),
        id="parent-out-of-scope",
    ),
    pytest.param(
        ["XX1", "某村", "村党支部", "NOPE"],
        (8, "上级编码", "找不到编码为“NOPE”的上级组织（须在本文件上方或系统中）。"),
        id="parent-missing",
    ),
    pytest.param(["XX1", "某村", "村党支部", None], (8, "上级编码", "上级编码不能为空。"), id="parent-empty"),
    pytest.param([None, "某村", "村党支部", "SX1"], (8, "编码", "编码不能为空。"), id="code-empty"),
    pytest.param(
        ["XX1", "村" * 61, "村党支部", "SX1"],
        (8, "名称", "名称不能超过60个字（现为61个字）。"),
        id="name-too-long",
    ),
    pytest.param(["XX1", "某村", "村党支部", "SX1", "第一"], (8, "排序", "排序须为整数。"), id="bad-sort"),
]


@pytest.mark.parametrize(("bad_row", "expected"), BAD_ROWS)
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "commit"])
def test_a_bad_row_is_reported_and_nothing_is_written(world, admin, bad_row, expected, dry_run):
    before = snapshot()
    report = run(admin, xlsx([*CLEAN_ROWS, bad_row]), dry_run=dry_run)
    assert not report.ok
    assert errors(report) == [expected]
    assert report.created == []
    assert snapshot() == before


def test_several_bad_rows_are_all_reported(world, admin):
    rows = [*CLEAN_ROWS, ["BX1", "甲", "村党支部", "SX1"], ["YY1", "乙", "村委会", "SX1"]]
    report = run(admin, xlsx(rows), dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(8, "编码"), (9, "类型")]
    assert not Org.objects.filter(code__in=["TX1", "YY1"]).exists()


def test_a_parent_defined_below_its_child_is_not_found(world, admin):
    rows = [["BX9", "某村", "村党支部", "SX9"], ["SX9", "某站", "党建工作站", "T1"]]
    report = run(admin, xlsx(rows), dry_run=True)
    assert errors(report) == [(3, "上级编码", "找不到编码为“SX9”的上级组织（须在本文件上方或系统中）。")]


def test_only_county_admins_may_import(world):
    staff = world.user(Role.TOWNSHIP_STAFF)
    report = run(staff, xlsx([["BX9", "某村", "村党支部", "S1"]]), dry_run=False)
    assert errors(report) == [(3, "上级编码", "上级编码“S1”不在您管辖的范围内。")]
    assert not Org.objects.filter(code="BX9").exists()


def test_commit_time_refusal_writes_nothing(world, admin):
    """A clash only the service sees (a sibling of the same name) still rolls back the whole file."""
    before = snapshot()
    report = run(admin, xlsx([*CLEAN_ROWS, ["BX9", "村甲二", "村党支部", "S1"]]), dry_run=False)
    assert not report.ok
    assert [(e.row, e.message) for e in report.errors] == [(8, "同一上级下已有名为“村甲二”的组织。")]
    assert report.created == []
    assert snapshot() == before


@pytest.mark.xfail(
    reason="BUG: import_orgs() dry run skips check_sibling_name, so '检查' passes and '确认导入' then fails",
    strict=True,
)
def test_dry_run_reports_a_sibling_name_clash(world, admin):
    report = run(admin, xlsx([["BX9", "村甲二", "村党支部", "S1"]]), dry_run=True)
    assert errors(report) == [(3, "名称", "同一上级下已有名为“村甲二”的组织。")]


@pytest.mark.xfail(
    reason="BUG: import_orgs() dry run never checks station size (ImportReport.warnings is never filled), "
    "so an over-full station is only found at commit time",
    strict=True,
)
def test_dry_run_warns_about_an_over_full_station(world, admin):
    rows = [[f"BX{i}", f"新村{i}", "村党支部", "S1"] for i in range(6)]  # 站甲 has 2: would be 8
    report = run(admin, xlsx(rows), dry_run=True)
    texts = [e.message for e in report.errors] + list(report.warnings)
    assert any("至多7个" in t for t in texts)


def test_over_full_station_commits_only_with_confirmation(world, admin):
    rows = [[f"BX{i}", f"新村{i}", "村党支部", "S1"] for i in range(6)]
    report = run(admin, xlsx(rows), dry_run=False)
    assert not report.ok
    assert "至多7个" in report.errors[0].message
    assert not Org.objects.filter(code="BX0").exists()
    report = run(admin, xlsx(rows), dry_run=False, confirm=True)
    assert report.ok
    assert world.orgs["station"].children.filter(kind="branch").count() == 8


def test_over_long_code_is_a_row_error(world, admin):
    report = run(admin, xlsx([*CLEAN_ROWS, ["X" * 41, "某村", "村党支部", "SX1"]]), dry_run=True)
    assert errors(report) == [(8, "编码", "编码不能超过40个字符。")]


def test_code_clash_with_an_out_of_scope_org_does_not_leak_its_name(world, admin):
    report = run(admin, xlsx([["B3", "某村", "村党支部", "S1"]]), dry_run=True)
    assert not report.ok
    assert all("外村" not in e.message for e in report.errors)


def test_an_export_can_be_imported_elsewhere(world, client_for):
    r = client_for(world.root).get("/orgs/list/", {"within": world.orgs["township"].pk, "export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    header = [c.value for c in ws[2]]
    code_col, parent_col = header.index("编码") + 1, header.index("上级编码") + 1
    for row in range(3, ws.max_row + 1):
        ws.cell(row, code_col).value = "N" + ws.cell(row, code_col).value
        parent = ws.cell(row, parent_col).value
        ws.cell(row, parent_col).value = "C2" if row == 3 else "N" + parent
    buf = io.BytesIO()
    wb.save(buf)
    report = run(world.root, buf.getvalue(), dry_run=False)
    assert errors(report) == []
    assert Org.objects.get(code="NT1").parent_id == world.orgs["out_county"].pk
    assert Org.objects.get(code="NG1").parent.code == "NB1"


# --- the page ---------------------------------------------------------------------------------------


def upload(data: bytes, name: str = "组织.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_import_page_check_then_commit(world, client_for, admin):
    c = client_for(admin)
    assert c.get("/orgs/import/").status_code == 200
    before = snapshot()
    r = c.post("/orgs/import/", {"file": upload(xlsx(CLEAN_ROWS)), "commit": "0"})
    assert r.status_code == 200
    assert "检查通过：共 5 行" in r.content.decode()
    assert snapshot() == before
    r = c.post("/orgs/import/", {"file": upload(xlsx(CLEAN_ROWS)), "commit": "1"})
    assert r.status_code == 302 and r["Location"] == "/orgs/list/"
    assert Org.objects.filter(code__in=["TX1", "SX1", "BX1", "BX2", "GX1"]).count() == 5
    assert AuditEvent.objects.filter(action="org.import").count() == 1
    assert "已导入5个组织。" in c.get(r["Location"]).content.decode()


def test_import_page_lists_row_errors(world, client_for, admin):
    before = snapshot()
    rows = [*CLEAN_ROWS, ["BX1", "重复村", "村党支部", "SX1"]]
    r = client_for(admin).post("/orgs/import/", {"file": upload(xlsx(rows)), "commit": "1"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "发现 1 处问题，未写入任何数据。" in page
    assert "<td>8</td><td>编码</td><td>编码“BX1”与第5行重复。</td>" in page
    assert snapshot() == before


def test_import_page_refuses_a_file_that_is_not_xlsx(world, client_for, admin):
    before = snapshot()
    r = client_for(admin).post(
        "/orgs/import/", {"file": upload(b"PK\x03\x04garbage", "组织.xlsx"), "commit": "1"}
    )
    assert r.status_code == 400
    assert "无法读取该文件：请上传 .xlsx 格式的 Excel 文件。" in r.content.decode()
    assert snapshot() == before


def test_import_page_without_a_file(world, client_for, admin):
    r = client_for(admin).post("/orgs/import/", {"commit": "0"})
    assert r.status_code == 400
    assert "该字段是必填项。" in r.content.decode()
