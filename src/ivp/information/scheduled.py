"""The information registers' periodic job (ivp.jobs.schedule; run by `ivp worker`; ADR 0017, 0021)."""

from ivp.jobs.schedule import daily, scheduled

scheduled("purge_information", daily(at="03:45"), "ivp.information.services.purge_expired_information",
          "Delete register rows older than IVP_INFORMATION_RETENTION_YEARS, with one audit event.")
