"""Periods as interpretations (duiding) name them: a year ("2024"), a range of years ("2021-2024") or a month
("2024-03"). One parser, so that a typo ("2O24", "<b>2024</b>", "2099") is refused when it is saved instead of
silently covering nothing (or everything)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR = 2000  # the open-data tables IVP reads start in 2010-2012; earlier years are typos
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{4})|-(\d{2}))?$")


@dataclass(frozen=True)
class Period:
    start_year: int
    end_year: int
    month: int = 0  # 0: whole years

    def __str__(self) -> str:
        if self.month:
            return f"{self.start_year}-{self.month:02d}"
        if self.start_year == self.end_year:
            return str(self.start_year)
        return f"{self.start_year}-{self.end_year}"

    def covers_year(self, year: int) -> bool:
        """Whether a yearly figure for ``year`` falls within this period's interpretation: a duiding written for a
        year (or a range ending in it) interprets the series up to and including that year."""
        return year <= self.end_year


def parse_period(text: str, *, today: dt.date | None = None) -> Period:
    """The period, or ValidationError with a message that says what is accepted."""
    today = today or dt.date.today()
    match = _PATTERN.match((text or "").strip())
    message = _("Give the period as a year (2024), a range of years (2021-2024) or a month (2024-03).")
    if match is None:
        raise ValidationError(message)
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else start
    month = int(match.group(3)) if match.group(3) else 0
    if month and not 1 <= month <= 12:
        raise ValidationError(message)
    if not FIRST_YEAR <= start <= end <= today.year:
        raise ValidationError(_("The period must lie between %(first)d and %(last)d, and a range must not run "
                                "backwards.") % {"first": FIRST_YEAR, "last": today.year})
    return Period(start, end, month)


def period_end_year(text: str) -> int | None:
    """The last year a stored period covers, or None for a period that does not parse (one saved before periods
    were validated covers nothing)."""
    try:
        return parse_period(text).end_year
    except ValidationError:
        return None
