"""The core's periodic jobs (ivp.jobs.schedule; run by `ivp worker`)."""

from ivp.jobs.schedule import daily, scheduled

scheduled("purge_login_records", daily(at="03:30"), "ivp.core.login_records.purge_expired_login_records",
          "Delete sign-in records older than IVP_LOGIN_RECORDS_RETENTION_DAYS.")
