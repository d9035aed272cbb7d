"""What an uploaded file really is: its first bytes (and, for Word and Excel, the parts inside the zip)
must match the extension it claims, so a renamed program or page is refused wherever files are taken."""

from __future__ import annotations

import zipfile
from typing import Any

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
