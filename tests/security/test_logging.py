"""Secrets never reach the logs."""

import logging

import pytest
from django.conf import settings as django_settings

from ivp.core.log_redaction import REDACTED, RedactSecretsFilter, redact_text


def _render(msg, *args, exc_info=None) -> str:
    record = logging.LogRecord("ivp.test", logging.WARNING, __file__, 1, msg, args, exc_info)
    assert RedactSecretsFilter().filter(record)
    text = record.getMessage()
    if record.exc_text:
        text += "\n" + record.exc_text
    return text


@pytest.mark.parametrize("line", [
    "login password=Hunter2-secret for admin",
    'payload {"password": "Hunter2-secret", "username": "admin"}',
    "POST data: {'password': 'Hunter2-secret'}",
    "Cookie: ivp_session=Hunter2-secret; ivp_csrftoken=abc",
    "Authorization: Bearer Hunter2-secret",
    "client_secret=Hunter2-secret&grant_type=authorization_code",
    "IVP_SECRET_KEY=Hunter2-secret",
    "otp_token=Hunter2-secret",
    "api_key: Hunter2-secret",
])
def test_sensitive_values_are_redacted(line):
    text = _render(line)
    assert "Hunter2-secret" not in text and REDACTED in text


def test_arguments_and_dicts_are_redacted():
    text = _render("attempt %s from %s", {"username": "admin", "password": "Hunter2-secret"}, "192.0.2.1")
    assert "Hunter2-secret" not in text and "admin" in text and "192.0.2.1" in text


def test_exception_text_is_redacted():
    try:
        raise ValueError("connect failed: password=Hunter2-secret")
    except ValueError:
        import sys

        text = _render("failure", exc_info=sys.exc_info())
    assert "Hunter2-secret" not in text and "connect failed" in text


def test_ordinary_text_is_kept():
    line = "Imported 22610 observations for GM0865 (crime_total) in 3.2 s"
    assert redact_text(line) == line


def test_every_handler_filters_and_security_loggers_are_configured():
    config = django_settings.LOGGING
    for name, handler in config["handlers"].items():
        assert "redact_secrets" in handler.get("filters", []), name
    assert "django.security" in config["loggers"] and "axes" in config["loggers"]


def test_configured_logger_redacts():
    handler = next(h for h in logging.getLogger("ivp").handlers)
    assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters)
