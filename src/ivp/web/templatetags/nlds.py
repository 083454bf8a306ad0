"""Template components that emit NL Design System (Utrecht) markup, open-inwoner style."""

from django import forms, template

register = template.Library()

_WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
}


@register.inclusion_tag("components/form_field.html")
def form_field(field):
    """A labelled form field with description and error message linked by aria-describedby."""
    widget = field.field.widget
    default = "utrecht-textbox utrecht-textbox--html-input"
    css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), default)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        css += " utrecht-textbox--invalid"
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required:
        attrs["required"] = True
    # A field the form leaves optional but the service demands in some cases says when (`required_when` on the form
    # field), instead of "(optional)": the label never calls a field optional that is then refused (ADR 0018).
    return {"field": field, "widget_html": field.as_widget(attrs=attrs),
            "required_when": getattr(field.field, "required_when", "")}


@register.inclusion_tag("components/checkbox_group.html")
def checkbox_group(field):
    """A multiple-choice field as a fieldset of labelled checkboxes, with its legend, description and error."""
    return {"field": field}


@register.inclusion_tag("components/form_errors.html")
def form_errors(form, level: int = 2):
    """The form's errors; after a refused stale save (409) also what the other person saved, under a heading of
    `level` (one below the heading the form is under)."""
    return {"form": form, "level": level}


@register.inclusion_tag("components/status_badge.html")
def status_badge(value: str, label: str):
    return {"value": value, "label": label}


@register.inclusion_tag("components/statement_list.html")
def statement_list(theme, kind: str, heading: str, level: int = 2):
    items = theme.statements_of(kind)
    return {"items": items, "heading": heading, "level": level, "id": f"{kind}-{theme.pk}"}
