"""The indicators' periodic jobs (ivp.jobs.schedule; run by `ivp worker`)."""

from ivp.jobs.schedule import monthly, scheduled

scheduled("fetch_opendata", monthly(day=3, at="05:00"), "ivp.indicators.services.online_import.monthly_update",
          "Fetch the recent months of police and CBS figures (ivp fetch_opendata, ADR 0008).")
