"""Dutch (translated) labels for the statistics module's codes.

Verdict labels say what was tested: a change "larger than the usual year-to-year fluctuation" (the tests allow for
the extra-Poisson variation between years, ADR 0011), never "more than chance explains" on Poisson noise alone.
Funnel labels say "stands out" with the limit, not a verdict on the area: the limits allow for the usual spread
between areas, and standing out is a reason to look, not a conclusion.
"""

from django.utils.translation import gettext_lazy as _

VERDICT_LABELS = {
    "significant_decrease": _("decrease beyond the usual fluctuation"),
    "within_normal_variation": _("within the usual fluctuation"),
    "significant_increase": _("increase beyond the usual fluctuation"),
    "insufficient_data": _("too little data"),
}

# The order of the legend and the colours of every funnel plot (never the order in which labels happen to occur).
FUNNEL_ORDER = ("above_998", "above_95", "within", "below_95", "below_998")

FUNNEL_LABELS = {
    "above_998": _("stands out strongly: higher (beyond the limit of 99.8%)"),
    "above_95": _("stands out: higher (beyond the limit of 95%)"),
    "within": _("within the limits"),
    "below_95": _("stands out: lower (beyond the limit of 95%)"),
    "below_998": _("stands out strongly: lower (beyond the limit of 99.8%)"),
}

# Colour and shape per flag, fixed: red-brown tones for higher, blue for within, green for lower (the highest-crime
# areas are never drawn green). Colours pass 3:1 contrast against white; the shape repeats the meaning.
FUNNEL_STYLE = {
    "above_998": ("#8c0000", "triangle-up"),
    "above_95": ("#b35900", "triangle-up"),
    "within": ("#1a5a96", "circle"),
    "below_95": ("#2a7a2a", "triangle-down"),
    "below_998": ("#005a32", "triangle-down"),
}


def verdict_label(code: str | None) -> str:
    return str(VERDICT_LABELS.get(code, "")) if code else ""
