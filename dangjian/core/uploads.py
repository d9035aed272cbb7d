"""What an uploaded file really is: its first bytes (and, for Word and Excel, the parts inside the zip)
must match the extension it claims, so a renamed program or page is refused wherever files are taken."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import Any

from .errors import DomainError

MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def extension(name: str) -> str:
    """`报告.PDF` → `pdf`; no dot → ``."""
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def content_matches(upload: Any, ext: str) -> bool:
    """Whether the file's content is the kind its extension (without the dot) names."""
    ext = ext.lstrip(".").lower()
    if ext not in MAGIC:
        return False
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in MAGIC[ext]):
        return False
    if ext == "webp":
        return head[8:12] == b"WEBP"
    if ext in ZIP_PARTS:
        try:
            with zipfile.ZipFile(upload) as archive:
                return ZIP_PARTS[ext] in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
    return True


DOCUMENTS = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")


def check_upload(
    upload: Any, allowed: Iterable[str] = DOCUMENTS, max_mb: int = 20, field: str = "file"
) -> str:
    """The one check for a single uploaded file: present, an allowed kind, within `max_mb`, and its
    content what the extension claims. Returns the file's own name (no path), for storing."""
    if upload is None:
        raise DomainError("请选择要上传的文件。", field=field)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    ext = extension(name)
    allowed = tuple(allowed)
    if ext not in allowed:
        raise DomainError(f"只能上传 {'、'.join(allowed)} 文件。", field=field)
    size = getattr(upload, "size", 0) or 0
    if not size:
        raise DomainError(f"“{name}”是空文件。", field=field)
    if size > max_mb * 1024 * 1024:
        raise DomainError(f"“{name}”超过{max_mb}MB，请压缩后再上传。", field=field)
    if not content_matches(upload, ext):
        raise DomainError(f"“{name}”的内容与扩展名 .{ext} 不符，请上传真实的图片或文档。", field=field)
    return name
