"""Signals core sends for the apps above it (core imports none of them)."""

from django.dispatch import Signal

# Sent after an invitation was accepted and committed: invitation (ivp.core.models.Invitation), municipality (the
# person's municipality or None).
invitation_accepted = Signal()
