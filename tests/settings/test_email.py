"""IVP_EMAIL_URL: one URL for where mail goes (issue 14); IVP_BASE_URL for the links in it."""

import pytest

from ivp.settings.email import (
    CONSOLE_BACKEND,
    FILE_BACKEND,
    SMTP_BACKEND,
    EmailUrlError,
    parse_base_url,
    parse_email_url,
)


def test_smtp_with_credentials_and_port():
    s = parse_email_url("smtp://ivp:pass@mail.example.nl:2525")
    assert s == {"EMAIL_BACKEND": SMTP_BACKEND, "EMAIL_HOST": "mail.example.nl", "EMAIL_PORT": 2525,
                 "EMAIL_HOST_USER": "ivp", "EMAIL_HOST_PASSWORD": "pass", "EMAIL_USE_TLS": False,
                 "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10}


@pytest.mark.parametrize(("url", "port", "tls", "ssl"), [
    ("smtp://mail.example.nl", 25, False, False),
    ("smtp+tls://mail.example.nl", 587, True, False),
    ("smtps://mail.example.nl", 465, False, True),
    ("SMTP+TLS://mail.example.nl:25", 25, True, False),
])
def test_smtp_variants_and_default_ports(url, port, tls, ssl):
    s = parse_email_url(url)
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (port, tls, ssl)
    assert s["EMAIL_HOST_USER"] == s["EMAIL_HOST_PASSWORD"] == ""


def test_percent_encoded_user_and_password_and_timeout():
    s = parse_email_url("smtp+tls://ivp%40meierij.nl:p%3Ass%2Fw%40rd@mail.example.nl?timeout=30")
    assert s["EMAIL_HOST_USER"] == "ivp@meierij.nl" and s["EMAIL_HOST_PASSWORD"] == "p:ss/w@rd"
    assert s["EMAIL_TIMEOUT"] == 30


def test_file_and_console():
    assert parse_email_url("file:///var/lib/ivp/mail") == {"EMAIL_BACKEND": FILE_BACKEND,
                                                           "EMAIL_FILE_PATH": "/var/lib/ivp/mail"}
    assert parse_email_url("console://") == {"EMAIL_BACKEND": CONSOLE_BACKEND}


@pytest.mark.parametrize("url", [
    "", "mail.example.nl", "http://mail.example.nl", "smtp://", "smtp://:secret@/", "smtp://mail.example.nl:0x19",
    "smtp://mail.example.nl:70000", "smtp://mail.example.nl?timeout=0", "smtp://mail.example.nl?tls=1",
    "file://relative/dir", "file:///", "file:",
])
def test_unusable_urls_are_refused(url):
    with pytest.raises(EmailUrlError):
        parse_email_url(url)


def test_the_error_never_repeats_the_password():
    with pytest.raises(EmailUrlError) as info:
        parse_email_url("smtp://ivp:s3cret-value@mail.example.nl:99999")
    assert "s3cret-value" not in str(info.value)


def test_base_url():
    assert parse_base_url("https://ivp.example.nl/") == "https://ivp.example.nl"
    assert parse_base_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    for bad in ("ivp.example.nl", "ftp://ivp.example.nl", "https://ivp.example.nl/?x=1", "https://"):
        with pytest.raises(ValueError):
            parse_base_url(bad)
