"""The shared upload check: content must match the extension it claims."""

import io
import zipfile

import pytest

from dangjian.core.uploads import content_matches, extension


def office_file(part: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<x/>")
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("data", "ext", "ok"),
    [
        (b"%PDF-1.7 ...", "pdf", True),
        (b"MZ\x90\x00 renamed program", "pdf", False),
        (b"\x89PNG\r\n\x1a\n....", ".PNG", True),
        (b"\xff\xd8\xff\xe0....", "jpg", True),
        (b"<script>alert(1)</script>", "jpg", False),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp", True),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "webp", False),
        (b"GIF89a....", "gif", True),
        (b"%PDF-1.7", "exe", False),
    ],
)
def test_magic_bytes(data, ext, ok):
    assert content_matches(io.BytesIO(data), ext) is ok


def test_word_and_excel_must_hold_their_parts():
    assert content_matches(office_file("word/document.xml"), "docx")
    assert not content_matches(office_file("xl/workbook.xml"), "docx")
    assert content_matches(office_file("xl/workbook.xml"), "xlsx")
    assert not content_matches(io.BytesIO(b"PK\x03\x04 not really a zip"), "xlsx")


def test_extension_of_odd_names():
    assert extension("C:\\材料\\报告.PDF") == "pdf"
    assert extension("无扩展名") == ""
    assert extension("a/b.tar.gz") == "gz"


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.html", b"<script>alert(1)</script>", "只能上传"),
        ("a.exe", b"MZ\x90\x00", "只能上传"),
        ("a.pdf", b"", "空文件"),
        ("a.pdf", b"<script>alert(1)</script>", "内容与扩展名"),
        ("a.png", b"%PDF-1.7", "内容与扩展名"),
        ("big.pdf", b"%PDF-1.7" + b"0" * (1024 * 1024), "超过1MB"),
    ],
)
def test_check_upload_refuses_wrong_kind_size_and_content(name, data, message):
    from dangjian.core.errors import DomainError
    from dangjian.core.uploads import check_upload

    with pytest.raises(DomainError, match=message):
        check_upload(upload(name, data), max_mb=1)


def test_check_upload_returns_the_bare_name():
    from dangjian.core.uploads import check_upload

    assert check_upload(upload("C:\\材料\\报告.pdf", b"%PDF-1.7 x")) == "报告.pdf"
    assert check_upload(upload("照片.PNG", b"\x89PNG\r\n\x1a\n..")) == "照片.PNG"
