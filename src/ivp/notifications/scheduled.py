"""The notifications' periodic jobs (ivp.jobs.schedule; run by `ivp worker`; ADR 0016, 0017)."""

from ivp.jobs.schedule import daily, scheduled, weekly

scheduled("scan_reminders", daily(at="06:30"), "ivp.notifications.jobs.scan_reminders",
          "Notify stale activities, overdue milestones and agreement reviews that are due (once per occasion).")
scheduled("send_digests", weekly(weekday="monday", at="07:00"), "ivp.notifications.jobs.send_digests",
          "E-mail the weekly digest of unread notifications to everyone who chose it.")
