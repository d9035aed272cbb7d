"""For the lead's benchmark harness: build the whole 3+X pack (live figures, Word, Excel, PDF) of a
review as `user` sees it. The harness times the call."""

from __future__ import annotations

from typing import Any

from . import documents, stats
from .models import MonthlyReview


def build_pack(user: Any, review: MonthlyReview, base_url: str = "http://localhost") -> dict[str, int]:
    """Build the three files once from one read of the figures; answer their sizes in bytes."""
    pack = stats.build_pack(user, review)
    return {
        "docx": len(documents.build_docx(pack, base_url)),
        "xlsx": len(documents.build_xlsx(pack, base_url)),
        "pdf": len(documents.build_pdf(pack, base_url)),
    }
