"""Pages as a user gets them: Dutch, one h1, skip link, landmarks, labelled inputs, history."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def assert_accessible_basics(response):
    page = _parse(response)
    html = next(a for t, a in page.tags if t == "html")
    assert html.get("lang") == "nl"
    assert sum(1 for t, _a in page.tags if t == "h1") == 1
    ids = {a["id"] for _t, a in page.tags if "id" in a}
    skip = next(a for t, a in page.tags if t == "a" and "utrecht-skip-link" in a.get("class", ""))
    assert skip["href"].lstrip("#") in ids
    for landmark in ("header", "nav", "main", "footer"):
        assert any(t == landmark for t, _a in page.tags), landmark
    labels = {a.get("for") for t, a in page.tags if t == "label"}
    for tag, attrs in page.tags:
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            assert attrs.get("id") in labels, f"unlabelled {tag} {attrs}"
    return page


def test_public_pages(client, plan):
    theme = plan.themes.get(code="digital_safety")
    for url in [reverse("web:plan_overview"), reverse("web:plan_versions"),
                reverse("web:theme_detail", kwargs={"pk": theme.pk}),
                reverse("web:municipality_detail", kwargs={"cbs_code": "GM0865"}), reverse("web:login")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_accessible_basics(response)


def test_overview_shows_the_plan(client, plan):
    text = " ".join(_parse(client.get("/")).text)
    for title in ["Zorg en Veiligheid", "Digitale veiligheid", "Polarisatie en voorkomen maatschappelijke onrust",
                  "Ondermijning en georganiseerde criminaliteit", "Kwetsbare inwoners en huishoudens",
                  "Weerbaarheid", "Jeugd", "Kwetsbare(n)", "Uitgangspunten", "Boxtel", "Sint-Michielsgestel"]:
        assert title in text, title
    assert "een afname van criminaliteit" in text


def test_forms_are_labelled(client, users, priorities):
    client.force_login(users["advisor"])
    for url in [reverse("web:local_priority_create", kwargs={"cbs_code": "GM0865"}),
                reverse("web:local_priority_edit", kwargs={"pk": priorities["GM0865"].pk})]:
        assert_accessible_basics(client.get(url))


def test_invalid_input_stays_on_screen(client, users):
    client.force_login(users["advisor"])
    response = client.post(reverse("web:local_priority_create", kwargs={"cbs_code": "GM0865"}),
                           {"title": "", "domain": "sociaal", "description": "Mijn lange toelichting"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn lange toelichting" in content
    assert 'aria-invalid="true"' in content


def test_every_change_shows_in_the_history(client, users, priorities):
    client.force_login(users["advisor"])
    priority = priorities["GM0865"]
    client.post(reverse("web:local_priority_edit", kwargs={"pk": priority.pk}),
                {"title": "Veilig uitgaan", "domain": "sociaal", "description": ""})
    page = client.get(reverse("web:object_history", kwargs={"kind": "prioriteit", "pk": priority.pk}))
    text = " ".join(_parse(page).text)
    assert "Lokale prioriteit gewijzigd" in text
    assert "Titel: Testprioriteit Vught" in text and "Veilig uitgaan" in text and "advisor-vught" in text
    assert_accessible_basics(page)
    history_url = reverse("web:object_history", kwargs={"kind": "gemeente", "pk": priority.municipality_id})
    municipality = client.get(history_url)
    assert "Veilig uitgaan" in municipality.content.decode()


def test_logout_is_a_post(client, users):
    client.force_login(users["advisor"])
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.post(reverse("web:logout")).status_code == 302


def test_dutch_even_when_the_browser_asks_for_english(client, plan):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Strategische thema's" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Strategic themes" in client.get("/").content.decode()
