"""Label honesty (ADR 0018): a field whose label says "(niet verplicht)" really is optional, on every form of every
page. The walk opens every page of the tenancy walk (tests/web/test_tenancy_walk.py) for the roles that edit, and for
each form on it:

- a label with the optional marker belongs to a control without `required`, and a control with `required` has no
  marker;
- the form, submitted as the page shows it but with every field marked optional left empty, gets no error on any of
  those fields (the service or the form's own checks do not demand them after all).
"""

from html.parser import HTMLParser

import pytest
from _pytest.fixtures import getfixturemarker
from django.urls import reverse

from ..conftest import OTHER, OWN
from . import test_tenancy_walk as walk

# The tenancy walk's sample objects (its fixtures, some autouse) apply here too.
globals().update({name: value for name, value in vars(walk).items() if getfixturemarker(value) is not None})

pytestmark = pytest.mark.django_db
MARKER = "(niet verplicht)"
EDITORS = ["coordinator", "advisor"]


class _Forms(HTMLParser):
    """The POST forms of a page: their action, controls (name, type, value, required, id) and label texts by id."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.labels: dict[str, str] = {}
        self._form = None
        self._label_for = None
        self._label_text: list[str] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "controls": []}
            self.forms.append(self._form)
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []
        elif self._form is None:
            return
        elif tag == "input":
            self._form["controls"].append({"name": a.get("name"), "type": (a.get("type") or "text").lower(),
                                           "value": a.get("value") or "", "id": a.get("id"),
                                           "required": "required" in a, "checked": "checked" in a})
        elif tag == "select":
            self._select = {"name": a.get("name"), "type": "select", "value": None, "first": None, "id": a.get("id"),
                            "required": "required" in a, "multiple": "multiple" in a, "values": []}
            self._form["controls"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            if "selected" in a:
                self._select["values"].append(value)
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "type": "textarea", "value": "", "id": a.get("id"),
                              "required": "required" in a}
            self._form["controls"].append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._label_for is not None:
            self._label_text.append(data)
        if self._textarea is not None:
            self._textarea["value"] += data


def _data(form, blank: set[str]) -> dict:
    """What a browser sends for the form as shown, with the `blank` fields left empty."""
    data: dict[str, list[str]] = {}
    for c in form["controls"]:
        name = c["name"]
        if not name or c["type"] in ("submit", "button", "file", "reset"):
            continue
        if name in blank:
            if c["type"] not in ("checkbox", "radio"):
                data[name] = [""]
            continue
        if c["type"] in ("checkbox", "radio"):
            if c["checked"]:
                data.setdefault(name, []).append(c["value"] or "on")
        elif c["type"] == "select":
            values = c["values"] or ([] if c["multiple"] or c["first"] is None else [c["first"]])
            data.setdefault(name, []).extend(values)
        else:
            data.setdefault(name, []).append(c["value"])
    return data


def _pages(plan, priorities, themes):
    urls = []
    for name, expected in walk.EXPECTED_GET.items():
        if expected is None:
            continue
        for code in (OWN, OTHER):
            urls.append(reverse(f"web:{name}", kwargs=walk._kwargs(name, code, plan, priorities, themes)))
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("role", EDITORS)
def test_optional_fields_are_really_optional(client, role, users, plan, priorities, agreements, partner_profile,
                                             fund, people):
    themes = list(plan.themes.order_by("order"))
    client.force_login(users[role])
    problems, checked = [], 0
    for url in _pages(plan, priorities, themes):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            optional = set()
            for c in form["controls"]:
                label = parser.labels.get(c.get("id") or "", "")
                if MARKER in label:
                    optional.add(c["name"])
                    if c["required"]:
                        problems.append(f"{url}: {c['name']} is marked optional but has required")
                elif c["required"] and label and MARKER in label:
                    problems.append(f"{url}: {c['name']} is required but marked optional")
            if not optional:
                continue
            checked += 1
            answer = client.post(form["action"] or url, _data(form, optional))
            if answer.status_code in (301, 302, 303):
                continue
            html = answer.content.decode()
            for name in optional:
                control = next(c for c in form["controls"] if c["name"] == name)
                if control.get("id") and f'id="{control["id"]}_error"' in html:
                    problems.append(f"{url}: {name} is marked optional, yet left empty it is refused")
    assert checked >= 5, f"only {checked} forms with optional fields found for {role}"
    assert not problems, "\n".join(problems)
