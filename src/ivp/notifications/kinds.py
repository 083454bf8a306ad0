"""The kinds of notification and the periodic scans that make them: two typed registries (ivp.registry).

A domain app registers its own kinds and scans in its `notifications.py` module, imported from its
`AppConfig.ready`, so this app depends on nothing but core and the arrows keep pointing down:

    KINDS.register("activity_stale", Kind(label=_("..."), message=_("... %(title)s ..."), needs_response=True))
    SCANS.register("activity_stale", scan_stale_activities)   # scan(today) -> number of new notifications

`message` is formatted with the notification's `params` when it is shown, in the reader's language (Dutch in
e-mails). Params hold names of things and full names of people, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ivp.registry import Registry


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("immediately by e-mail")
    DIGEST = "digest", _("in the weekly digest e-mail")
    APP = "app", _("only in the app")


@dataclass(frozen=True)
class Kind:
    label: str | Promise  # what the preferences page calls it
    message: str | Promise  # the notification's text, with %(name)s placeholders filled from its params
    needs_response: bool = False  # asks the reader to do something: e-mailed at once unless they choose otherwise

    @property
    def default_delivery(self) -> str:
        return Delivery.IMMEDIATE if self.needs_response else Delivery.DIGEST


KINDS: Registry[Kind] = Registry("notification kind")

# A scan looks for what has come due on `today` and calls `notify` for it; it returns how many notifications it
# made (0 when everything was notified before: scans are run daily and are idempotent).
Scan = Callable[[dt.date], int]
SCANS: Registry[Scan] = Registry("reminder scan")
