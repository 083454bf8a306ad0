"""One way to handle a submitted form, so that every form view is input -> service -> response.

    form = AdoptionForm(request.POST or None, initial=initial_for(adoption))
    response = submit(request, form,
                      service=lambda values: services.adoption_update(actor=request.user, adoption=adoption,
                                                                      expected_version=form.expected_version, **values),
                      success_message=_("Adoption updated."), success_url=reverse(...),
                      saved=lambda: initial_for(Adoption.objects.get(pk=adoption.pk)))
    return response or render(request, "web/adoption_form.html", {"form": form}, status=form_status(form))

A valid POST calls the service with the form's values (`form.service_values()` where the form has it, else the
cleaned data). When the service succeeds: a success message and a redirect. Otherwise `submit` returns None and
the form holds what went wrong, so the page is shown again with the user's input:

- invalid input or a service's ValidationError: on the fields (400);
- StaleEdit (someone saved in between, ivp.core.locking): the message on the form, in `form.conflict` the fields
  where the saved version differs from the input (`saved()`: the form's initial values for the saved row), and the
  hidden version moved on to the saved one, so that saving again is a deliberate choice (409);
- a refusal listed in `refused` ({PermissionDenied subclass: form field}): on that field (403). Other refusals are
  not a matter of the form: they propagate to the 403 page. Either way the service recorded them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ivp import notation
from ivp.core.locking import StaleEdit

from ..forms import apply_service_errors

STATUS_ATTRIBUTE = "submit_status"


def submit(request, form: forms.Form, *, service: Callable[[dict], Any], success_message: str,
           success_url: str | Callable[[Any], str], saved: Callable[[], Mapping | None] | None = None,
           refused: Mapping[type[PermissionDenied], str] | None = None,
           on_error: Callable[[forms.Form, ValidationError], None] = apply_service_errors) -> HttpResponse | None:
    if request.method != "POST" or not form.is_valid():
        return None
    values = form.service_values() if hasattr(form, "service_values") else dict(form.cleaned_data)
    try:
        result = service(values)
    except StaleEdit as exc:
        _show_conflict(form, exc, saved)
    except ValidationError as exc:
        on_error(form, exc)
    except PermissionDenied as exc:
        field = next((name for kind, name in (refused or {}).items() if isinstance(exc, kind)), None)
        if field is None:
            raise
        form.add_error(field, str(exc))
        setattr(form, STATUS_ATTRIBUTE, 403)
    else:
        messages.success(request, success_message)
        return redirect(success_url(result) if callable(success_url) else success_url)
    return None


def form_status(form: forms.Form | None) -> int:
    """The status of a page that shows `form` again: 409 stale, 403 refused, 400 invalid, else 200."""
    if form is None or not form.is_bound:
        return 200
    return getattr(form, STATUS_ATTRIBUTE, None) or (400 if form.errors else 200)


@dataclass(frozen=True)
class Difference:
    label: str
    saved: str
    yours: str


def _show_conflict(form: forms.Form, exc: StaleEdit, saved) -> None:
    form.add_error(None, str(exc))
    setattr(form, STATUS_ATTRIBUTE, 409)
    current = saved() if saved is not None else None
    if current is None:
        return
    form.conflict = differences(form, current)
    # Base the next save on the version now stored: the user saves again having seen the other person's changes.
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(current.get("version", 0))


def differences(form: forms.Form, saved: Mapping) -> list[Difference]:
    """The visible fields whose saved value (`saved`: initial values as for a new form) differs from the input."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        theirs = display(name, field, saved.get(name))
        yours = display(name, field, form.cleaned_data.get(name))
        if theirs != yours:
            rows.append(Difference(label=str(field.label or name), saved=theirs, yours=yours))
    return rows


def display(name: str, field: forms.Field, value) -> str:
    """A field's value as a reader sees it: choice labels, Dutch dates and amounts, "-" for nothing."""
    many = isinstance(value, list | tuple | set) or hasattr(value, "model")  # a list, or a queryset
    items = list(value) if many else [value]
    if value is None or value == "" or not items:
        return notation.DASH
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if name.endswith("_cents") and isinstance(value, int):  # money is integer cents, in fields named so
        return notation.euro(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return notation.date(value)
    labels = _choice_labels(field)
    texts = [labels.get(str(getattr(item, "pk", item)), str(item)) for item in items]
    return ", ".join(sorted(texts)) if many else texts[0]


def _choice_labels(field: forms.Field) -> dict[str, str]:
    if not hasattr(field, "choices"):
        return {}
    return {str(value): str(label) for value, label in field.choices if not isinstance(label, list | tuple)}
