"""The Dutch catalogue is complete and the committed .mo matches the .po."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "src" / "ivp" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def _unquote(chunk: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', chunk)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), "".join(parts))


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        if "msgid" not in block:
            continue
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid is None or msgstr is None or not _unquote(msgid.group(1)):
            continue  # the header
        yield (_unquote(context.group(1)) if context else None, _unquote(msgid.group(1)),
               _unquote(msgstr.group(1)), flags)


def test_catalogue_complete_and_compiled():
    entries = list(_entries())
    assert len(entries) > 100
    with translation.override("nl"):
        for context, msgid, msgstr, flags in entries:
            assert "fuzzy" not in flags, msgid
            assert msgstr, f"untranslated: {msgid!r}"
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == msgstr, f".mo out of date for {msgid!r}"
