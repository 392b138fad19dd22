"""locale/vi is complete, and the committed .mo matches the .po ."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

APPS = ("trainingcenter", "courses", "enrollment", "reports")
LOCALE = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES"


def test_vietnamese_catalogue_is_complete():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert len(po) > 50
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_is_up_to_date():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert (
                mo.ngettext(entry.msgid, entry.msgid_plural, 1)
                == entry.msgstr_plural[0]
            )
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_every_string_of_the_code_has_its_vietnamese(tmp_path):
    """What makemessages would extract from the code and templates today is
    in the catalogue, translated: a string added without its Vietnamese (or
    with its percent signs spelt as the template tag does not look them up)
    would show in English on a Vietnamese page."""
    root = LOCALE.parents[2]
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "test-artifacts", "node_modules", "__pycache__", "*.sqlite3*"
    )
    for name in ("manage.py",):
        copy.mkdir(exist_ok=True)
        shutil.copy(root / name, copy / name)
    for name in (*APPS, "templates", "locale"):
        shutil.copytree(root / name, copy / name, ignore=ignore)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "trainingcenter.settings"},
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in extracted.untranslated_entries()]
    missing += [e.msgid for e in extracted.fuzzy_entries()]
    assert missing == []
