"""Logging to stderr. Secrets and passwords are never logged: every handler passes records through
ivp.core.log_redaction.RedactSecretsFilter, which blanks password/token/secret/key/cookie values.

Security events: `django.security` (CSRF failures, disallowed hosts, suspicious operations) at
WARNING and `axes` (failed sign-ins and lockouts) at INFO; the audit trail keeps its own record of
sign-ins, failures, lockouts and refusals.

Environment variables:
- IVP_LOG_LEVEL: log level for the ivp loggers (default INFO).
"""

import os

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "ivp.core.log_redaction.RedactSecretsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]},
    },
    "loggers": {
        "ivp": {"handlers": ["stderr"], "level": os.environ.get("IVP_LOG_LEVEL", "INFO"), "propagate": False},
        "django": {"handlers": ["stderr"], "level": "WARNING"},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # The task queue (ivp worker): enqueued, started and finished tasks.
        "django_tasks": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django_tasks_db": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # Its start-up banner ("AXES: BEGIN version ...") is printed by every command, `ivp bootstrap` included.
        "axes.apps": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "mozilla_django_oidc": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
