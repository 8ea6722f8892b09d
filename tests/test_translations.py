"""The English catalog is complete and in step with the sources, and the compiled catalogs are current.

A fresh `makemessages` runs on a copy of the sources in a temporary folder, so the committed catalogs are
never touched; every message it finds must be in locale/vi and locale/en, and translated in locale/en.
"""

import ast
import datetime as dt
import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ("vi", "en")
# What `make messages` reads: every .py, .html and .txt file but .venv and bench (see the Makefile). The
# other folders hold no source of ours: build output, caches, the catalogs themselves.
NOT_SOURCE = {".venv", "bench", "var", ".git", "locale", "node_modules", "build", "staticfiles"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*[diouxXeEfFgGcrsa%]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    def label(self) -> str:
        return f"{self.msgctxt + ' | ' if self.msgctxt else ''}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file as gettext reads them (obsolete "#~" entries kept apart)."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            if entry.msgid is not None and keyword in ("msgctxt", "msgid") and entry.msgstr:
                flush()  # a new entry with no blank line before it
            target = keyword
            if keyword == "msgctxt":
                entry.msgctxt = ""
            elif keyword == "msgid":
                entry.msgid = ""
            elif keyword == "msgid_plural":
                entry.msgid_plural = ""
            elif keyword == "msgstr":
                entry.msgstr[0] = ""
            elif keyword.startswith("msgstr["):
                entry.msgstr[int(keyword[7:-1])] = ""
            else:
                raise AssertionError(f"{path}: cannot read line {raw!r}")
        if target == "msgctxt":
            entry.msgctxt += value
        elif target == "msgid":
            entry.msgid += value
        elif target == "msgid_plural":
            entry.msgid_plural += value
        elif target == "msgstr":
            entry.msgstr[0] += value
        elif target and target.startswith("msgstr["):
            entry.msgstr[int(target[7:-1])] += value
    flush()
    return entries


def catalog(language: str) -> list[Entry]:
    return [e for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po") if not e.obsolete]


def messages_of(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid != ""]


def _copy_ignore(folder: str, names: list[str]) -> set[str]:
    ignored = set()
    for name in names:
        path = Path(folder) / name
        if path.is_dir():
            if name in NOT_SOURCE or name.startswith(".") or name == "__pycache__":
                ignored.add(name)
        elif path.suffix not in SOURCE_SUFFIXES:
            ignored.add(name)
    return ignored


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple, Entry]:
    """The messages a fresh `makemessages` finds in the sources as they are now."""
    source = tmp_path_factory.mktemp("messages") / "source"
    shutil.copytree(ROOT, source, ignore=_copy_ignore)
    (source / "locale").mkdir()
    here = Path.cwd()
    os.chdir(source)
    try:
        with override_settings(LOCALE_PATHS=[str(source / "locale")]):
            call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    return {e.key: e for e in messages_of(parse_po(source / "locale" / "en" / "LC_MESSAGES" / "django.po"))}


def test_the_extraction_finds_the_messages_of_the_interface(extracted):
    # Guards the comparison below: an extraction that found nothing would make it pass vacuously.
    msgids = {key[1] for key in extracted}
    assert {"Đăng nhập cán bộ", "Tra cứu hồ sơ", "Hồ sơ Một cửa"} <= msgids


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_every_message_of_the_sources(extracted, language):
    present = {e.key for e in catalog(language)}

    missing = [entry.label() for key, entry in extracted.items() if key not in present]

    assert not missing, (
        f"locale/{language} lacks {len(missing)} message(s); run `make messages` and translate:\n"
        + "\n".join(missing[:30])
    )


def test_english_catalog_translates_every_message(extracted):
    entries = messages_of(catalog("en"))

    untranslated = [e.label() for e in entries if not e.translated]
    fuzzy = [e.label() for e in entries if "fuzzy" in e.flags]

    assert not untranslated, f"{len(untranslated)} untranslated in locale/en:\n" + "\n".join(untranslated[:30])
    assert not fuzzy, f"{len(fuzzy)} fuzzy in locale/en (check and remove the flag):\n" + "\n".join(fuzzy[:30])


@pytest.mark.parametrize(("language", "plural_forms"), [("vi", "nplurals=1;"), ("en", "nplurals=2;")])
def test_catalog_header_is_final_and_names_its_language(language, plural_forms):
    header = next(e for e in catalog(language) if e.msgid == "")

    assert "fuzzy" not in header.flags
    assert f"Language: {language}\n" in header.msgstr[0]
    assert plural_forms in header.msgstr[0]


def test_english_translations_keep_the_placeholders():
    broken = []
    for entry in messages_of(catalog("en")):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr.values():
            if text and sorted(PLACEHOLDER.findall(text)) != expected and "python-format" in entry.flags:
                broken.append(f"{entry.label()} -> {text!r}")
            # HTML in a message must survive translation, or the page would lose its markup.
            if text and sorted(re.findall(r"</?\w+", text)) != sorted(re.findall(r"</?\w+", entry.msgid)):
                broken.append(f"{entry.label()} -> {text!r}")

    assert not broken, "placeholders or markup differ:\n" + "\n".join(broken)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    """The .mo Django loads says what the .po says (run `make messages` after editing a .po)."""
    expected = {}
    for entry in messages_of(catalog(language)):
        if not entry.translated or "fuzzy" in entry.flags:
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(msgid, index)] = text
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        actual = dict(gettext.GNUTranslations(compiled)._catalog)
    actual.pop("", None)

    assert actual == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_read_day_month_year_in_both_languages(language):
    """chinhquyenso.core.formats, for FORMAT_MODULE_PATH: a date with no explicit format reads dd/mm/yyyy."""
    # Django caches the format modules per language and does not drop the cache for FORMAT_MODULE_PATH.
    formats.reset_format_cache()
    try:
        with override_settings(FORMAT_MODULE_PATH=["chinhquyenso.core.formats"]), translation.override(language):
            assert formats.date_format(dt.date(2026, 3, 2)) == "02/03/2026"
            assert formats.date_format(dt.datetime(2026, 3, 2, 14, 5), "DATETIME_FORMAT") == "02/03/2026 14:05"
            assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
    finally:
        formats.reset_format_cache()
