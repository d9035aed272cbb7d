"""Excel import of the roster: the template, a messy file as clerks make it (title row, full-width digits
and spaces, every date format, blank trailing rows) reported line by line with nothing written, a clean
file written in one go with one audit event, the same file as CSV (UTF-8, GBK), files that are not what
their name says, the pages, the command, and a 2,000-row file."""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.pinyin import PinyinKeys, pinyin_keys
from dangjian.core.roles import Role
from dangjian.members.models import Member, Person
from dangjian.members.services.identity import check_char
from dangjian.members.services.importing import IMPORT_COLUMNS, import_members, parse_date
from dangjian.members.services.sheet_file import read_upload
from dangjian.members.testing import make_id_number

pytestmark = pytest.mark.django_db

HEADER = list(IMPORT_COLUMNS)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ID_COLUMN = "公民身份号码"


def line(**values) -> list:
    """One sheet row from field names (see IMPORT_COLUMNS)."""
    return [values.get(IMPORT_COLUMNS[h]) for h in HEADER]


def xlsx(rows, title="县甲党员花名册（2026年11月）", blank_tail=3) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "党员"
    if title:
        ws.append([title])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    for _ in range(blank_tail):
        ws.append(["", "　", None, " "])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding: str, title="县甲党员花名册（2026年11月）") -> bytes:
    """The sheet as Excel saves it as CSV: dates as 2020/7/1, numbers as typed, a title row on top."""

    def text(v) -> str:
        if isinstance(v, datetime.date):
            return f"{v.year}/{v.month}/{v.day}"
        return "" if v is None else str(v)

    lines = [[title], HEADER, *rows]
    out = io.StringIO(newline="")
    csv.writer(out).writerows([[text(v) for v in line] for line in lines])
    return out.getvalue().encode(encoding)


