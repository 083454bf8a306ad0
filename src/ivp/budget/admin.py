"""Read-only admin: the fund is written only through its services (audited, negative-balance rule)."""

from django.contrib import admin

from ivp.core.admin_audit import ReadOnlyAdmin

from .models import Allocation, Commitment, Expenditure, FundYear


@admin.register(FundYear)
class FundYearAdmin(ReadOnlyAdmin):
    list_display = ["year", "rate_cents", "negative_balance_approved", "negative_balance_approved_by"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "kind", "beneficiary", "amount_cents"]
    list_filter = ["year", "kind"]


@admin.register(Commitment, Expenditure)
class FundEntryAdmin(ReadOnlyAdmin):
    list_display = ["description", "allocation", "date", "amount_cents"]
