"""A logging filter that removes secrets from log records before any handler writes them.

Values of keys that look like password/token/secret/key/cookie/session/authorization are replaced
by "[redacted]", in the message, its arguments (strings, dicts, lists) and the rendered exception
text. It is defence in depth: code should not log secrets in the first place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

REDACTED = "[redacted]"
_SENSITIVE = r"(?:passw(?:or)?d|pwd|token|secret|key|cookie|sessionid|authorization|csrfmiddlewaretoken)"
_KEY = re.compile(rf"^[\w.-]*{_SENSITIVE}[\w.-]*$", re.IGNORECASE)
# key=value, key: value, "key": "value", 'key': 'value', Cookie: a=b; c=d (up to the end of the header line)
_PAIR = re.compile(
    rf"""(?P<key>["']?[\w.-]*{_SENSITIVE}[\w.-]*["']?)(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}\]\)]+)""",
    re.IGNORECASE,
)
_HEADER = re.compile(r"(?P<key>\b(?:cookie|set-cookie|authorization)\b)(?P<sep>\s*:\s*)(?P<value>[^\r\n]+)",
                     re.IGNORECASE)


def _quote_like(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return f"{value[0]}{REDACTED}{value[0]}"
    return REDACTED


def redact_text(text: str) -> str:
    text = _HEADER.sub(lambda m: f"{m.group('key')}{m.group('sep')}{REDACTED}", text)
    return _PAIR.sub(lambda m: f"{m.group('key')}{m.group('sep')}{_quote_like(m.group('value'))}", text)


def redact(value, depth: int = 0):
    if depth > 5:
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: (REDACTED if isinstance(k, str) and _KEY.match(k) else redact(v, depth + 1))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(v, depth + 1) for v in value)
    return value


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        if record.args:
            if isinstance(record.args, Mapping):
                record.args = redact(dict(record.args))
            else:
                record.args = tuple(redact(a) if isinstance(a, (str, Mapping, list, tuple)) else a
                                    for a in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True
