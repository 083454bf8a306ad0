"""Validate a plan file against the schema, reporting every problem with its line and field.

YAML is composed into nodes (not loaded) so that each value keeps its line number and duplicate
keys can be detected (PyYAML's loader silently keeps the last one).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from . import schema
from .errors import PlanFileError, PlanFileIssue
from .rules import check_rules

_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"


def parse_plan_file(path: str | Path) -> dict:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFileError([PlanFileIssue(str(path), None, "", _("file not readable: %s") % exc)]) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanFileError([PlanFileIssue(str(path), line, "", _("the file is not UTF-8"))]) from exc
    return parse_plan_text(text, name=str(path))


def parse_plan_text(text: str, *, name: str = "<plan>") -> dict:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PlanFileError([PlanFileIssue(name, line, "", _("not valid YAML: %s") % exc.problem)]) from exc
    except yaml.reader.ReaderError as exc:  # a control character (e.g. NUL) that YAML does not allow
        line = text[: exc.position].count("\n") + 1
        raise PlanFileError([PlanFileIssue(name, line, "", _("not valid YAML: character %(char)s is not allowed")
                                           % {"char": hex(exc.character) if isinstance(exc.character, int)
                                              else repr(exc.character)})]) from exc
    except RecursionError as exc:
        raise PlanFileError([PlanFileIssue(name, 1, "", _("not valid YAML: nested too deeply"))]) from exc
    if root is None:
        raise PlanFileError([PlanFileIssue(name, 1, "", _("the file is empty"))])
    reader = _Reader(name)
    doc = reader.read(root, schema.DOCUMENT, "")
    if not reader.issues:
        check_rules(doc, reader.lines, reader.add)
    if reader.issues:
        raise PlanFileError(reader.issues)
    return doc


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.issues: list[PlanFileIssue] = []
        self.lines: dict[str, int] = {}  # field path -> line, for the rule checks

    def add(self, path: str, message: str, line: int | None = None) -> None:
        if line is None:
            line = self.lines.get(path)
        self.issues.append(PlanFileIssue(self.name, line, path, message))

    def read(self, node: yaml.Node, spec, path: str):
        line = node.start_mark.line + 1
        self.lines[path] = line
        method = getattr(self, f"_read_{type(spec).__name__.lower()}")
        return method(node, spec, path, line)

    def _read_map(self, node, spec: schema.Map, path, line):
        if not isinstance(node, yaml.MappingNode):
            self.add(path, _("expected a set of fields (mapping)"), line)
            return None
        seen: dict[str, yaml.Node] = {}
        for key_node, _value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            key_line = key_node.start_mark.line + 1
            child = f"{path}.{key}" if path else str(key)
            if key not in spec.fields:
                self.add(child, _("unknown field"), key_line)
                continue
            if key in seen:
                self.add(child, _("field occurs twice (earlier on line %d)") % (seen[key].start_mark.line + 1),
                         key_line)
                continue
            seen[key] = key_node
        result = {}
        values = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for key, child_spec in spec.fields.items():
            child = f"{path}.{key}" if path else key
            if key not in values:
                self.add(child, _("required field is missing"), line)
                continue
            result[key] = self.read(values[key], child_spec, child)
        return result

    def _read_listof(self, node, spec: schema.ListOf, path, line):
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            items = []
        elif not isinstance(node, yaml.SequenceNode):
            self.add(path, _("expected a list"), line)
            return []
        else:
            items = node.value
        if len(items) < spec.min_items:
            self.add(path, _("expected at least %d item(s)") % spec.min_items, line)
        if spec.max_items is not None and len(items) > spec.max_items:
            self.add(path, _("may have at most %d item(s)") % spec.max_items, line)
            return []
        return [self.read(item, spec.item, f"{path}[{i}]") for i, item in enumerate(items)]

    def _scalar(self, node, path, line) -> yaml.ScalarNode | None:
        if not isinstance(node, yaml.ScalarNode):
            self.add(path, _("expected a single value, not a list or mapping"), line)
            return None
        return node

    def _read_str(self, node, spec: schema.Str, path, line):
        node = self._scalar(node, path, line)
        if node is None:
            return ""
        # The node keeps the text as written, so 1.1 or 2022-08 stay exactly as typed.
        value = "" if node.tag == _NULL and not node.style else node.value
        if spec.required and not value.strip():
            self.add(path, _("must not be empty"), line)
        if spec.max_length and len(value) > spec.max_length:
            self.add(path, _("is too long (%(n)d characters, at most %(max)d)")
                     % {"n": len(value), "max": spec.max_length}, line)
        if value and spec.pattern and not spec.pattern.match(value):
            self.add(path, _("invalid value %(value)r (%(hint)s)") % {"value": value, "hint": spec.pattern_hint},
                     line)
        return value

    def _read_int(self, node, spec: schema.Int, path, line):
        node = self._scalar(node, path, line)
        if node is None:
            return None
        if node.tag != _INT or node.style:
            self.add(path, _("expected a whole number, not %r") % node.value, line)
            return None
        value = int(node.value)
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            self.add(path, _("number %(value)d is outside %(min)s-%(max)s")
                     % {"value": value, "min": spec.minimum, "max": spec.maximum}, line)
        return value

    def _read_choice(self, node, spec: schema.Choice, path, line):
        node = self._scalar(node, path, line)
        if node is None:
            return None
        if node.value not in spec.values:
            self.add(path, _("invalid value %(value)r; choose from: %(choices)s")
                     % {"value": node.value, "choices": ", ".join(spec.values)}, line)
            return None
        return node.value

    def _read_optionaldate(self, node, spec, path, line):
        node = self._scalar(node, path, line)
        if node is None or node.tag == _NULL or node.value in ("", "~", "null"):
            return None
        try:
            return dt.date.fromisoformat(node.value).isoformat()
        except ValueError:
            self.add(path, _("expected a date YYYY-MM-DD or null, not %r") % node.value, line)
            return None
