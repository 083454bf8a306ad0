"""Logging to stderr. Secrets and passwords are never logged.

Environment variables:
- IVP_LOG_LEVEL: log level for the ivp loggers (default INFO).
"""

import os

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "ivp": {"handlers": ["stderr"], "level": os.environ.get("IVP_LOG_LEVEL", "INFO"), "propagate": False},
        "django": {"handlers": ["stderr"], "level": "WARNING"},
    },
}
