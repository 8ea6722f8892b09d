"""Diacritic-free matching of Vietnamese text: "dang ky khai sinh" finds "Đăng ký khai sinh"."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, without tone marks or vowel diacritics, đ → d, single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
