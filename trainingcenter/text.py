"""Vietnamese text keys: search without diacritics (DESIGN.md, Trainee)."""

import unicodedata


def search_key(text: str) -> str:
    """Lower-case `text` without diacritics, đ as d, spaces collapsed.

    "  Nguyễn Thị  HOÀ " and "nguyen thi hoa" give the same key, whether the
    input came composed (NFC) or decomposed (NFD).
    """
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return " ".join(bare.lower().split())
