"""Writes of the fund. Only the coordinator writes; every write is audited.

The negative-balance rule: a write that lowers the balance of a year (contributions - expenditures)
to below zero is refused, unless the coordinator approved a negative balance for that year
(`negative_balance_approve`). The year's settings row is locked first, so concurrent writes are
checked one after the other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.core.audit.recorder import NothingChanged, audited, field_changes
from ivp.core.locking import require_version, save_versioned
from ivp.core.models import Organisation
from ivp.core.roles import OrganisationKind
from ivp.money import MAX_CENTS, format_euro

from .models import Allocation, AllocationKind, Commitment, Expenditure, FundYear
from .selectors import MAX_YEAR, MIN_YEAR, require_edit_fund
from .summary import balance_cents, contributions_for


def _check_year(year, field: str = "year") -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({field: _("Choose a year between %(min)s and %(max)s.")
                               % {"min": MIN_YEAR, "max": MAX_YEAR}})
    return year


def _check_amount(cents, field: str = "amount_cents", *, allow_zero: bool = False) -> int:
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise ValidationError({field: _("An amount is a whole number of cents.")})
    if cents < 0 or (cents == 0 and not allow_zero):
        raise ValidationError({field: _("Enter an amount above zero.")})
    if cents > MAX_CENTS:
        raise ValidationError({field: _("The amount is too large.")})
    return cents


def _lock_year(year: int) -> FundYear:
    settings, _created = FundYear.objects.select_for_update().get_or_create(year=year)
    return settings


def _guard_balance(settings: FundYear, before: int, field: str) -> None:
    """Refuse a write that took the balance below zero (or further below) without approval."""
    after = balance_cents(settings.year)
    if after < 0 and after < before and not settings.negative_balance_approved:
        raise ValidationError({field: _(
            "This would take the balance of the fund for %(year)s to %(balance)s. A balance below zero needs the "
            "explicit approval of the coordinator first (\"Approve a negative balance\" on the page of the year). "
            "Nothing has been saved.") % {"year": settings.year, "balance": format_euro(after)}})


# --- The year: rate and negative-balance approval ----------------------------------------------

def rate_set(*, actor, year: int, rate_cents: int, expected_version: int | None = None) -> FundYear:
    """Set the contribution per inhabitant (cents) for a year; the default is 100 (1 euro).

    `expected_version`: the version of the year's settings the form was opened on (a year without settings is at
    version 1, the version its row gets); StaleEdit when someone saved in between. None: the version read here."""
    with audited(actor=actor, action="budget.rate_set") as event:
        require_edit_fund(actor)
        _check_year(year)
        _check_amount(rate_cents, "rate_cents", allow_zero=True)
        settings = _lock_year(year)
        event.target = settings
        before = balance_cents(year)
        event.changes = field_changes(settings, {"rate_cents": rate_cents})
        if not event.changes:
            require_version(settings, expected_version=expected_version)
            raise NothingChanged
        save_versioned(settings, expected_version=expected_version, fields=["rate_cents"])
        _guard_balance(settings, before, "rate_cents")
    return settings


def negative_balance_approve(*, actor, year: int, reason: str, expected_version: int | None = None) -> FundYear:
    """The coordinator's explicit approval that the balance of `year` may go below zero (`expected_version`: as
    for rate_set)."""
    with audited(actor=actor, action="budget.negative_balance_approve") as event:
        require_edit_fund(actor)
        _check_year(year)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason why the balance may go below zero.")})
        settings = _lock_year(year)
        event.target = settings
        event.changes = field_changes(settings, {"negative_balance_approved": True, "negative_balance_reason": reason})
        if not event.changes:
            require_version(settings, expected_version=expected_version)
            raise NothingChanged
        settings.negative_balance_approved_by = actor
        settings.negative_balance_approved_at = timezone.now()
        save_versioned(settings, expected_version=expected_version, fields=[
            "negative_balance_approved", "negative_balance_reason", "negative_balance_approved_by",
            "negative_balance_approved_at"])
    return settings


# --- Allocations ------------------------------------------------------------------------------

def _guard_allocation(year: int, allocated_before: int, *, confirmed: bool) -> str:
    """Allocating more than the contributions of the year needs an explicit confirmation (ADR 0018): a write that
    takes the year's allocations above its contributions (or further above) is refused without it. Not checked while
    a municipality's population (so the contributions) is unknown. Returns the note for the audit trail when it was
    confirmed, else ""."""
    allocated = _allocated(year)
    known = contributions_for(year)
    if any(c.population is None for c in known):
        return ""  # the contributions are not known yet (no CBS population): the year page says so instead
    contributions = sum(c.amount_cents for c in known)
    if allocated <= contributions or allocated <= allocated_before:
        return ""
    text = _("With this, %(allocated)s is allocated from the fund for %(year)s: %(excess)s more than the "
             "contributions of that year (%(contributions)s).") % {
        "allocated": format_euro(allocated), "year": year, "excess": format_euro(allocated - contributions),
        "contributions": format_euro(contributions)}
    if not confirmed:
        raise ValidationError({"over_allocation_confirmed": text + " " + _(
            "Tick \"Allocate more than the contributions\" to save it anyway. Nothing has been saved.")})
    return text + " " + _("Confirmed by the coordinator.")


def _allocated(year: int) -> int:
    return Allocation.objects.filter(year=year).aggregate(total=Sum("amount_cents"))["total"] or 0


def _clean_allocation(*, year, kind, title, amount_cents, beneficiary, description) -> dict:
    errors: dict[str, str | list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Give the allocation a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if kind not in AllocationKind.values:
        errors["kind"] = _("Choose a valid kind.")
    if beneficiary is not None and (not isinstance(beneficiary, Organisation)
                                    or beneficiary.kind != OrganisationKind.MUNICIPALITY):
        errors["beneficiary"] = _("The benefiting party is one of the municipalities, or empty for the base team.")
    for check in (lambda: _check_year(year), lambda: _check_amount(amount_cents)):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"year": year, "kind": kind, "title": title, "amount_cents": amount_cents, "beneficiary": beneficiary,
            "description": (description or "").strip()}


def allocation_create(*, actor, year: int, kind: str, title: str, amount_cents: int,
                      beneficiary: Organisation | None = None, description: str = "",
                      over_allocation_confirmed: bool = False) -> Allocation:
    """A new allocation. One that takes the year's allocations above its contributions is refused (nothing saved)
    unless `over_allocation_confirmed`; the confirmation is noted in the audit trail."""
    with audited(actor=actor, action="budget.allocation_create") as event:
        require_edit_fund(actor)
        values = _clean_allocation(year=year, kind=kind, title=title, amount_cents=amount_cents,
                                   beneficiary=beneficiary, description=description)
        _lock_year(year)
        before = _allocated(year)
        allocation = Allocation.objects.create(**values)
        event.target = allocation
        event.changes = {name: [None, str(value) if isinstance(value, Organisation) else value]
                         for name, value in values.items() if value not in (None, "")}
        event.message = _guard_allocation(year, before, confirmed=over_allocation_confirmed)
    return allocation


def allocation_update(*, actor, allocation: Allocation, year: int, kind: str, title: str, amount_cents: int,
                      beneficiary: Organisation | None = None, description: str = "",
                      expected_version: int | None = None, over_allocation_confirmed: bool = False) -> Allocation:
    """Moving an allocation to another year moves its commitments and expenditures along. `expected_version`: the
    version the form was opened on (StaleEdit when someone saved in between; None: the version read here). Raising
    the year's allocations above its contributions needs `over_allocation_confirmed`, as for allocation_create."""
    with audited(actor=actor, action="budget.allocation_update", target=allocation) as event:
        require_edit_fund(actor)
        values = _clean_allocation(year=year, kind=kind, title=title, amount_cents=amount_cents,
                                   beneficiary=beneficiary, description=description)
        old_year = allocation.year
        settings = {y: _lock_year(y) for y in sorted({old_year, year})}
        before = balance_cents(year)
        allocated_before = _allocated(year)
        event.changes = field_changes(allocation, values)
        if not event.changes:
            require_version(allocation, expected_version=expected_version)
            raise NothingChanged
        save_versioned(allocation, expected_version=expected_version, fields=values)
        if year != old_year:
            _guard_balance(settings[year], before, "year")
        event.message = _guard_allocation(year, allocated_before, confirmed=over_allocation_confirmed)
    return allocation


