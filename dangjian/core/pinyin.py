"""Pinyin search keys stored beside names, so a clerk can type `zsg` for 张三根."""

from pypinyin import Style, lazy_pinyin
from pypinyin.seg.simpleseg import seg


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, no spaces; non-Chinese characters kept as typed."""
    full = "".join(lazy_pinyin(name, errors=lambda s: list(s))).lower().replace(" ", "")
    initials = "".join(
        p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s)) if p.strip()
    ).lower()
    return full[:300], initials[:100]


class PinyinKeys:
    """`pinyin_keys` for the many names of one import, with the same results. pypinyin cuts a name into
    words (a phrase of its dictionary or a single character) and converts each word on its own, so each
    distinct word is converted once instead of once per person."""

    def __init__(self) -> None:
        self.words: dict[str, tuple[str, str]] = {}
        self.names: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        keys = self.names.get(name)
        if keys is None:
            parts = [self.words.get(word) or self._word(word) for word in seg(name)]
            full = "".join(p[0] for p in parts).lower().replace(" ", "")
            keys = self.names[name] = (full[:300], "".join(p[1] for p in parts).lower()[:100])
        return keys

    def _word(self, word: str) -> tuple[str, str]:
        keys = self.words[word] = (
            "".join(lazy_pinyin(word, errors=list)),
            "".join(p[0] for p in lazy_pinyin(word, style=Style.FIRST_LETTER, errors=list) if p.strip()),
        )
        return keys
