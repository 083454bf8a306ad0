"""Strict CSV reading: UTF-8 only, exact header, complete rows, clear errors with file/line/field."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from .records import ImportIssue

MAX_NUMBER = 2_147_483_647  # the largest count the database stores (PositiveIntegerField, also on PostgreSQL)
STATLINE_SYMBOLS = {".", "x", "-", "?"}  # StatLine: no figure / secret / nil / unreliable


class RowError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class CsvFile:
    def __init__(self, path: Path, display_name: str):
        self.path = path
        self.name = display_name
        self.issues: list[ImportIssue] = []

    def issue(self, line: int | None, field: str, message: str) -> None:
        self.issues.append(ImportIssue(self.name, line, field, message))

    def rows(self, expected_columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.issue(line, "", _("the file is not UTF-8 (byte %(byte)s); save it as UTF-8")
                       % {"byte": hex(raw[exc.start])})
            return
        if not text.strip():
            self.issue(1, "", _("the file is empty"))
            return
        if "\x00" in text:
            # A NUL character is never data (a binary or damaged file), and PostgreSQL cannot store it.
            self.issue(text[: text.index("\x00")].count("\n") + 1, "",
                       _("the file contains a NUL character (a binary or damaged file?)"))
            return
        if not text.endswith("\n"):
            # A file cut off mid-write usually lacks its final newline; the last row is checked below.
            pass
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader)
        except csv.Error as exc:
            self.issue(1, "", _("unreadable CSV: %s") % exc)
            return
        header = [h.strip() for h in header]
        if header != expected_columns:
            missing = [c for c in expected_columns if c not in header]
            extra = [c for c in header if c not in expected_columns]
            detail = []
            if missing:
                detail.append(_("missing: %s") % ", ".join(missing))
            if extra:
                detail.append(_("unexpected: %s") % ", ".join(extra))
            if not detail:
                detail.append(_("columns in another order"))
            self.issue(1, "header", _("wrong header (%(detail)s); expected: %(expected)s")
                       % {"detail": "; ".join(detail), "expected": ",".join(expected_columns)})
            return
        line = 1
        try:
            for values in reader:
                line = reader.line_num
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    self.issue(line, "", _("expected %(n)d fields, found %(m)d (truncated or broken line?)")
                               % {"n": len(header), "m": len(values)})
                    continue
                yield line, dict(zip(header, (v.strip() for v in values), strict=True))
        except csv.Error as exc:
            self.issue(reader.line_num or line, "", _("unreadable CSV: %s") % exc)


def parse_int(value: str, field: str, *, allow_symbol: bool = False, minimum: int | None = 0) -> int | None:
    """An integer count. StatLine symbols give None (no figure), never 0. '13455.0' is accepted."""
    if value == "" or value in STATLINE_SYMBOLS:
        if allow_symbol:
            return None
        raise RowError(field, _("no number (%r); this field needs a figure") % value)
    if re.fullmatch(r"-?\d+(\.0+)?", value):
        number = int(value.split(".")[0])
    else:
        raise RowError(field, _("not a whole number: %r") % value)
    if minimum is not None and number < minimum:
        raise RowError(field, _("negative number: %r") % value)
    if abs(number) > MAX_NUMBER:
        raise RowError(field, _("number too large: %r") % value)
    return number


def parse_year(value: str, field: str = "jaar") -> int:
    number = parse_int(value, field)
    if number is None or not 1990 <= number <= 2100:
        raise RowError(field, _("not a plausible year: %r") % value)
    return number


def parse_text(row: dict[str, str], field: str, max_length: int) -> str:
    """A text field that the database stores with a maximum length (names, titles, codes)."""
    value = row[field]
    if len(value) > max_length:
        raise RowError(field, _("longer than %(max)d characters (%(n)d)") % {"max": max_length, "n": len(value)})
    return value


AREA_CODE = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "buurt": re.compile(r"^BU\d{8}$"),
    "land": re.compile(r"^NL0[01]$"),
}


def parse_code(value: str, level: str, field: str) -> str:
    if not AREA_CODE[level].match(value):
        raise RowError(field, _("not a valid %(level)s code: %(value)r") % {"level": level, "value": value})
    return value