def allocation_delete(*, actor, allocation: Allocation) -> None:
    with audited(actor=actor, action="budget.allocation_delete", target=allocation) as event:
        require_edit_fund(actor)
        if allocation.commitments.exists() or allocation.expenditures.exists():
            raise ValidationError(_("This allocation has commitments or expenditures; delete those first."))
        event.changes = {"year": [allocation.year, None], "kind": [allocation.kind, None],
                         "title": [allocation.title, None], "amount_cents": [allocation.amount_cents, None],
                         "beneficiary": [str(allocation.beneficiary) if allocation.beneficiary else None, None],
                         "description": [allocation.description, None]}
        allocation.delete()


# --- Commitments and expenditures --------------------------------------------------------------

def _clean_entry(*, date, description, reference, amount_cents) -> dict:
    errors: dict[str, str | list[str]] = {}
    description = (description or "").strip()
    reference = (reference or "").strip()
    if not isinstance(date, dt.date):
        errors["date"] = _("Enter a date.")
    if not description:
        errors["description"] = _("Describe what the money is for.")
    elif len(description) > 300:
        errors["description"] = _("The description is too long (at most 300 characters).")
    if len(reference) > 100:
        errors["reference"] = _("The reference is too long (at most 100 characters).")
    try:
        _check_amount(amount_cents)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"date": date, "description": description, "reference": reference, "amount_cents": amount_cents}


