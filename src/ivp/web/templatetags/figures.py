"""Indicator cards and the neighbourhood table rendered once per figures' state: a dashboard shows 14 cards, each
a table and an SVG chart, and a table of every buurt with a map; their HTML changes only with the figures, the
interpretation shown, the public or signed-in view and the language (Card.fragment_key, neighbourhood_table)."""

from django import template

from ..fragments import cached_fragment

register = template.Library()


@register.simple_tag
def indicator_card(card, heading_id: str, area_code: str) -> str:
    return cached_fragment("components/indicator_card.html",
                           lambda: {"card": card, "heading_id": heading_id, "area_code": area_code},
                           key=(*card.fragment_key, heading_id, area_code), token=card.token)


@register.simple_tag
def neighbourhood_section(neighbourhoods: dict) -> str:
    return cached_fragment("components/neighbourhood_section.html", lambda: {"neighbourhoods": neighbourhoods},
                           key=neighbourhoods["fragment_key"], token=neighbourhoods["token"])


@register.filter
def public_source(source) -> str:
    """Who publishes a series, for public pages; the table id is for the "sources and method" section only."""
    from ivp.indicators.series import public_source_name

    return public_source_name(source)
