"""The "Rapporten" / "Rapport maken" links on the municipality page and the base team's pages."""

from django import template

from ivp.reports.selectors import can_read_reports, can_request_report

register = template.Library()


@register.inclusion_tag("web/_report_links.html", takes_context=True)
def report_links(context, municipality=None):
    """Links to the reports of a municipality (or of the base team as a whole, without one): the list for those
    who may read the reports, the form for those who may make one. Nothing for others."""
    user = context["request"].user
    municipality_id = municipality.pk if municipality else None
    return {
        "municipality": municipality,
        "can_read": can_read_reports(user, municipality_id),
        "can_request": can_request_report(user, municipality_id),
    }
