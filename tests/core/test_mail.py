"""IVP's e-mails: Dutch text + HTML from templates; the .eml folder backend of IVP_EMAIL_URL=file:///dir."""

import email
import smtplib

import pytest
from django.core.mail import EmailMessage

from ivp.core.mail import EmlFileBackend, send_templated_mail


def test_the_file_backend_writes_one_eml_file_per_message(tmp_path):
    backend = EmlFileBackend(file_path=str(tmp_path / "mail"))
    sent = backend.send_messages([EmailMessage("Onderwerp een", "Tekst een", "ivp@example.org", ["a@example.org"]),
                                  EmailMessage("Onderwerp twee", "Tekst twee", "ivp@example.org", ["b@example.org"])])
    files = sorted((tmp_path / "mail").iterdir())
    assert sent == 2 and [f.suffix for f in files] == [".eml", ".eml"]
    subjects = {email.message_from_bytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"Onderwerp een", "Onderwerp twee"}


def test_a_templated_mail_has_dutch_text_and_html(settings, tmp_path):
    settings.EMAIL_BACKEND = "ivp.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.DEFAULT_FROM_EMAIL = "IVP Meierij <ivp@example.org>"
    context = {"user": _Person(), "uid": "MQ", "token": "abc-def", "base_url": "https://ivp.example.nl"}
    assert send_templated_mail(to="jan@example.org", template="password_reset", context=context)
    (path,) = tmp_path.iterdir()
    message = email.message_from_bytes(path.read_bytes())
    assert message["From"] == "IVP Meierij <ivp@example.org>" and message["To"] == "jan@example.org"
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    link = "https://ivp.example.nl/wachtwoord-herstellen/MQ/abc-def/"
    assert link in text and f'href="{link}"' in html
    assert "Beste Jan de Vries" in text and "wachtwoord" in message["Subject"]


class _Person:
    username = "jan@example.org"
    display_name = "Jan de Vries"


@pytest.mark.django_db
def test_a_mail_server_error_is_reported_not_raised(settings, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert send_templated_mail(to="x@example.org", template="password_reset",
                               context={"user": _Person(), "uid": "MQ", "token": "t", "base_url": ""}) is False
