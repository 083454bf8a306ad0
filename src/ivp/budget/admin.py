"""Read-only admin: the fund is written only through its services (audited, negative-balance rule)."""

from django.contrib import admin

from .models import Allocation, Commitment, Expenditure, FundYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
