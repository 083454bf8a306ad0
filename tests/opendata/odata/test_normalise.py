import pytest

from ivp.opendata.odata.normalise import (
    BUURT,
    GEMEENTE,
    LAND,
    OTHER,
    WIJK,
    Area,
    Period,
    municipality_of,
    parse_area,
    parse_number,
    parse_period,
    strip_code,
    strip_row,
)


class TestPeriod:
    def test_year(self):
        period = parse_period("2023JJ00")
        assert period == Period(2023, None, None, "year")
        assert period.label == "2023"
        assert period.code == "2023JJ00"

    def test_month(self):
        period = parse_period("2023MM01")
        assert (period.year, period.month, period.quarter, period.kind) == (2023, 1, None, "month")
        assert period.label == "2023-01"
        assert period.code == "2023MM01"

    def test_quarter(self):
        period = parse_period("2023KW04")
        assert (period.year, period.month, period.quarter, period.kind) == (2023, None, 4, "quarter")
        assert period.label == "2023-Q4"
        assert period.code == "2023KW04"

    def test_padding_is_ignored(self):
        assert parse_period("2021MM12  ") == Period.for_month(2021, 12)

    @pytest.mark.parametrize("code", ["2023MM13", "2023MM00", "2023KW05", "2023JJ01", "2023HJ01", "2023X000",
                                      "23JJ00", "", "Totaal", "2023jj00"])
    def test_rejects_unknown_or_malformed(self, code):
        with pytest.raises(ValueError, match="period code"):
            parse_period(code)

    def test_rejects_non_string(self):
        with pytest.raises(ValueError, match="must be a string"):
            parse_period(2023)

    def test_is_frozen_and_hashable(self):
        period = Period.for_year(2020)
        with pytest.raises(AttributeError):
            period.year = 2021
        assert {period, Period.for_year(2020)} == {period}

    def test_inconsistent_fields_rejected(self):
        with pytest.raises(ValueError):
            Period(2023, month=1)  # kind defaults to year
        with pytest.raises(ValueError):
            Period(2023, quarter=2, kind="month")

    def test_sort_key_is_chronological(self):
        codes = ["2023MM02", "2022JJ00", "2023KW01", "2023JJ00", "2023MM01", "2022MM12"]
        ordered = sorted((parse_period(c) for c in codes), key=lambda p: p.sort_key)
        assert [p.code for p in ordered] == ["2022JJ00", "2022MM12", "2023JJ00", "2023KW01", "2023MM01",
                                             "2023MM02"]


class TestArea:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("GM0757    ", Area(GEMEENTE, "GM0757")),
            ("WK075700  ", Area(WIJK, "WK075700")),
            ("BU07570000", Area(BUURT, "BU07570000")),
            ("NL00      ", Area(LAND, "NL00")),
            ("NL01  ", Area(LAND, "NL01")),
            ("RE01", Area(OTHER, "RE01")),
            ("PV30      ", Area(OTHER, "PV30")),
            ("LD04", Area(OTHER, "LD04")),
        ],
    )
    def test_levels(self, raw, expected):
        area = parse_area(raw)
        assert area == expected
        level, code = area  # a (level, code) tuple
        assert (level, code) == tuple(expected)

    @pytest.mark.parametrize("raw", ["", "   ", None, 757])
    def test_rejects_empty_or_non_string(self, raw):
        with pytest.raises(ValueError):
            parse_area(raw)

    def test_municipality_of(self):
        assert municipality_of("BU07570000") == "GM0757"
        assert municipality_of("WK194801  ") == "GM1948"
        assert municipality_of("GM0865") == "GM0865"
        assert municipality_of("NL00") is None
        assert municipality_of("PV30") is None


class TestNumbers:
    def test_none_stays_none_never_zero(self):
        assert parse_number(None) is None
        assert parse_number(None, "Long") is None

    @pytest.mark.parametrize("symbol", [".", "", "   ", "x", "?", "-", "       ."])
    def test_statline_symbols_are_none(self, symbol):
        assert parse_number(symbol, "Long") is None

    def test_typed_numbers(self):
        assert parse_number(12, "Long") == 12
        assert isinstance(parse_number(12.0, "Long"), int)
        assert parse_number(12, "Double") == 12.0
        assert isinstance(parse_number(12, "Double"), float)
        assert parse_number(0, "Long") == 0  # a real zero is kept

    def test_untyped_strings(self):
        assert parse_number("   17019", "Long") == 17019
        assert parse_number(" 45.2 ", "Double") == 45.2

    @pytest.mark.parametrize("bad", [True, "abc", float("nan"), [1], {"a": 1}])
    def test_rejects_non_numbers(self, bad):
        with pytest.raises(ValueError):
            parse_number(bad)

    def test_rejects_fraction_for_integer_datatype(self):
        with pytest.raises(ValueError, match="non-integral"):
            parse_number(1.5, "Long")

    def test_rejects_string_datatype(self):
        with pytest.raises(ValueError, match="not numeric"):
            parse_number(1, "String")


def test_strip_code_and_row():
    assert strip_code("1.1.1 ") == "1.1.1"
    assert strip_code(None) is None
    assert strip_code(5) == 5
    assert strip_row({"Code_3": "GM0845    ", "ID": 201, "X": None}) == {"Code_3": "GM0845", "ID": 201, "X": None}
