"""Shared pieces of the case page and API tests (no tests here): fixtures for the world's users and
uploads, small files of each kind, and helpers to read pages and workbooks."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.cases import services
from dangjian.cases.choices import CaseKind
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
RESIDENT_NAME, RESIDENT_PHONE = "甲群众张某", "13800001234"
LEDGER_HEADERS = (
    "序号",
    "受理编号",
    "类型",
    "类别",
    "来源",
    "所属村(社区)",
    "乡镇",
    "问题/事项",
    "整改措施",
    "责任人",
    "协办人",
    "时限",
    "状态",
    "验收人",
    "验收时间",
    "销号时间",
    "是否逾期",
    "督办次数",
    "重新打开次数",
    "网格",
    "派单部门",
)


def png(name: str = "照片.png", size: int = 0) -> SimpleUploadedFile:
    body = PNG + b"\x00" * max(size - len(PNG), 0)
    return SimpleUploadedFile(name, body, content_type="image/png")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def exe_as_pdf(name: str = "整改报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The visible text of a page's main part, whitespace collapsed."""
    body = html(response)
    body = body[body.find("<main") :]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def sheet_rows(response) -> list[tuple]:
    from openpyxl import load_workbook

    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def add_cases(world, users, n: int, tag: str) -> None:
    """`n` cases of each kind in county 甲 with co-owners, routes and supervision."""
    root, branch = world.root, world.orgs["branch"]
    whistle_category = world.cases["in_whistle"].category
    service = world.cases["in_errand"].service
    for i in range(n):
        p = services.open_case(
            root,
            kind=CaseKind.PROBLEM,
            org=branch,
            title=f"{tag}问题{i}",
            owner=users.secretary,
            co_owners=[users.office],
            acceptor=users.chief,
        )
        services.supervise(root, p, note="督办")
        services.open_case(
            root,
            kind=CaseKind.ERRAND,
            org=branch,
            title=f"{tag}代办{i}",
            service=service,
            resident_name="王某",
            owner=users.secretary,
        )
        w = services.open_case(
            root,
            kind=CaseKind.WHISTLE,
            grid=world.grids["grid"],
            category=whistle_category,
            title=f"{tag}吹哨{i}",
        )
        services.route(root, w, [world.departments["dept"]])


def audit_count() -> int:
    return AuditEvent.objects.count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def users(world):
    class Users:
        admin = world.user(Role.COUNTY_ADMIN)
        office = world.user(Role.TOWNSHIP_STAFF)
        chief = world.user(Role.STATION_CHIEF)
        secretary = world.user(Role.VILLAGE_SECRETARY)
        grid = world.user(Role.GRID_LEADER)
        liaison = world.user(Role.DEPT_LIAISON)
        leader = world.user(Role.READONLY_LEADER)
        out_admin = world.user("out_admin")

    return Users


@pytest.fixture
def cases(world):
    """The world's cases, read fresh from the database (tests change them)."""
    from dangjian.cases.models import Case

    keys = ("in_problem", "in_errand", "in_whistle", "out_problem", "out_errand", "out_whistle")
    return {k: Case.objects.get(pk=world.cases[k].pk) for k in keys}
