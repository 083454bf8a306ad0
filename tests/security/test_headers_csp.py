"""Content Security Policy and security headers on the main pages; no inline scripts, styles or
event handlers in any template; charts without style attributes."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from ..conftest import OWN

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "ivp"


def _pages():
    return [
        reverse("web:plan_overview"), reverse("web:plan_versions"), reverse("web:login"),
        reverse("web:base_team_dashboard"), reverse("web:municipality_detail", kwargs={"cbs_code": OWN}),
        reverse("web:municipality_dashboard", kwargs={"cbs_code": OWN}),
        reverse("web:indicator_detail", kwargs={"area_code": OWN, "indicator": "crime_total"}),
        reverse("web:execution_overview"), reverse("web:agreement_list"), reverse("web:budget_overview"),
        reverse("web:local_priority_create", kwargs={"cbs_code": OWN}), "/bestaat-niet/",
    ]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("role", ["anonymous", "coordinator"])
def test_csp_on_every_main_page_and_scripts_carry_the_nonce(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    for url in _pages():
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
        policy = _directives(header)
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        nonce = next(v for v in policy["script-src"] if v.startswith("'nonce-"))[len("'nonce-"):-1]
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html, re.I)
        assert scripts, url
        for tag in scripts:
            assert f'nonce="{nonce}"' in tag, (url, tag)
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"<[^>]+\sstyle\s*=", html, re.I), f"style attribute on {url}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), f"event handler attribute on {url}"
        assert "<style" not in html, url


def test_nonce_changes_per_response(client):
    first = client.get(reverse("web:plan_overview"))["Content-Security-Policy"]
    second = client.get(reverse("web:plan_overview"))["Content-Security-Policy"]
    assert first != second


def test_htmx_is_configured_without_injected_styles_or_eval(client):
    html = client.get(reverse("web:plan_overview")).content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert meta, "htmx-config meta"
    import json

    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False


def test_security_headers(client):
    response = client.get(reverse("web:plan_overview"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


# Not served as web pages: the standalone report document is a download (Content-Disposition: attachment)
# and the input of the PDF renderer, self-contained with its stylesheet in one <style> element; the safety picture's
# document is only the input of the PDF renderer (the web page is web/information_safety_picture.html).
NOT_WEB_PAGES = {"reports/templates/reports/document.html", "reports/templates/reports/safety_picture_document.html"}


def test_no_inline_script_style_or_handlers_in_templates():
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        if str(path.relative_to(TEMPLATES)) in NOT_WEB_PAGES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, what in ((r"<script\b(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
                              (r"<script\b(?![^>]*\bnonce=)[^>]*>", "<script> without nonce"),
                              (r"<style\b", "<style> element"),
                              (r"\sstyle\s*=", "style attribute"),
                              (r"\son[a-z]+\s*=\s*[\"']", "on* handler")):
            if re.search(pattern, text, re.I):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert not offenders, offenders


def test_charts_have_no_style_attributes():
    """vl-convert SVGs are inlined in pages; a style attribute would be blocked by style-src 'self'.
    (Checked in headless Chromium too: no CSP violations on the figures pages; see docs/security.md.)"""
    from ivp.indicators.charts import render_svg

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"jaar": "2021", "n": 3}, {"jaar": "2022", "n": 5}]},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {"x": {"field": "jaar", "type": "ordinal", "title": "Jaar"},
                         "y": {"field": "n", "type": "quantitative", "title": "Aantal"}}}
    svg = render_svg(spec, title="Test", description="Testgrafiek", element_id="t")
    assert "<svg" in svg
    assert not re.search(r"\sstyle\s*=", svg) and "<style" not in svg
