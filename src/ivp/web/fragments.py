"""Rendered page fragments cached under the figures' state (ivp.indicators.cache): for the parts of the
dashboards whose HTML changes only with the figures and the key the caller gives (area, view, interpretations)."""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ivp.indicators.cache import memoised


def cached_fragment(template_name: str, context: Callable[[], dict], *, key: tuple, token: str | None) -> SafeString:
    """The template rendered with `context()`, or its HTML cached for (token, language, template, key). `context` is
    called only on a miss (building it is most of the work); the key must hold everything the output depends on
    besides the figures."""
    html = memoised(template_name, key, lambda: render_to_string(template_name, context()), token=token)
    return mark_safe(html)  # noqa: S308 (the template escaped its own output)