def named(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def run(actor, data: bytes | io.BytesIO, dry_run: bool, progress=None):
    upload = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    return import_members(actor, upload, dry_run=dry_run, progress=progress)


def errors(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


def counts() -> tuple[int, int, int]:
    return Member.objects.count(), Person.objects.count(), AuditEvent.objects.count()


def with_x() -> str:
    for seq in range(500):
        number = make_id_number(datetime.date(1985, 6, 15), seq, male=False)
        if number.endswith("X"):
            return number
    raise AssertionError


@pytest.fixture
def admin(world):
    return world.user(Role.COUNTY_ADMIN)


ID_A = make_id_number(datetime.date(1980, 1, 1), 11)
ID_B = make_id_number(datetime.date(1982, 2, 2), 12, male=False)
ID_C = with_x()
ID_D = make_id_number(datetime.date(1985, 6, 15), 14, male=False)


def clean_rows() -> list[list]:
    """Four good rows, together using every accepted way of writing dates and numbers."""
    return [
        line(
            org="Ｂ１",
            name=" 甲导入一 ",
            id_number=ID_A[:6].translate(FULL_WIDTH) + "　" + ID_A[6:].translate(FULL_WIDTH),
            phone="１３９ １２３４ ５６７８",
            status="正式党员",
            joined_on="2010-07-01",
            full_on="2011/7/1",
            education="本科",
            group="组甲",
        ),
        line(
            org="B1",
            name="甲导入二",
            gender="女",
            id_number=ID_B,
            status="正式党员",
            joined_on="2012.07.01",
            full_on="2013年7月1日",
            education="初中",
            dues_category="离退休",
            dues_base=3200,
        ),
        line(
            org="M1",
            name="甲导入三",
            id_number=ID_C.lower(),
            status="正式",
            joined_on=43647,  # an Excel serial number: 2019-07-01
            full_on=datetime.datetime(2020, 7, 1),  # a real date cell
            phone=13712345678,
        ),
        line(
            org="M1",
            name="甲导入四",
            gender="女",
            birth_date="1985年6月15日",
            id_number=ID_D,
            status="预备党员",
            joined_on="2026年3月1日",
            ethnicity="回族",
            occupation="个体经营",
        ),
    ]


def messy_rows(world) -> list[list]:
    wrong = make_id_number(datetime.date(1991, 3, 3), 15)
    wrong = wrong[:17] + ("1" if wrong[17] == "0" else "0")
    return clean_rows() + [
        line(
            org="B1",
            name="甲重复",
            id_number=ID_A,
            status="正式党员",
            joined_on="2010-07-01",
            full_on="2011-07-01",
        ),
        line(
            org="B1",
            name="甲已登记",
            id_number=world.members["member"].person.id_number,
            status="正式党员",
            joined_on="2000-07-01",
            full_on="2001-07-01",
        ),
        line(
            org="B1",
            name="甲校验错",
            id_number=wrong,
            status="正式党员",
            joined_on="2015-07-01",
            full_on="2016-07-01",
        ),
        line(
            org="B2",
            name="甲早入党",
            id_number=make_id_number(datetime.date(1990, 5, 5), 16),
            status="正式党员",
            joined_on="1989-07-01",
            full_on="1990-07-01",
        ),
        line(
            org="B9",
            name="甲无支部",
            id_number=make_id_number(datetime.date(1990, 5, 6), 17),
            status="正式党员",
            joined_on="2015-07-01",
            full_on="2016-07-01",
        ),
        line(
            org="B3",
            name="甲外支部",
            id_number=make_id_number(datetime.date(1990, 5, 7), 18),
            status="正式党员",
            joined_on="2015-07-01",
            full_on="2016-07-01",
        ),
        line(
            org="B1",
            name="甲坏日期",
            id_number=make_id_number(datetime.date(1990, 5, 8), 19),
            status="正式党员",
            joined_on="2019-13-45",
            full_on="2020-07-01",
        ),
        line(
            org="B1",
            name="甲群众",
            id_number=make_id_number(datetime.date(1990, 5, 9), 20),
            status="群众",
            joined_on="2015-07-01",
            full_on="2016-07-01",
            group="三组",
        ),
    ]


def test_the_messy_file_is_reported_line_by_line_and_nothing_is_written(world, admin):
    wrong_digit = check_char(make_id_number(datetime.date(1991, 3, 3), 15)[:17])
    before = counts()
    for dry_run in (True, False):
        report = run(admin, xlsx(messy_rows(world)), dry_run=dry_run)
        assert report.rows == 12
        assert errors(report) == [
            (3, ID_COLUMN, "公民身份号码在本文件中重复出现（第3、7行）。"),
            (7, ID_COLUMN, "公民身份号码在本文件中重复出现（第3、7行）。"),
            (8, ID_COLUMN, "该公民身份号码已在系统中登记（甲党员一，村甲一）。"),
            (
                9,
                ID_COLUMN,
                f"公民身份号码校验码错误：末位应为{wrong_digit}（依据：GB 11643-1999《公民身份号码》）。",
            ),
            (10, "入党时间", "入党时间不能早于出生日期。"),
            (11, "所在党支部编码", "找不到编码为“B9”的党支部（或不在您的管辖范围内）。"),
            (12, "所在党支部编码", "找不到编码为“B3”的党支部（或不在您的管辖范围内）。"),
            (13, "入党时间", "入党时间“2019-13-45”不是有效的日期，请写成如2019-07-01。"),
            (14, "党员类别", "党员类别应为正式党员或预备党员。"),
            (14, "党小组", "“村甲一”下没有名为“三组”的党小组。"),
        ]
        assert report.created == 0
        assert counts() == before


def test_a_clean_file_commits_exactly_its_rows_with_one_audit_event(world, admin):
    before = counts()
    dry = run(admin, xlsx(clean_rows()), dry_run=True)
    assert dry.ok and dry.rows == 4 and dry.created == 0
    assert dry.by_org == {"村甲一": 2, "社区甲": 2}
    assert counts() == before
    report = run(admin, xlsx(clean_rows()), dry_run=False)
    assert report.ok and report.created == 4
    assert counts() == (before[0] + 4, before[1] + 4, before[2] + 1)
    event = AuditEvent.objects.get(action="member.import")
    assert event.org == world.orgs["township"]  # the lowest org above both branches
    assert event.after == {"rows": 4}
    assert event.note == "从 Excel 导入4名党员（2个党支部）"

    one = Member.objects.select_related("person").get(person__id_number=ID_A)
    assert (one.person.name, one.org, one.group) == ("甲导入一", world.orgs["branch"], world.orgs["group"])
    assert (one.person.gender, one.person.birth_date) == ("male", datetime.date(1980, 1, 1))
    assert (one.joined_on, one.full_on) == (datetime.date(2010, 7, 1), datetime.date(2011, 7, 1))
    assert (one.person.phone, one.person.education) == ("13912345678", "bachelor")
    assert (one.person.name_initials, one.person.id_tail) == ("jdry", ID_A[-6:])
    two = Member.objects.get(person__id_number=ID_B)
    assert (two.joined_on, two.full_on) == (datetime.date(2012, 7, 1), datetime.date(2013, 7, 1))
    assert (two.dues_category, str(two.dues_base), two.person.gender) == ("retired", "3200.00", "female")
    three = Member.objects.get(person__id_number=ID_C)  # stored upper case
    assert (three.joined_on, three.full_on) == (datetime.date(2019, 7, 1), datetime.date(2020, 7, 1))
    assert (three.org, three.person.phone) == (world.orgs["community"], "13712345678")
    four = Member.objects.get(person__id_number=ID_D)
    assert (four.status, four.full_on, four.joined_on) == ("probationary", None, datetime.date(2026, 3, 1))
    assert (four.person.ethnicity, four.person.occupation) == ("回族", "个体经营")


def test_a_village_secretary_imports_only_into_her_branch(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    report = run(secretary, xlsx(clean_rows()), dry_run=True)
    assert [(e.row, e.message) for e in report.errors] == [
        (5, "找不到编码为“M1”的党支部（或不在您的管辖范围内）。"),
        (6, "找不到编码为“M1”的党支部（或不在您的管辖范围内）。"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-07-01", datetime.date(2019, 7, 1)),
        ("2019/7/1", datetime.date(2019, 7, 1)),
        ("2019.07.01", datetime.date(2019, 7, 1)),
        ("2019年7月1日", datetime.date(2019, 7, 1)),
        ("2019 年 7 月 1 日", datetime.date(2019, 7, 1)),
        ("20190701", datetime.date(2019, 7, 1)),
        ("2019-07-01 00:00:00", datetime.date(2019, 7, 1)),
        (43647, datetime.date(2019, 7, 1)),
        (43647.0, datetime.date(2019, 7, 1)),
        ("43647", datetime.date(2019, 7, 1)),
        (datetime.datetime(2019, 7, 1, 8, 30), datetime.date(2019, 7, 1)),
        (None, None),
    ],
)
def test_dates_as_clerks_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2019-02-30", "七月一日", "2019-07", 0, -5, True])
def test_dates_that_are_refused(value):
    with pytest.raises((ValueError, OverflowError)):
        parse_date(value)


def test_an_id_number_excel_turned_into_a_number_is_explained(world, admin):
    rows = [
        line(
            org="B1",
            name="甲数字",
            id_number=1.40932198001010e17,
            status="正式党员",
            joined_on="2010-07-01",
            full_on="2011-07-01",
        )
    ]
    report = run(admin, xlsx(rows), dry_run=True)
    assert errors(report) == [
        (3, ID_COLUMN, "公民身份号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写。")
    ]


def test_files_that_cannot_be_read(world, admin):
    with pytest.raises(DomainError, match="请上传 .xlsx"):
        run(admin, named(b"not a workbook", "roster.pdf"), dry_run=True)
    wb = Workbook()
    wb.active.append(["姓名", "性别"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DomainError, match="表头缺少必需的列"):
        run(admin, buf.getvalue(), dry_run=True)
    report = run(admin, xlsx([]), dry_run=True)
    assert errors(report) == [(2, "", "文件中没有数据行。")]


def test_the_template_round_trips(world, admin, client_for):
    r = client_for(admin).get("/members/import/template/")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["党员", "填写说明"]
    rows = list(wb["党员"].iter_rows(values_only=True))
    assert rows[1] == tuple(HEADER)
    assert len(rows) == 4
    notes = [r[:2] for r in wb["填写说明"].iter_rows(values_only=True)]
    assert ("村甲一", "B1") in notes and ("外村", "B3") not in notes
    assert any(r[0] == "学历" and "大学本科" in r[2] for r in wb["填写说明"].iter_rows(values_only=True))
    # The example rows import as they are once the example code is replaced with a real one.
    ws = wb["党员"]
    for row in (3, 4):
        ws.cell(row=row, column=1, value="B1")
    buf = io.BytesIO()
    wb.save(buf)
    assert run(admin, buf.getvalue(), dry_run=True).ok


def test_the_import_page_checks_then_commits(world, admin, client_for):
    client = client_for(admin)
    assert client.get("/members/import/").status_code == 200
    data = xlsx(clean_rows())
    before = counts()
    r = client.post("/members/import/", {"file": io.BytesIO(data), "commit": "0"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "检查通过" in html and "共 4 行" in html
    assert counts() == before
    bad = client.post("/members/import/", {"file": io.BytesIO(xlsx(messy_rows(world))), "commit": "1"})
    assert bad.status_code == 400
    assert (
        "<td>11</td><td>所在党支部编码</td><td>找不到编码为“B9”的党支部（或不在您的管辖范围内）。</td>"
        in (bad.content.decode())
    )
    assert counts() == before
    done = client.post("/members/import/", {"file": io.BytesIO(data), "commit": "1"})
    assert done.status_code == 302 and done["Location"] == "/members/"
    assert Member.objects.count() == before[0] + 4


@pytest.mark.parametrize("role", [Role.STATION_CHIEF, Role.GRID_LEADER, Role.READONLY_LEADER])
def test_roles_that_may_not_import_are_refused(world, client_for, role):
    client = client_for(world.user(role))
    assert client.get("/members/import/").status_code == 403
    before = counts()
    r = client.post("/members/import/", {"file": io.BytesIO(xlsx(clean_rows())), "commit": "1"})
    assert r.status_code == 403
    assert counts() == before


def big_file(n: int) -> bytes:
    rows = []
    for i in range(n):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i)
        rows.append(
            line(
                org="B1" if i % 2 else "M1",
                name=f"甲批量{i}",
                id_number=make_id_number(birth, i, male=bool(i % 3)),
                status="正式党员",
                joined_on="2000-07-01",
                full_on="2001-07-01",
                phone=f"139{i:08d}",
            )
        )
    return xlsx(rows)


def test_a_2000_row_file_imports_quickly_without_a_query_per_row(world, admin):
    data = big_file(2000)
    calls = []
    started = time.monotonic()
    with CaptureQueriesContext(connection) as checking:
        assert run(admin, data, dry_run=True, progress=lambda done, total: calls.append((done, total))).ok
    assert calls == [(1000, 2000), (2000, 2000)]
    assert len(checking) < 10
    with CaptureQueriesContext(connection) as writing:
        report = run(admin, data, dry_run=False)
    elapsed = time.monotonic() - started
    assert report.ok and report.created == 2000, errors(report)[:5]
    # Inserts go in batches (SQLite caps the parameters per statement, so its batches are smaller).
    assert len(writing) < 100
    assert elapsed < 30
    assert Member.objects.filter(person__name__startswith="甲批量").count() == 2000
    assert AuditEvent.objects.filter(action="member.import").count() == 1


def test_the_command_prints_progress_and_commits(world, admin, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(big_file(1200))
    out = io.StringIO()
    call_command("import_members", str(path), "--user", admin.username, stdout=out)
    assert "已检查 1000/1200 行" in out.getvalue() and "检查通过" in out.getvalue()
    assert not Member.objects.filter(person__name="甲批量1").exists()
    call_command("import_members", str(path), "--user", admin.username, "--commit", stdout=io.StringIO())
    assert Member.objects.filter(person__name__startswith="甲批量").count() == 1200
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(messy_rows(world)))
    out = io.StringIO()
    with pytest.raises(CommandError, match="发现10处问题"):
        call_command("import_members", str(bad), "--user", admin.username, "--commit", stdout=out)
    assert "第11行\t所在党支部编码\t找不到编码为“B9”的党支部" in out.getvalue()


@pytest.mark.parametrize("base", ["abc", "NaN", "1e20"])
def test_a_dues_base_that_is_not_an_amount(world, admin, base):
    row = line(
        org="B1",
        name="甲在职",
        id_number=ID_A,
        status="正式党员",
        joined_on="2010-07-01",
        full_on="2011-07-01",
        dues_category="在职",
        dues_base=base,
    )
    assert errors(run(admin, xlsx([row]), dry_run=True)) == [
        (3, "党费计算基数", "党费计算基数须为数字（元/月）。")
    ]


def test_import_progress_is_readable_while_and_after_it_runs(world, client_for):
    """The page polls /members/import/progress/?id=…; only the user who uploaded can read it."""
    upload_id = uuid.uuid4().hex
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert office.get("/members/import/progress/", {"id": upload_id}).json() == {"done": 0, "total": 0}
    buf = io.BytesIO(xlsx(clean_rows()[:1]))
    buf.name = "roster.xlsx"
    r = office.post("/members/import/", {"file": buf, "commit": "0", "upload_id": upload_id})
    assert r.status_code == 200, r.content.decode()[:2000]
    assert office.get("/members/import/progress/", {"id": upload_id}).json() == {"done": 1, "total": 1}
    other = client_for(world.user(Role.COUNTY_ADMIN))
    assert other.get("/members/import/progress/", {"id": upload_id}).json() == {"done": 0, "total": 0}
    assert other.get("/members/import/progress/", {"id": "../../etc"}).json() == {"done": 0, "total": 0}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_a_csv_file_gets_the_same_checks_and_is_written_alike(world, admin, encoding):
    """Excel in China saves “CSV（逗号分隔）” as GBK and “CSV UTF-8” with a BOM; either reads as the
    workbook does, to the same row numbers and messages."""
    expected = errors(run(admin, xlsx(messy_rows(world)), dry_run=True))
    for name in ("花名册.csv", None):  # the command's path, or an upload without a name
        data = csv_bytes(messy_rows(world), encoding)
        assert errors(run(admin, named(data, name) if name else data, dry_run=True)) == expected
    before = counts()
    report = run(admin, named(csv_bytes(clean_rows(), encoding), "花名册.csv"), dry_run=False)
    assert report.ok and report.created == 4, errors(report)
    assert counts() == (before[0] + 4, before[1] + 4, before[2] + 1)
    three = Member.objects.select_related("person").get(person__id_number=ID_C)
    assert (three.joined_on, three.full_on) == (datetime.date(2019, 7, 1), datetime.date(2020, 7, 1))
    assert (three.person.phone, three.person.name) == ("13712345678", "甲导入三")
    one = Person.objects.get(id_number=ID_A)  # typed with full-width digits and spaces
    assert (one.phone, one.name_initials) == ("13912345678", "jdry")


def test_an_id_number_excel_wrote_to_csv_as_a_number_is_explained(world, admin):
    row = line(org="B1", name="甲数字", id_number="1.40932E+17", status="正式党员", joined_on="2010-07-01")
    report = run(admin, named(csv_bytes([row], "gbk"), "a.csv"), dry_run=True)
    assert errors(report)[0] == (
        3,
        ID_COLUMN,
        "公民身份号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写。",
    )


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"%PDF-1.7 not a sheet",
            "花名册.xlsx",
            "内容不是 .xlsx 格式的 Excel 工作簿（可能是其他文件改了扩展名）",
        ),
        ("姓名,公民身份号码\n张三,1".encode("gbk"), "花名册.xlsx", "可能是其他文件改了扩展名"),
        (docx_bytes(), "花名册.xlsx", "无法读取该文件：请上传 .xlsx 格式的 Excel 文件或 .csv 文件。"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "花名册.xls",
            "旧版 Excel（.xls）文件或设了密码的文件",
        ),
        (b"a,b\n\xff\xfe,c\n", "花名册.csv", "无法识别 CSV 文件的编码"),
        (b"a\x00b\x00", "花名册.csv", "无法读取该文件"),
        (b"any", "花名册.docx", "无法读取该文件"),
        (b'a,"' + b"x" * 200_000 + b'"\n', "花名册.csv", "无法读取该 CSV 文件：格式有误"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_explained(data, name, message):
    with pytest.raises(DomainError, match=re.escape(message)) as exc:
        read_upload(named(data, name), IMPORT_COLUMNS, ["姓名"], "党员")
    assert exc.value.field == "file"


def test_the_page_explains_a_renamed_file_and_takes_a_csv(world, admin, client_for):
    client = client_for(admin)
    before = counts()
    r = client.post("/members/import/", {"file": named(b"%PDF-1.7", "花名册.xlsx"), "commit": "1"})
    assert r.status_code == 400
    assert "可能是其他文件改了扩展名" in r.content.decode()
    assert counts() == before
    done = client.post(
        "/members/import/", {"file": named(csv_bytes(clean_rows(), "gbk"), "花名册.csv"), "commit": "1"}
    )
    assert done.status_code == 302, done.content.decode()[-3000:]
    assert counts()[0] == before[0] + 4


def test_imported_names_get_the_pinyin_keys_typed_ones_get():
    """The import converts each word of a name once (PinyinKeys); search must find both alike."""
    names = [
        "张三根",
        "曾国藩",
        "单雄信",
        "长孙无忌",
        "解放军",
        "朝阳",
        "重庆人",
        "欧阳明月",
        "Tom 张",
        "李-四",
    ]
    names += ["张 三", "", "  ", "ＡＢ张", "𠀀王", "行长" * 30, "银行行长", "乐乐", "阿弥陀佛"]
    keys = PinyinKeys()
    assert [keys(n) for n in names + names] == [pinyin_keys(n) for n in names + names]


def test_the_longest_name_has_search_keys_that_fit_their_columns():
    """40 characters of a six-letter syllable: PostgreSQL would refuse a key longer than its column."""
    from dangjian.core.pinyin import PinyinKeys, pinyin_keys
    from dangjian.members.models import Person

    field = Person._meta.get_field
    name = "庄" * field("name").max_length
    for full, initials in (pinyin_keys(name), PinyinKeys()(name)):
        assert len(full) == 6 * len(name) <= field("name_pinyin").max_length
        assert len(initials) == len(name) <= field("name_initials").max_length
