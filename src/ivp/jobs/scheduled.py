"""The queue's own periodic jobs (ivp.jobs.schedule; run by `ivp worker`)."""

from ivp.jobs.schedule import daily, scheduled

scheduled("prune_task_results", daily(at="04:15"), "ivp.jobs.maintenance.prune_finished_tasks",
          "Delete finished task rows older than 30 days.")
