"""The personal-data check for the information registers (issue 15, docs/privacy.md). Pure Python, no Django.

The registers record what kind of signal, where, when, how many and what was done: never who. Their few free-text
fields are short and are checked here on every save and every import. `findings(text)` returns what in the text
looks like personal data; the caller refuses the value with a Dutch message naming the field (`ivp.information.
validation`). The check errs on the side of refusing: a description can always be rephrased without a name.

What is recognised (each a `Kind`):

* NAME: a name with initials ("Jansen, J.", "J. Jansen", "J.P. de Vries") or after a form of address ("mevr. de
  Vries", "dhr. Jansen", "de heer Bakker", "mevrouw Smits", "familie Peters").
* BSN: nine digits (written together or in the groups 3-3-3, 4-2-3 or 3-2-2-2) that pass the eleven-test.
* PHONE: a Dutch phone number (0 or +31/0031 and nine more digits; separators allowed).
* EMAIL: anything of the shape name@domain.tld.
* IBAN: two letters, two check digits and 11-30 letters/digits that pass the ISO 13616 mod-97 check.
* PLATE: a Dutch licence plate in one of the side codes 1-14 (with dashes; without dashes only in upper case and
  only the side codes that mix letters and digits in three groups, so CBS codes such as GM0865 are not taken).
* ADDRESS: a street name with a common street suffix (-straat, -laan, -weg, -plein, ...) followed by a house
  number ("Taalstraat 12a").
* BIRTH_DATE: a date or year after "geboren", "geb." or "geboortedatum", and any full date (day, month, year) before
  2010: the registers start in 2019, so such a date in a description is almost certainly somebody's birthday.

Ordinary sentences ("3 meldingen in wijk Centrum in maart", "Controle op 12-03-2024 bij 2 loodsen",
"art. 13b Opiumwet, sluiting 3 maanden") pass; the tests in tests/information/test_pii.py hold both kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_TEXT_LENGTH = 280  # the free-text fields of the registers: a short factual description, no case notes


class Kind(StrEnum):
    NAME = "name"
    BSN = "bsn"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    PLATE = "plate"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int


_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_SURNAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_PARTICLE = r"(?:van|de|der|den|het|ter|ten|te|op|in|'t|la|le|du|da|di|von|el)"
_PARTICLES = rf"(?:{_PARTICLE}\s+)*"
_INITIALS = rf"(?:[{_UPPER}]\.\s?){{1,4}}"
# Capitalised words that start Dutch sentences: "categorie B. Daarna ..." is not a name.
_NOT_SURNAMES = frozenset("""
    aan al alle als bij daar daarna daarnaast dan dat de deze die dit door een en er geen het hier hij hun in is
    maar met na naar niet nog ok om ook op over per sinds te toen tot twee uit van verder voor wat we wel wij zie zij
    drie vier vijf zes januari februari maart april mei juni juli augustus september oktober november december
    """.split())

_NAME_PATTERNS = [
    # "Jansen, J." / "Vries, de, J.P." / "de Vries, J."
    re.compile(rf"\b{_SURNAME}(?:,\s*{_PARTICLES.rstrip('*')}*)?,\s*{_INITIALS}"),
    # "J. Jansen" / "J.P. de Vries" / "J.Jansen"
    re.compile(rf"(?<![\w.]){_INITIALS}\s*{_PARTICLES}(?P<surname>{_SURNAME})\b"),
    # "mevr. de Vries" / "dhr. Jansen" / "de heer Bakker" / "mevrouw Smits" / "familie Peters"
    re.compile(rf"(?i:\b(?:mevr|mevrouw|mw|mej|dhr|de\s+heer|meneer|mr|dr|drs|ir|ing|prof|fam|familie)\b\.?)\s+"
               rf"(?i:{_PARTICLES})(?:[{_UPPER}]\.\s?)*{_SURNAME}\b"),
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_BSN = re.compile(r"(?<![\w.,-])(?:\d{9}|\d{3}([ .-])\d{3}\1\d{3}|\d{4}([ .])\d{2}\2\d{3}"
                  r"|\d{3}([ .])\d{2}\3\d{2}\3\d{2})(?![\w]|[.,-]\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\(0\)\s?)?[1-9](?:[\s-]?\d){8}(?!\d)")
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]){11,30}\b")
_STREET_SUFFIX = (r"straat|str|laan|weg|plein|pad|dijk|dreef|singel|gracht|kade|steeg|hof|markt|baan|boulevard|"
                  r"wal|akker|veld|erf|ring|allee|hoeve|oord|stede|dal|berg|bos|park|tuin|donk|hoek|zijde|vaart")
_ADDRESS = re.compile(rf"\b[{_UPPER}{_LOWER}'-]*(?:{_STREET_SUFFIX})\.?\s+\d{{1,5}}(?:\s?-?\s?[A-Za-z]{{1,2}}\b|\b)"
                      rf"(?!\s*(?:%|procent|meldingen|melding|keer|signalen|controles|zaken|jaar|maanden))",
                      re.IGNORECASE)
_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_FULL_DATE = re.compile(rf"\b(?P<day>\d{{1,2}})(?:[-/.](?P<month>\d{{1,2}})[-/.]|\s+(?:{_MONTHS})\.?\s+)"
                        rf"(?P<year>(?:19|20)\d{{2}})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_BIRTH_WORD = re.compile(r"(?i)\b(?:geboren|geb\.|geboortedatum|geboortejaar|d\.o\.b\.|dob)\s*:?\s*(?:op|in)?\s*"
                         r"(?:\d{1,2}[-/. ]+(?:\d{1,2}|[a-z]+)\.?[-/. ]+)?(?:19|20)?\d{2}\b")
BIRTH_YEAR_BEFORE = 2010

_PLATE_SIDECODES = [  # L: letter, D: digit, groups separated by dashes
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD", "LL-DDD-L",
    "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
]


def _plate_pattern(sidecode: str, separator: str) -> str:
    groups = []
    for group in sidecode.split("-"):
        kind = "[A-Za-z]" if group[0] == "L" else r"\d"
        groups.append(f"{kind}{{{len(group)}}}")
    return separator.join(groups)


_PLATE_DASHED = re.compile(r"(?<![\w-])(?:" + "|".join(_plate_pattern(s, "-") for s in _PLATE_SIDECODES)
                           + r")(?![\w-])")
# Without dashes: upper case, and only side codes whose three groups alternate letters and digits (LL-DD-LL, DD-LL-DD,
# DD-LLL-D, ...), so a CBS code (GM0865, WK086501) or a year with a quarter (2024Q1) is never taken for a plate.
_ALTERNATING = [s for s in _PLATE_SIDECODES
                if len({g[0] for g in s.split("-")[::2]}) == 1 and s.split("-")[0][0] != s.split("-")[1][0]]
_PLATE_PLAIN = re.compile(r"(?<![\w-])(?:" + "|".join(
    _plate_pattern(s, "").replace("[A-Za-z]", "[A-Z]") for s in _ALTERNATING) + r")(?![\w-])")


def bsn_valid(digits: str) -> bool:
    """The eleven-test of a BSN (9 digits; 8 digits get a leading zero)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def iban_valid(text: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers (A=10), the number mod 97 is 1."""
    iban = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    number = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(number) % 97 == 1


def _date_before(match: re.Match, year_limit: int) -> bool:
    year = int(match.group("year"))
    month = match.groupdict().get("month")
    if month is not None and not 1 <= int(month) <= 12:
        return False
    return 1 <= int(match.group("day")) <= 31 and year < year_limit


def findings(text: str | None) -> list[Finding]:
    """Everything in `text` that looks like personal data, in order of position (overlaps kept)."""
    if not text:
        return []
    found: list[Finding] = []

    def add(kind: Kind, match: re.Match) -> None:
        found.append(Finding(kind, match.start(), match.end()))

    for match in _EMAIL.finditer(text):
        add(Kind.EMAIL, match)
    without_email = _EMAIL.sub(lambda m: " " * len(m.group()), text)
    for pattern in _NAME_PATTERNS:
        for match in pattern.finditer(without_email):
            surname = match.groupdict().get("surname")
            if surname and surname.lower() in _NOT_SURNAMES:
                continue
            add(Kind.NAME, match)
    for match in _IBAN.finditer(text):
        if iban_valid(match.group()):
            add(Kind.IBAN, match)
    for match in _PHONE.finditer(text):
        add(Kind.PHONE, match)
    for match in _BSN.finditer(text):
        if bsn_valid(re.sub(r"\D", "", match.group())):
            add(Kind.BSN, match)
    for match in (*_PLATE_DASHED.finditer(text), *_PLATE_PLAIN.finditer(text)):
        add(Kind.PLATE, match)
    for match in _ADDRESS.finditer(text):
        add(Kind.ADDRESS, match)
    for match in _BIRTH_WORD.finditer(text):
        add(Kind.BIRTH_DATE, match)
    for pattern in (_FULL_DATE, _ISO_DATE):
        for match in pattern.finditer(text):
            if _date_before(match, BIRTH_YEAR_BEFORE):
                add(Kind.BIRTH_DATE, match)
    return sorted(set(found), key=lambda f: (f.start, f.kind))


def kinds(text: str | None) -> list[Kind]:
    """The kinds of personal data found, each once, in order of first position."""
    seen: list[Kind] = []
    for finding in findings(text):
        if finding.kind not in seen:
            seen.append(finding.kind)
    return seen
