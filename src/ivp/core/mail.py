"""Sending IVP's e-mails: Dutch plain text with an HTML alternative, from templates; and the .eml file backend.

Where mail goes is configured by IVP_EMAIL_URL (ivp.settings.email): SMTP, a folder of .eml files, or the console.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import filebased
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger("ivp.mail")


class EmlFileBackend(filebased.EmailBackend):
    """Django's file backend, but one standard .eml file per message (any mail program opens it), written
    atomically: IVP_EMAIL_URL=file:///folder."""

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            for message in email_messages:
                name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
                target = Path(self.file_path) / name
                partial = target.with_suffix(".eml.part")
                partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
                os.replace(partial, target)
                sent += 1
        return sent


def send_templated_mail(*, to: str, template: str, context: dict) -> bool:
    """Send `email/<template>_subject.txt`, `_body.txt` and `_body.html` (Dutch) to one address. Returns whether the
    mail server accepted it; a failure is logged (never the message, which may hold a one-time link), not raised:
    the caller tells the user what to do instead."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        text = render_to_string(f"email/{template}_body.txt", context)
        html = render_to_string(f"email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    try:
        return message.send() == 1
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("e-mail %s could not be sent: %s", template, exc.__class__.__name__)
        return False
