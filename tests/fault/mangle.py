"""Hypothesis strategies that mangle data files: bytes, lines, columns, fields and JSON structure.

Each mutation is a small frozen dataclass (so a failing example prints readably) that turns bytes into bytes.
Positions are drawn as plain integers and taken modulo the size of what they point into.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

# StatLine symbols, huge, negative and non-numeric numbers, and other troublemakers for one field.
NASTY_VALUES = [
    ".", "x", "X", "-", "?", "", " ", "   ", "0", "-1", "-0", "+5", "1e5", "1E999", "12,5", "12.5", "1.5e3",
    "NaN", "nan", "inf", "-inf", "Infinity", "abc", "twaalf", "٣", "²", "١٢٣٤", "0x10", "1_000", "1 000",
    "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "9" * 40,
    "-99999999999999999999", "GM0000", "GM99999", "BU0865", "WK0865000", "NL01", "2023", "1899", "20231",
    "\x00", "a\x00b", "\u200b", "\ufeff", "é", "𝟘", "'", '"', '"unterminated', "a,b", "a;b", "line\nbreak",
    "x" * 300, "\u0000" * 3,
]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@dataclass(frozen=True)
class Truncate:
    at: int

    def __call__(self, data: bytes) -> bytes:
        return data[: self.at % (len(data) + 1)]


@dataclass(frozen=True)
class FlipBytes:
    flips: tuple[tuple[int, int], ...]

    def __call__(self, data: bytes) -> bytes:
        if not data:
            return data
        out = bytearray(data)
        for position, mask in self.flips:
            out[position % len(out)] ^= mask
        return bytes(out)


@dataclass(frozen=True)
class InsertBytes:
    at: int
    payload: bytes

    def __call__(self, data: bytes) -> bytes:
        at = self.at % (len(data) + 1)
        return data[:at] + self.payload + data[at:]


@dataclass(frozen=True)
class Reencode:
    encoding: str

    def __call__(self, data: bytes) -> bytes:
        text = data.decode("utf-8", errors="replace")
        return text.encode(self.encoding, errors="replace")


@dataclass(frozen=True)
class Prefix:
    prefix: bytes  # BOMs

    def __call__(self, data: bytes) -> bytes:
        return self.prefix + data


@dataclass(frozen=True)
class Replace:
    content: bytes  # empty files and the like

    def __call__(self, data: bytes) -> bytes:
        return self.content


@dataclass(frozen=True)
class LineEndings:
    ending: bytes

    def __call__(self, data: bytes) -> bytes:
        return data.replace(b"\n", self.ending)


@dataclass(frozen=True)
class LineOp:
    op: str  # delete | duplicate | swap | move_header
    a: int
    b: int = 0

    def __call__(self, data: bytes) -> bytes:
        lines = _lines(data)
        if not lines:
            return data
        i, j = self.a % len(lines), self.b % len(lines)
        if self.op == "delete":
            del lines[i]
        elif self.op == "duplicate":
            lines.insert(i, lines[i])
        elif self.op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif self.op == "indent":
            lines[i] = b"  " + lines[i]
        elif self.op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith(b"  ") else lines[i]
        return b"\n".join(lines)


@dataclass(frozen=True)
class ColumnOp:
    """Delete, duplicate or swap a column in every line (naive split: quoted separators are cut, too)."""

    op: str  # delete | duplicate | swap
    a: int
    b: int = 0
    separator: bytes = b","

    def __call__(self, data: bytes) -> bytes:
        out = []
        for line in _lines(data):
            fields = line.split(self.separator)
            i, j = self.a % len(fields), self.b % len(fields)
            if self.op == "delete" and len(fields) > 1:
                del fields[i]
            elif self.op == "duplicate":
                fields.insert(i, fields[i])
            elif self.op == "swap":
                fields[i], fields[j] = fields[j], fields[i]
            out.append(self.separator.join(fields))
        return b"\n".join(out)


@dataclass(frozen=True)
class FieldValue:
    """Replace one field of one line (after the header, mostly) with a nasty value."""

    line: int
    column: int
    value: str
    separator: bytes = b","

    def __call__(self, data: bytes) -> bytes:
        lines = _lines(data)
        if len(lines) < 2:
            return data
        i = 1 + self.line % (len(lines) - 1)
        fields = lines[i].split(self.separator)
        fields[self.column % len(fields)] = self.value.encode("utf-8")
        lines[i] = self.separator.join(fields)
        return b"\n".join(lines)


@dataclass(frozen=True)
class YamlValue:
    """Replace the value of the n-th `key: value` line of a YAML file."""

    line: int
    value: str

    def __call__(self, data: bytes) -> bytes:
        lines = _lines(data)
        candidates = [i for i, line in enumerate(lines) if b": " in line]
        if not candidates:
            return data
        i = candidates[self.line % len(candidates)]
        key = lines[i].split(b": ", 1)[0]
        lines[i] = key + b": " + self.value.encode("utf-8")
        return b"\n".join(lines)


@dataclass(frozen=True)
class JsonNode:
    """Change the n-th node of a JSON document: delete it, replace it, or duplicate a list item."""

    node: int
    op: str  # delete | replace | duplicate | wrap
    value: object = None

    def __call__(self, data: bytes) -> bytes:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return data
        slots = []

        def walk(container):
            items = container.items() if isinstance(container, dict) else enumerate(container)
            for key, value in list(items):
                slots.append((container, key))
                if isinstance(value, dict | list):
                    walk(value)

        if isinstance(document, dict | list):
            walk(document)
        if not slots:
            return data
        container, key = slots[self.node % len(slots)]
        if self.op == "delete":
            del container[key]
        elif self.op == "replace":
            container[key] = self.value
        elif self.op == "wrap":
            container[key] = [container[key]]
        elif self.op == "duplicate" and isinstance(container, list):
            container.insert(key, container[key])
        return json.dumps(document, ensure_ascii=False).encode("utf-8")


JSON_VALUES = st.sampled_from([
    None, "", ".", "x", "-", "?", -1, 0, 1.5, -0.5, 10**20, 2**31, 2**63, 1e300, "abc", "12,5", True, False, [],
    {}, "GM0000", "2023XX01", "2023MM13", "  ", "\x00", "x" * 300,
])

positions = st.integers(min_value=0, max_value=10**6)


def byte_mutations():
    return st.one_of(
        st.builds(Truncate, positions),
        st.builds(FlipBytes, st.lists(st.tuples(positions, st.integers(1, 255)), min_size=1, max_size=4).map(tuple)),
        st.builds(InsertBytes, positions, st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\r", b'"', b"\n", b"\t",
                                                           b"\xef\xbb\xbf", b",,", b";"])),
        st.builds(Reencode, st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32", "ascii"])),
        st.builds(Prefix, st.sampled_from([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
                                           b"\n", b"\n\n", b" "])),
        st.builds(Replace, st.sampled_from([b"", b"\n", b" \n\t", b"\xef\xbb\xbf", b"\x00" * 8, b"{}", b"[]",
                                            b"null"])),
        st.builds(LineEndings, st.sampled_from([b"\r\n", b"\r", b"\n\n"])),
    )


def line_mutations():
    return st.builds(LineOp, st.sampled_from(["delete", "duplicate", "swap"]), positions, positions)


def csv_mutations(separator: bytes = b","):
    return st.one_of(
        byte_mutations(),
        line_mutations(),
        st.builds(ColumnOp, st.sampled_from(["delete", "duplicate", "swap"]), positions, positions,
                  st.just(separator)),
        st.builds(FieldValue, positions, positions, st.sampled_from(NASTY_VALUES) | st.text(max_size=6),
                  st.just(separator)),
        st.builds(FieldValue, positions, positions, st.sampled_from(NASTY_VALUES), st.just(separator)),
    )


def json_mutations():
    return st.one_of(
        byte_mutations(),
        st.builds(JsonNode, positions, st.sampled_from(["delete", "replace", "duplicate", "wrap"]), JSON_VALUES),
        st.builds(JsonNode, positions, st.just("replace"), JSON_VALUES),
    )


def yaml_mutations():
    return st.one_of(
        byte_mutations(),
        st.builds(LineOp, st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent"]), positions, positions),
        st.builds(YamlValue, positions, st.sampled_from(NASTY_VALUES + ["[]", "{}", "~", "null", "- a", "&a b",
                                                                        "*a", "!!binary AAAA", "2023-13-45",
                                                                        "!!python/object:os.system x"])
                  | st.text(max_size=8)),
    )


def mangled(strategy, max_size: int = 3):
    """A list of mutations, applied in order."""
    return st.lists(strategy, min_size=1, max_size=max_size)


def apply(mutations, data: bytes) -> bytes:
    for mutation in mutations:
        data = mutation(data)
    return data
