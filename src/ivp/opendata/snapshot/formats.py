"""The snapshot file formats found in the open-data folder, as a typed registry.

Each format names the files it reads (by file name), their exact header, and how one row becomes
records. Files that are known but deliberately not imported are registered as `ignored`, with the
reason; any other file in the folder is an error (nothing is skipped silently).
See ../shared/data/PROVENANCE.md for what each file is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ivp.registry import Registry

from .csvreader import RowError, parse_code, parse_int, parse_text, parse_year
from .records import AreaRecord, CategoryRecord, ObservationRecord, PopulationRecord


def gettext_noop(message: str) -> str:
    """Marks a reason shown to people (why a known file is not imported) for translation without importing Django
    (this package has none): `ivp makemessages` collects it, the import command translates it."""
    return message


NAME, CODE = 200, 20  # the database's maximum lengths of area names / category titles, and category codes

# 47013NED is published in the municipal boundaries of its latest edition (2026 per PROVENANCE);
# 47018/47022NED in the 2024 neighbourhood boundaries.
BOUNDARIES_47013 = 2026
BOUNDARIES_47022 = 2024
BOUNDARIES_KWB = 2024


@dataclass(frozen=True)
class RowContext:
    file: str
    line: int


Parser = Callable[[dict[str, str], RowContext], list]


@dataclass(frozen=True)
class FileFormat:
    key: str
    pattern: re.Pattern
    columns: list[str]
    parse: Parser | None  # None: known file, deliberately not imported
    description: str
    order: int = 50  # reference and area files first

    @property
    def ignored(self) -> bool:
        return self.parse is None


# Rows for regions that are not areas we track (police units, abroad, "not assignable") carry no
# code; they are skipped, but only when they say so, so that a gemeente row without a code is an error.
NOT_AN_AREA = {"regionale_eenheid", "overig"}
UNASSIGNED_NAMES = {"Niet-gemeentelijk ingedeeld"}


def _crime_47013(row, ctx):
    if row["regio_type"] in NOT_AN_AREA:
        return []
    if row["regio_type"] not in ("land", "gemeente"):
        raise RowError("regio_type", f"unknown region type {row['regio_type']!r}")
    level = row["regio_type"]
    code = parse_code(row["gm_code"], "land" if level == "land" else "gemeente", "gm_code")
    value = parse_int(row["geregistreerde_misdrijven"], "geregistreerde_misdrijven",
                      allow_symbol=row["statline_symbool"] != "")
    return [
        AreaRecord(code, level, parse_text(row, "regio_naam", NAME), None),
        ObservationRecord("47013NED", "0.0.0", code, parse_year(row["jaar"]), None, value, BOUNDARIES_47013,
                          ctx.file, ctx.line),
    ]


def _crime_47022_gemeente(row, ctx):
    code = parse_code(row["gm_code"], "gemeente", "gm_code")
    value = parse_int(row["geregistreerde_misdrijven_som_buurten"], "geregistreerde_misdrijven_som_buurten")
    return [
        AreaRecord(code, "gemeente", parse_text(row, "gemeente", NAME), None),
        ObservationRecord("47022NED", "0.0.0", code, parse_year(row["jaar"]), None, value, BOUNDARIES_47022,
                          ctx.file, ctx.line),
    ]


def _crime_47022_buurt(row, ctx):
    gm = parse_code(row["gm_code"], "gemeente", "gm_code")
    wk = parse_code(row["wijk_code"], "wijk", "wijk_code")
    bu = parse_code(row["buurt_code"], "buurt", "buurt_code")
    if bu[2:6] != gm[2:] or wk[2:] != bu[2:8]:
        raise RowError("buurt_code", f"{bu} does not belong to {wk} / {gm}")
    value = parse_int(row["geregistreerde_misdrijven"], "geregistreerde_misdrijven")
    return [
        AreaRecord(gm, "gemeente", parse_text(row, "gemeente", NAME), None),
        AreaRecord(bu, "buurt", parse_text(row, "buurt_naam", NAME), wk),
        ObservationRecord("47022NED", "0.0.0", bu, parse_year(row["jaar"]), None, value, BOUNDARIES_47022,
                          ctx.file, ctx.line),
    ]


def _crime_83648_maingroup(row, ctx):
    if row["gm_code"] == "" and row["regio_naam"] in UNASSIGNED_NAMES:
        return []
    code = parse_code(row["gm_code"], "gemeente", "gm_code")
    category = category_83648(row["soort_misdrijf"])
    year = parse_year(row["jaar"])
    return [
        AreaRecord(code, "gemeente", parse_text(row, "regio_naam", NAME), None),
        # 83648NED uses the boundaries of each year (historic municipalities included).
        ObservationRecord("83648NED", category, code, year, None,
                          parse_int(row["geregistreerde_misdrijven"], "geregistreerde_misdrijven"), year,
                          ctx.file, ctx.line),
    ]


MAIN_GROUP = re.compile(r"^([1-9]) ")
MAIN_GROUPS_83648 = {"1", "2", "3", "4", "5", "6", "7", "9"}


def category_83648(title: str) -> str:
    """The 83648NED code of a main-group title; the export shortens titles, so match on the group number
    ("2 Vernielingen, misdr.openb.orde/gezag" -> CRI2000, "Misdrijven, totaal" -> T001161)."""
    if title == "Misdrijven, totaal":
        return "T001161"
    match = MAIN_GROUP.match(title)
    if match is None or match.group(1) not in MAIN_GROUPS_83648:
        raise RowError("soort_misdrijf", f"unknown 83648NED crime type {title!r}")
    return f"CRI{match.group(1)}000"


def _crime_83648_2022(row, ctx):
    code = parse_code(row["gm_code"], "gemeente", "gm_code")
    year = parse_year(row["jaar"])
    return [
        AreaRecord(code, "gemeente", parse_text(row, "gemeente", NAME), None),
        ObservationRecord("83648NED", "T001161", code, year, None,
                          parse_int(row["geregistreerde_misdrijven"], "geregistreerde_misdrijven"), year,
                          ctx.file, ctx.line),
    ]


def _crime_47025(row, ctx):
    code = parse_code(row["regio_code"], "land", "regio_code")
    return [ObservationRecord("47025NED", parse_text(row, "soort_misdrijf_code", CODE), code,
                              parse_year(row["jaar"]), None,
                              parse_int(row["geregistreerde_misdrijven"], "geregistreerde_misdrijven"), 0,
                              ctx.file, ctx.line)]


def _nuisance_47021(row, ctx):
    code = parse_code(row["regio_code"], "land", "regio_code")
    return [ObservationRecord("47021NED", parse_text(row, "soort_overlast_code", CODE), code,
                              parse_year(row["jaar"]), None,
                              parse_int(row["geregistreerde_overlast"], "geregistreerde_overlast"), 0,
                              ctx.file, ctx.line)]


def _population_37230(row, ctx):
    code = parse_code(row["regio_code"], "gemeente", "regio_code")
    year = parse_year(row["jaar"])
    return [
        AreaRecord(code, "gemeente", parse_text(row, "regio_naam", NAME), None),
        PopulationRecord(code, year, parse_int(row["bevolking_begin_jaar"], "bevolking_begin_jaar"), year,
                         "37230ned"),
    ]


def _kwb_meierij(row, ctx):
    level = row["niveau"]
    if level not in ("gemeente", "wijk", "buurt"):
        raise RowError("niveau", f"unknown level {level!r}")
    code = parse_code(row["code"], level, "code")
    parent = None
    if level == "wijk":
        parent = parse_code(row["ouder_code"], "gemeente", "ouder_code")
    elif level == "buurt":
        parent = parse_code(row["ouder_code"], "wijk", "ouder_code")
    records = [AreaRecord(code, level, parse_text(row, "naam", NAME), parent)]
    inhabitants = parse_int(row["inwoners"], "inwoners", allow_symbol=True)
    if inhabitants is not None:
        records.append(PopulationRecord(code, BOUNDARIES_KWB, inhabitants, BOUNDARIES_KWB, "85984NED"))
    return records


def _kwb_buurt_nl(row, ctx):
    gm = parse_code(row["gm_code"], "gemeente", "gm_code")
    bu = parse_code(row["buurt_code"], "buurt", "buurt_code")
    if bu[2:6] != gm[2:]:
        raise RowError("buurt_code", f"{bu} is not in {gm}")
    inhabitants = parse_int(row["inwoners"], "inwoners", allow_symbol=True)
    if inhabitants is None:
        return []
    return [PopulationRecord(bu, BOUNDARIES_KWB, inhabitants, BOUNDARIES_KWB, "85984NED")]


def _ref_politie_misdrijf(row, ctx):
    return [CategoryRecord("politie_misdrijf", parse_text(row, "code", CODE), parse_text(row, "titel", NAME),
                           row["omschrijving"])]


def _ref_politie_overlast(row, ctx):
    return [CategoryRecord("politie_overlast", parse_text(row, "code", CODE), parse_text(row, "titel", NAME),
                           row["omschrijving"])]


def _ref_cbs_83648(row, ctx):
    return [CategoryRecord("cbs_83648", parse_text(row, "code", CODE), parse_text(row, "titel", NAME),
                           row["omschrijving"])]


FORMATS: Registry[FileFormat] = Registry("snapshot file format")


def _f(key, pattern, columns, parse, description, order=50) -> None:
    FORMATS.register(key, FileFormat(key, re.compile(pattern), columns.split(","), parse, description, order))


_f("ref_politie_misdrijf", r"^ref_soort_misdrijf_politie\.csv$", "code,titel,omschrijving",
   _ref_politie_misdrijf, "Politie crime-type codes", 10)
_f("ref_politie_overlast", r"^ref_soort_overlast_politie\.csv$", "code,titel,omschrijving",
   _ref_politie_overlast, "Politie nuisance-type codes", 10)
_f("ref_cbs_83648", r"^ref_soort_misdrijf_cbs_83648\.csv$", "code,titel,omschrijving,categorie_groep",
   _ref_cbs_83648, "CBS 83648NED crime-type codes", 10)
_f("kwb_meierij", r"^population_kwb\d{4}_85984_meierij_gemeente_wijk_buurt\.csv$",
   "niveau,code,naam,ouder_code,inwoners,inwoners65plus,inwoners0tot15,huishoudens,huishoudensgrootte,"
   "dichtheid,oppervlakteLandHa,stedelijkheid,inkomenPerInwoner,wozWaarde",
   _kwb_meierij, "CBS 85984NED kerncijfers wijken en buurten (areas and population)", 20)
_f("population_37230", r"^population_gemeente_37230_\d{4}_\d{4}_meierij\.csv$",
   "regio_code,regio_naam,jaar,bevolking_begin_jaar,bevolking_eind_jaar,opmerking", _population_37230,
   "CBS 37230ned population per municipality (historic boundaries)", 20)
_f("population_37230_nl", r"^population_gemeente_37230_\d{4}_\d{4}_nl\.csv$",
   "regio_code,regio_naam,jaar,bevolking_begin_jaar,bevolking_eind_jaar", _population_37230,
   "CBS 37230ned population per municipality, national", 20)
_f("kwb_buurt_nl", r"^population_buurt_kwb\d{4}_85984_nl\.csv$", "gm_code,buurt_code,inwoners", None,
   gettext_noop("national buurt population: not needed for the five municipalities (their buurten come from the "
   "meierij KWB file)"))
_f("crime_47013", r"^crime_total_gemeente_47013_\d{4}_\d{4}_(meierij|nl)\.csv$",
   "gm_code,regio_naam,regio_type,jaar,geregistreerde_misdrijven,statline_symbool", _crime_47013,
   "Politie 47013NED registered crime, total, per municipality and year")
_f("crime_47022_gemeente", r"^crime_total_gemeente_47022sum_\d{4}_\d{4}_(meierij|nl)\.csv$",
   "gm_code,gemeente,jaar,geregistreerde_misdrijven_som_buurten", _crime_47022_gemeente,
   "Politie 47022NED registered crime, yearly sum of buurt months, per municipality")
_f("crime_47022_buurt", r"^crime_total_buurt_47022sum_\d{4}_\d{4}_meierij\.csv$",
   "gm_code,gemeente,wijk_code,buurt_code,buurt_naam,jaar,geregistreerde_misdrijven", _crime_47022_buurt,
   "Politie 47022NED registered crime, yearly sum, per buurt")
_f("crime_83648_maingroup", r"^crime_by_maingroup_gemeente_83648_\d{4}_\d{4}_(meierij|nl)\.csv$",
   "gm_code,soort_misdrijf,jaar,regio_naam,geregistreerde_misdrijven,relatief_pct_van_totaal,"
   "per_1000_inwoners", _crime_83648_maingroup, "CBS 83648NED crime by main group, historic boundaries", 60)
_f("crime_83648_2022", r"^crime_total_gemeente_83648_2022_nl\.csv$",
   "gm_code,jaar_gm_code,gemeente,jaar,niveau,regio_code,geregistreerde_misdrijven,"
   "geregistreerde_misdrijven_relatief_pct,misdrijven_per_1000_inw,opgehelderde_misdrijven,"
   "opgehelderde_misdrijven_pct,registraties_verdachten", _crime_83648_2022, "CBS 83648NED 2022 totals")
_f("crime_47025", r"^crime_by_type_nl_47025_\d{4}_\d{4}\.csv$",
   "regio_code,soort_misdrijf_code,soort_misdrijf,jaar,geregistreerde_misdrijven", _crime_47025,
   "Politie 47025NED crime by type, national")
_f("nuisance_47021", r"^nuisance_by_type_nl_47021_\d{4}_\d{4}\.csv$",
   "regio_code,soort_overlast_code,soort_overlast,jaar,geregistreerde_overlast", _nuisance_47021,
   "Politie 47021NED registered nuisance by type, national")
_f("ref_47018_areas", r"^ref_wijkenbuurten_47018NED_\d{4}_meierij\.csv$",
   "code,niveau,naam,gm_code,odata_key_raw,DetailRegionCode", None,
   gettext_noop("47018NED area code list: the same areas as the KWB file; used by the OData connector tests"))
_f("survey_ivm_onveiligheid", r"^ivm_onveiligheidsbeleving_politieregio_\d{4}_\d{4}\.csv$",
   "politieregio,jaar,indicator,waarde_pct", None,
   gettext_noop("safety perception 2008-2011 per former police region: not at municipal level, too old for 2023-2026"))
_f("survey_ivm_leefbaarheid", r"^ivm_leefbaarheid_buurtproblemen_politieregio_\d{4}_\d{4}\.csv$",
   "onderwerp_1,onderwerp_2,onderwerp_3,politieregio,jaar,cijfersoort,eenheid,waarde", None,
   gettext_noop("liveability 2008-2011 per former police region: not at municipal level"))
_f("unofficial_mik", r"^incidents_woninginbraak_mik_pc4_.*\.csv$", "gm_code,pc4,datum,soort", None,
   gettext_noop("unofficial scrape of Misdaad in Kaart: not statistics (see PROVENANCE section 5)"))
_f("unofficial_pc4", r"^ref_pc4_gemeente_approx_meierij\.csv$", "", None,
   gettext_noop("approximate PC4 mapping belonging to the unofficial scrape"))


# Folders whose content is not snapshot data (recorded API responses, provenance evidence).
IGNORED_DIRS = {"odata_samples": gettext_noop("recorded OData responses, used by the connector's tests"),
                "_provenance": gettext_noop("evidence for the buurt polygons")}
IGNORED_SUFFIXES = {".md": gettext_noop("documentation")}


@dataclass(frozen=True)
class BoundaryFormat:
    key: str
    pattern: re.Pattern
    boundary: tuple[int, str] | None  # (boundary year, level); None: known file, deliberately not imported
    description: str


# Boundary files (GeoJSON), by file name.
GEOJSON_FORMATS: Registry[BoundaryFormat] = Registry("boundary file format")


def _b(key, pattern, boundary, description) -> None:
    GEOJSON_FORMATS.register(key, BoundaryFormat(key, re.compile(pattern), boundary, description))


_b("wijk", r"^wijk_(\d{4})_cartomap_meierij\.geojson$", (2024, "wijk"), "wijk boundaries (cartomap, CBS/Kadaster)")
_b("buurt", r"^buurt_(\d{4})_cartomap_meierij\.geojson$", (2024, "buurt"),
   "buurt boundaries (cartomap, CBS/Kadaster)")
_b("gemeente_2022", r"^gemeente_2022_83648_crime_meierij\.geojson$", (2022, "gemeente"),
   "municipal boundaries 2022 (CBS/PDOK)")
_b("gemeente_2022_nl", r"^gemeente_2022_83648_crime_nl\.geojson$", None,
   gettext_noop("national municipal boundaries: the maps show the five municipalities only"))


def format_for(filename: str) -> FileFormat | None:
    """The first registered format whose pattern matches the name (registration order is the order of preference)."""
    return next((f for f in FORMATS.values() if f.pattern.match(filename)), None)


def boundary_format_for(filename: str) -> BoundaryFormat | None:
    return next((f for f in GEOJSON_FORMATS.values() if f.pattern.match(filename)), None)
