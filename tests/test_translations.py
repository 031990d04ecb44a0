"""Every interface text has its bokmål translation, with the same placeholders."""

import re
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "maalbilde/locale/nb/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)\w+|\{\{ *\w+ *\}\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_every_message_is_translated_to_bokmal():
    catalog = polib.pofile(str(CATALOG))
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


def test_placeholders_survive_translation():
    catalog = polib.pofile(str(CATALOG))
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                assert placeholders(text) == placeholders(entry.msgid_plural), entry.msgid
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid
