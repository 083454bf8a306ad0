"""Signals of the plans domain, for the layers above it (execution listens; plans never imports them)."""

from django.dispatch import Signal

# Sent when a proposed version became the plan in force because every council adopted it (ADR 0015), inside the
# transaction of that adoption. Arguments: plan (the new current version), previous (the version it replaces, or
# None), actor.
plan_version_adopted = Signal()
