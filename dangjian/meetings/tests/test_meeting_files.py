"""Photos and files of a meeting: type checked by name and content, size by the local rule, served as
an attachment only to users who may see the meeting."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.meetings import record_rules as RR
from dangjian.meetings import services
from dangjian.meetings.models import MeetingFile
from dangjian.meetings.testing import PNG, plan

pytestmark = pytest.mark.django_db
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 28
PDF = b"%PDF-1.4 test"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ooxml(entry: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(entry, "<xml/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "name,data",
    [
        ("合影.jpg", JPG),
        ("合影.JPEG", JPG),
        ("现场.png", PNG),
        ("会议记录.pdf", PDF),
        ("签到表.docx", ooxml("word/document.xml")),
        ("出席统计.xlsx", ooxml("xl/workbook.xml")),
    ],
)
def test_allowed_types(world, name, data):
    item = services.upload_file(world.user(Role.VILLAGE_SECRETARY), plan(world), upload(name, data))
    assert item.name == name and item.org_id == world.orgs["branch"].pk
    assert AuditEvent.objects.filter(action="meetings.file", note=f"上传：{name}").exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("脚本.exe", b"MZ", "只能上传 jpg、png 图片或 pdf、docx、xlsx 文件。"),
        ("网页.html", b"<html>", "只能上传 jpg、png 图片或 pdf、docx、xlsx 文件。"),
        ("无扩展名", PNG, "只能上传 jpg、png 图片或 pdf、docx、xlsx 文件。"),
        ("假图片.png", b"<script>alert(1)</script>", "文件内容与扩展名.png不符，请上传真实的图片或文档。"),
        ("假文档.docx", ooxml("xl/workbook.xml"), "文件内容与扩展名.docx不符，请上传真实的图片或文档。"),
        ("假表格.xlsx", b"PK not a zip", "文件内容与扩展名.xlsx不符，请上传真实的图片或文档。"),
    ],
)
def test_refused_types(world, name, data, message):
    with pytest.raises(DomainError) as exc:
        services.upload_file(world.user(Role.VILLAGE_SECRETARY), plan(world), upload(name, data))
    assert exc.value.message == message
    assert not MeetingFile.objects.filter(name=name).exists()


def test_size_limit_boundary(world):
    assert RR.FILE_MAX_MB.value == 10
    meeting, secretary = plan(world), world.user(Role.VILLAGE_SECRETARY)
    services.upload_file(secretary, meeting, upload("正好10MB.pdf", PDF + b"\x00" * (10 * MB - len(PDF))))
    with pytest.raises(DomainError, match="单个文件不能超过10MB"):
        services.upload_file(secretary, meeting, upload("超了.pdf", PDF + b"\x00" * (10 * MB - len(PDF) + 1)))


def test_download_is_an_attachment_and_scoped(world, client_for):
    item = services.upload_file(world.user(Role.VILLAGE_SECRETARY), plan(world), upload("现场.png", PNG))
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(f"/meetings/files/{item.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PNG
    outsider = client_for(world.users["out_admin"])
    assert outsider.get(f"/meetings/files/{item.pk}/").status_code == 404


def test_upload_and_delete_pages(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    meeting = plan(world)
    bad = client.post(f"/meetings/{meeting.pk}/files/", {"kind": "photo", "file": upload("病毒.exe", b"MZ")})
    assert (
        bad.status_code == 400 and "只能上传 jpg、png 图片或 pdf、docx、xlsx 文件。" in bad.content.decode()
    )
    ok = client.post(f"/meetings/{meeting.pk}/files/", {"kind": "photo", "file": upload("合影.jpg", JPG)})
    assert ok.status_code == 302
    item = meeting.files.get()
    assert "合影.jpg" in client.get(meeting.get_absolute_url()).content.decode()
    leader = client_for(world.user(Role.READONLY_LEADER))
    assert leader.post(f"/meetings/files/{item.pk}/delete/").status_code == 403
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert client.post(f"/meetings/files/{item.pk}/delete/").status_code == 302
    assert not meeting.files.exists()
    assert AuditEvent.objects.filter(action="meetings.file_delete", object_id=str(meeting.pk)).exists()


def test_the_api_uploads_through_the_same_checks(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    meeting = plan(world)
    r = client.post(
        f"/api/v1/meetings/{meeting.pk}/files/", {"kind": "photo", "file": upload("假.png", b"GIF89a")}
    )
    assert r.status_code == 400 and "不符" in r.json()["detail"]
    r = client.post(f"/api/v1/meetings/{meeting.pk}/files/", {"kind": "photo", "file": upload("真.png", PNG)})
    assert r.status_code == 201 and r.json()["url"].startswith("/meetings/files/")
