"""Dutch (translated) labels for the statistics module's codes."""

from django.utils.translation import gettext_lazy as _

VERDICT_LABELS = {
    "significant_decrease": _("significant decrease"),
    "within_normal_variation": _("within normal variation"),
    "significant_increase": _("significant increase"),
    "insufficient_data": _("too little data"),
}

FUNNEL_LABELS = {
    "above_998": _("far above the base team (99.8%)"),
    "above_95": _("above the base team (95%)"),
    "within": _("within the funnel"),
    "below_95": _("below the base team (95%)"),
    "below_998": _("far below the base team (99.8%)"),
}


def verdict_label(code: str | None) -> str:
    return str(VERDICT_LABELS.get(code, "")) if code else ""
