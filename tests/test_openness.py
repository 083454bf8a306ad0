"""The project's own openness (issue 16, item 5): the EUPL-1.2 licence text, publiccode.yml, CONTRIBUTING, SECURITY
and CHANGELOG.

publiccode.yml was validated once against the JSON schema of SchemaStore (src/schemas/json/publiccode.json, commit
3b6446ad8a077bac56f4a4796c0b7fd88927fc8e) when it was written; that schema is third-party and not in this
repository, so this test checks the keys the publiccode.yml standard 0.4 makes mandatory, their allowed values and
the length limits, written from the standard's documentation."""

import hashlib
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# The English EUPL-1.2 text as published by the European Commission (copied verbatim from the LICENSE.md of
# open-formulieren/open-forms, commit 5e5813168708e7ec6dd670f8d36c302ec6743ad6): any edit changes this hash.
EUPL_SHA256 = "57fb42fbcd0b037ce528ed8f72f1ec095d67bc6825ecf1448ff39be1fe68a4b4"

DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPE = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
                 "standalone/other", "addon", "library", "configurationFiles"}
MAINTENANCE_TYPE = {"internal", "contract", "community", "none"}


def test_licence_is_the_eupl_1_2_text():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n")
    for number in range(1, 16):
        assert re.search(rf"^{number}\.", text, re.MULTILINE), f"article {number}"
    assert "‘Compatible Licences’ according to Article 5 EUPL are:" in text
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == EUPL_SHA256


def test_publiccode_yml_has_the_mandatory_keys_of_standard_0_4():
    doc = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert doc["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "developmentStatus", "softwareType", "description", "legal",
                "maintenance", "localisation"):
        assert doc.get(key), key
    assert doc["url"].startswith("https://")
    assert doc["developmentStatus"] in DEVELOPMENT_STATUS
    assert doc["softwareType"] in SOFTWARE_TYPE
    assert doc["legal"]["license"] == "EUPL-1.2"
    assert doc["maintenance"]["type"] in MAINTENANCE_TYPE
    assert isinstance(doc["localisation"]["localisationReady"], bool)
    assert "nl" in doc["localisation"]["availableLanguages"]
    assert "nl" in doc["description"]
    for language, description in doc["description"].items():
        assert len(description["shortDescription"]) <= 150, language
        assert 150 <= len(description["longDescription"]) <= 10000, language
        assert description["features"], language
        assert len(description.get("genericName", "")) <= 35, language
    assert doc["softwareVersion"] == _project_version()


def _project_version() -> str:
    match = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    assert match
    return match.group(1)


def test_contributing_security_and_changelog():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "SECURITY.md" in contributing and "EUPL-1.2" in contributing
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    for heading in ("## Reporting a vulnerability", "## What you can expect", "## Supported versions"):
        assert heading in security
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Keep a Changelog" in changelog and "## [Unreleased]" in changelog
    assert f"## [{_project_version()}]" in changelog
