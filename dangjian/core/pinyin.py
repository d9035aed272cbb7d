"""Pinyin search keys stored beside names, so a clerk can type `zsg` for 张三根."""

from pypinyin import Style, lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, no spaces; non-Chinese characters kept as typed."""
    full = "".join(lazy_pinyin(name, errors=lambda s: list(s))).lower().replace(" ", "")
    initials = "".join(
        p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s)) if p.strip()
    ).lower()
    return full[:300], initials[:100]