def _entry_changes(values: dict, *, deleted: bool = False) -> dict:
    return {name: ([_plain(value), None] if deleted else [None, _plain(value)]) for name, value in values.items()}


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def commitment_create(*, actor, allocation: Allocation, date: dt.date, description: str, amount_cents: int,
                      reference: str = "") -> Commitment:
    with audited(actor=actor, action="budget.commitment_create") as event:
        require_edit_fund(actor)
        values = _clean_entry(date=date, description=description, reference=reference, amount_cents=amount_cents)
        _lock_year(allocation.year)
        commitment = Commitment.objects.create(allocation=allocation, **values)
        event.target = commitment
        event.changes = {"allocation": [None, str(allocation)], **_entry_changes(values)}
    return commitment


def commitment_delete(*, actor, commitment: Commitment) -> None:
    with audited(actor=actor, action="budget.commitment_delete", target=commitment) as event:
        require_edit_fund(actor)
        values = {k: getattr(commitment, k) for k in ("date", "description", "reference", "amount_cents")}
        event.changes = {"allocation": [str(commitment.allocation), None], **_entry_changes(values, deleted=True)}
        commitment.delete()


def expenditure_create(*, actor, allocation: Allocation, date: dt.date, description: str, amount_cents: int,
                       reference: str = "") -> Expenditure:
    """Refused when it takes the year's balance below zero without the coordinator's approval."""
    with audited(actor=actor, action="budget.expenditure_create") as event:
        require_edit_fund(actor)
        values = _clean_entry(date=date, description=description, reference=reference, amount_cents=amount_cents)
        settings = _lock_year(allocation.year)
        before = balance_cents(allocation.year)
        expenditure = Expenditure.objects.create(allocation=allocation, **values)
        event.target = expenditure
        event.changes = {"allocation": [None, str(allocation)], **_entry_changes(values)}
        _guard_balance(settings, before, "amount_cents")
    return expenditure


def expenditure_delete(*, actor, expenditure: Expenditure) -> None:
    with audited(actor=actor, action="budget.expenditure_delete", target=expenditure) as event:
        require_edit_fund(actor)
        values = {k: getattr(expenditure, k) for k in ("date", "description", "reference", "amount_cents")}
        event.changes = {"allocation": [str(expenditure.allocation), None], **_entry_changes(values, deleted=True)}
        expenditure.delete()
