"""Indicator cards and the neighbourhood table rendered once per figures' state: a dashboard shows 14 cards, each
a table and an SVG chart, and a table of every buurt with a map; their HTML changes only with the figures, the
interpretation shown, the public or signed-in view and the language (Card.fragment_key, neighbourhood_table)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ivp.indicators.cache import memoised

register = template.Library()


@register.simple_tag
def indicator_card(card, heading_id: str, area_code: str) -> str:
    def render() -> str:
        return render_to_string("components/indicator_card.html",
                                {"card": card, "heading_id": heading_id, "area_code": area_code})

    # The component is escaped by its own template; the cached value is that finished HTML.
    return mark_safe(memoised("card-html", (*card.fragment_key, heading_id, area_code), render,  # noqa: S308
                              token=card.token))


@register.simple_tag
def neighbourhood_section(neighbourhoods: dict) -> str:
    def render() -> str:
        return render_to_string("components/neighbourhood_section.html", {"neighbourhoods": neighbourhoods})

    return mark_safe(memoised("buurten-html", neighbourhoods["fragment_key"], render,  # noqa: S308
                              token=neighbourhoods["token"]))
