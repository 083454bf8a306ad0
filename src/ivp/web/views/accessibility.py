"""The accessibility statement (toegankelijkheidsverklaring), in the shape of the Dutch model statement.

Public, for everyone; linked from the footer of every page. Update STATEMENT_DATE whenever the statement or
the test method changes.
"""

import datetime as dt

from django.shortcuts import render
from django.utils.translation import gettext as _

STATEMENT_DATE = dt.date(2026, 11, 28)


def accessibility_statement(request):
    return render(request, "web/accessibility_statement.html", {
        "title": _("Accessibility statement"), "statement_date": STATEMENT_DATE,
    })
