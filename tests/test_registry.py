"""The typed registry, and the registries built on it: a key registered twice fails when the modules are imported."""

import dataclasses
import importlib.util
import subprocess
import sys

import pytest

from ivp.core.audit import labels
from ivp.indicators import definitions
from ivp.opendata.snapshot import formats
from ivp.registry import AlreadyRegistered, NotRegistered, Registry
from ivp.reports import api


def test_register_and_read_like_a_dict():
    registry: Registry[int] = Registry("number")
    assert registry.register("one", 1) == 1
    registry.register("two", 2)
    assert registry["two"] == 2 and "one" in registry and "three" not in registry
    assert list(registry) == ["one", "two"] and len(registry) == 2  # registration order
    assert dict(registry.items()) == {"one": 1, "two": 2} and list(registry.values()) == [1, 2]
    assert registry.get("three") is None and registry.get("three", 3) == 3


def test_a_duplicate_key_is_refused_and_the_first_item_kept():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    with pytest.raises(AlreadyRegistered, match="number 'one' is registered twice"):
        registry.register("one", 11)
    assert registry["one"] == 1


def test_an_unknown_key_names_the_known_ones():
    registry: Registry[int] = Registry("number")
    registry.register("one", 1)
    with pytest.raises(NotRegistered) as missing:
        registry["zero"]
    assert str(missing.value) == "unknown number 'zero' (registered: one)"
    with pytest.raises(KeyError):  # callers that catch KeyError keep working
        registry["zero"]


def test_a_module_that_registers_a_key_twice_fails_to_import(tmp_path):
    module = tmp_path / "twice.py"
    module.write_text("from ivp.registry import Registry\n"
                      "THINGS = Registry('thing')\n"
                      "THINGS.register('a', 1)\n"
                      "THINGS.register('a', 2)\n")
    spec = importlib.util.spec_from_file_location("twice", module)
    with pytest.raises(AlreadyRegistered):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


def test_the_registry_does_not_need_django():
    """ivp.opendata is used without Django, and registers its formats here."""
    code = "import sys, ivp.registry; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "False"


# --- the registries of the project ---------------------------------------------------------------------------

def test_indicators_refuse_a_second_indicator_with_a_known_code():
    existing = definitions.INDICATORS["crime_total"]
    with pytest.raises(AlreadyRegistered):
        definitions.register(dataclasses.replace(existing, name="Een tweede"))
    assert definitions.INDICATORS["crime_total"] is existing
    # What the rest of the code uses keeps working.
    assert "crime_total" in definitions.INDICATORS and "nothing" not in definitions.INDICATORS
    assert dict(definitions.INDICATORS.items())["crime_total"] is existing


def test_snapshot_formats_refuse_a_second_format_with_a_known_key():
    with pytest.raises(AlreadyRegistered):
        formats._f("crime_47013", r"^other\.csv$", "a,b", None, "a second format under the same key")
    with pytest.raises(AlreadyRegistered):
        formats._b("wijk", r"^other\.geojson$", None, "a second boundary format under the same key")
    assert formats.format_for("crime_total_gemeente_47013_2010_2024_meierij.csv").key == "crime_47013"
    assert formats.boundary_format_for("wijk_2024_cartomap_meierij.geojson").boundary == (2024, "wijk")
    assert formats.format_for("nothing.csv") is None


def test_report_formats_refuse_a_second_renderer():
    with pytest.raises(AlreadyRegistered):
        api.RENDERERS.register("pdf", api.Renderer("application/pdf", "somewhere", "else"))
    assert api.FORMATS == ("html", "pdf", "docx")
    assert api.RENDERERS["html"].load().__name__ == "render_html"


def test_audit_actions_refuse_a_second_label():
    with pytest.raises(AlreadyRegistered):
        labels.register_actions({"auth.login": "Nogmaals ingelogd"})
    assert labels.action_label("auth.login") == "Ingelogd"
