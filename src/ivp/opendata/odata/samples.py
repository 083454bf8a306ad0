"""Loading recorded OData responses, for tests and offline replays.

Two recording formats exist:

- real JSON responses (``{"odata.metadata": ..., "value": [...]}``) - :func:`load_json_response`;
- CSV files written by the R package cbsodataR from the JSON endpoints (``write.csv``): same field names and keys
  (padding included), no envelope. In those files strings are quoted, numbers and logicals (``TRUE``/``FALSE``)
  are not, and a missing value (JSON ``null``) is an *unquoted* empty field, while an empty string is ``""``.
  :func:`read_cbsodatar_csv` keeps that distinction, so the rows come back as the JSON had them.

:func:`odata_envelope` wraps rows in a v3 JSON envelope, to serve CSV-recorded metadata through
:class:`~ivp.opendata.odata.transport.RecordedTransport`. Such an envelope is reconstructed, not recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_INT_RE = re.compile(r"^[+-]?\d+$")
_FLOAT_RE = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


def _tokenise(text: str) -> list[list[tuple[str, bool]]]:
    """Split CSV text into records of ``(value, was_quoted)`` fields (RFC 4180, CRLF or LF line ends)."""
    records: list[list[tuple[str, bool]]] = []
    fields: list[tuple[str, bool]] = []
    buf: list[str] = []
    quoted = in_quotes = False
    i, n = 0, len(text)

    def end_field() -> None:
        nonlocal buf, quoted
        fields.append(("".join(buf), quoted))
        buf, quoted = [], False

    while i < n:
        c = text[i]
        if in_quotes:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    buf.append('"')
                    i += 2
                    continue
                in_quotes = False
            else:
                buf.append(c)
            i += 1
            continue
        if c == '"' and not buf and not quoted:
            in_quotes = quoted = True
        elif c == ",":
            end_field()
        elif c in "\r\n":
            end_field()
            records.append(fields)
            fields = []
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
        else:
            buf.append(c)
        i += 1
    if in_quotes:
        raise ValueError("unterminated quoted field at end of CSV")
    if buf or quoted or fields:
        end_field()
        records.append(fields)
    return records


def _convert(value: str, quoted: bool) -> Any:
    if quoted:
        return value
    if value in ("", "NA"):
        return None
    if value == "TRUE":
        return True
    if value == "FALSE":
        return False
    if _INT_RE.match(value):
        return int(value)
    if _FLOAT_RE.match(value):
        return float(value)
    return value


def parse_cbsodatar_csv(text: str) -> list[dict[str, Any]]:
    """Rows of a cbsodataR CSV as dicts with JSON-like values (see module docstring)."""
    records = _tokenise(text.lstrip("\ufeff"))
    if not records:
        return []
    header = [name for name, _ in records[0]]
    if header == [""]:  # an empty endpoint (e.g. CategoryGroups) is written as a lone ""
        return []
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if record == [("", False)]:
            continue  # blank line
        if len(record) != len(header):
            raise ValueError(f"CSV record {number} has {len(record)} fields, header has {len(header)}")
        rows.append({name: _convert(value, quoted) for name, (value, quoted) in zip(header, record, strict=True)})
    return rows


def read_cbsodatar_csv(path: str | Path) -> list[dict[str, Any]]:
    """:func:`parse_cbsodatar_csv` of a file."""
    return parse_cbsodatar_csv(Path(path).read_text(encoding="utf-8"))


def load_json_response(path: str | Path) -> dict[str, Any]:
    """A recorded JSON response (the whole envelope)."""
    payload = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    if not isinstance(payload, dict) or not isinstance(payload.get("value"), list):
        raise ValueError(f"{path} is not an OData v3 JSON response with a 'value' list")
    return payload


def odata_envelope(
    rows: Iterable[Mapping[str, Any]], *, metadata: str | None = None, next_link: str | None = None
) -> bytes:
    """A v3 JSON response body holding ``rows`` (and ``odata.nextLink`` if given)."""
    payload: dict[str, Any] = {}
    if metadata:
        payload["odata.metadata"] = metadata
    payload["value"] = [dict(r) for r in rows]
    if next_link:
        payload["odata.nextLink"] = next_link
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")
