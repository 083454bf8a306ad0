"""Canonical serialisation: the same document always gives the same bytes and hash."""

from __future__ import annotations

import hashlib
import json

import yaml


def document_hash(doc: dict) -> str:
    payload = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def dump_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class _BlockDumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value: str):
    # Long prose as folded blocks, so that the exported file stays human-editable.
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 100:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BlockDumper.add_representer(str, _str_representer)

HEADER = (
    "# IVP plan file (format 1). See docs/plan-file-format.md.\n"
    "# Planbestand voor IVP (formaat 1). Zie docs/plan-file-format.md.\n"
)


def dump_yaml(doc: dict) -> str:
    body = yaml.dump(doc, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return HEADER + body
