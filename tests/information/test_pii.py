"""The personal-data check (ivp.information.pii): what it refuses, and ordinary Dutch it lets through."""

import pytest

from ivp.information import pii
from ivp.information.pii import Kind

POSITIVE = [
    ("Jansen, J.", Kind.NAME),
    ("melding over Jansen, J. bij de LIO", Kind.NAME),
    ("J. Jansen", Kind.NAME),
    ("J.P. de Vries", Kind.NAME),
    ("J.Jansen", Kind.NAME),
    ("mevr. de Vries", Kind.NAME),
    ("dhr. Jansen", Kind.NAME),
    ("de heer Bakker meldt overlast", Kind.NAME),
    ("mevrouw Smits", Kind.NAME),
    ("familie van den Berg", Kind.NAME),
    ("BSN 111222333", Kind.BSN),
    ("bsn: 123456782", Kind.BSN),
    ("123.456.782", Kind.BSN),
    ("tel 06-12345678", Kind.PHONE),
    ("bel 073 123 45 67", Kind.PHONE),
    ("+31 6 1234 5678", Kind.PHONE),
    ("0031612345678", Kind.PHONE),
    ("info@example.nl", Kind.EMAIL),
    ("mail j.jansen@gmail.com", Kind.EMAIL),
    ("NL91ABNA0417164300", Kind.IBAN),
    ("NL91 ABNA 0417 1643 00", Kind.IBAN),
    ("AB-12-CD", Kind.PLATE),
    ("auto met kenteken 12-ABC-3", Kind.PLATE),
    ("G-123-BB", Kind.PLATE),
    ("kenteken 12ABC3", Kind.PLATE),
    ("Taalstraat 12a", Kind.ADDRESS),
    ("hennep op Kerkstraat 4", Kind.ADDRESS),
    ("pand aan de Loonsebaan 120", Kind.ADDRESS),
    ("geboren 12-03-1985", Kind.BIRTH_DATE),
    ("geb. 1990", Kind.BIRTH_DATE),
    ("geboortedatum: 3 mei 2001", Kind.BIRTH_DATE),
    ("jongere van 01-05-2007", Kind.BIRTH_DATE),
    ("1985-03-12", Kind.BIRTH_DATE),
]

NEGATIVE = [
    "3 meldingen in wijk Centrum in maart",
    "Controle op 12-03-2024 bij 2 loodsen",
    "art. 13b Opiumwet, sluiting 3 maanden",
    "Signaal via MMA over hennepteelt in een loods",
    "2 zaken in Vught-Noord, doorgezet naar RIEC",
    "woonoverlast in 2 portieken in Vught-Zuid",
    "Categorie B. Daarna besproken in het LIO",
    "GM0865 WK086501 BU08650101 2024Q1",
    "Het Kerkplein 5 keer gecontroleerd",
    "Markt 3 controles uitgevoerd, 1 bestuurlijke boete",
    "Q3 2024: 14 signalen, waarvan 6 ondermijning",
    "NL91ABNA0417164301",  # fails mod-97
    "123456789",  # fails the eleven-test
    "Bibob-toets gestart voor 1 horecapand",
    "Jongerengroep VU-2024-01 van hinderlijk naar overlastgevend",
    "Jeugdgroep rond het station, 10-15 jongeren, aanpak volgens 7 stappen",
    "In april 2023 en mei 2024 besproken",
    "Overleg met politie, OM en gemeente op 4 december 2026",
    "",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVE)
def test_personal_data_is_found(text, kind):
    assert kind in pii.kinds(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_sentences_pass(text):
    assert pii.kinds(text) == []


def test_eleven_test_and_mod_97():
    assert pii.bsn_valid("111222333") and pii.bsn_valid("123456782")
    assert not pii.bsn_valid("123456789") and not pii.bsn_valid("000000000")
    assert pii.iban_valid("NL91ABNA0417164300") and pii.iban_valid("DE89 3704 0044 0532 0130 00")
    assert not pii.iban_valid("NL91ABNA0417164301")


def test_findings_give_positions_without_the_caller_needing_the_text():
    found = pii.findings("Zie J. Jansen, tel 06-12345678")
    assert [f.kind for f in found] == [Kind.NAME, Kind.PHONE]
    assert all(0 <= f.start < f.end for f in found)


def test_the_module_does_not_need_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(pii.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith("django") for name in imported)
