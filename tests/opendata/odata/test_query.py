from urllib.parse import parse_qs, urlsplit

import pytest

from ivp.opendata.odata.client import DATADERDEN, OPENDATA_CBS
from ivp.opendata.odata.query import (
    and_,
    any_of,
    any_prefix,
    build_url,
    canonical_url,
    eq,
    literal,
    period_from,
    query_options,
    startswith,
    substringof,
    with_query_option,
)


def decoded(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


class TestBuildUrl:
    def test_filter_with_startswith_and_quotes_is_encoded(self):
        flt = and_(startswith("WijkenEnBuurten", "BU0865"), eq("Perioden", "2023JJ00"))
        url = build_url(DATADERDEN, "47018NED", "TypedDataSet", filter=flt,
                        select=["WijkenEnBuurten", "SoortMisdrijf", "Perioden", "GeregistreerdeMisdrijven_1"],
                        top=10000)
        assert url == (
            "https://dataderden.cbs.nl/ODataApi/OData/47018NED/TypedDataSet"
            "?$format=json"
            "&$filter=(startswith(WijkenEnBuurten,'BU0865'))%20and%20(Perioden%20eq%20'2023JJ00')"
            "&$select=WijkenEnBuurten,SoortMisdrijf,Perioden,GeregistreerdeMisdrijven_1"
            "&$top=10000"
        )
        # What the server decodes is exactly the filter we wrote.
        assert decoded(url)["$filter"] == "(startswith(WijkenEnBuurten,'BU0865')) and (Perioden eq '2023JJ00')"
        assert " " not in url and "+" not in url

    def test_special_characters_are_percent_encoded(self):
        flt = eq("Title", "A&B = 50% #1 + 'x'") + " and " + eq("Naam", "Sint-Michielsgestel é")
        url = build_url(OPENDATA_CBS, "84489NED", "Woonplaatsen", filter=flt)
        query = urlsplit(url).query
        for raw in ("&B", " ", "#", "+", "é"):
            assert raw not in query
        assert decoded(url)["$filter"] == flt

    def test_padded_key_of_the_real_default_selection_round_trips(self):
        # TableInfos.DefaultSelection of 47018NED (real) filters on the padded key '0.0.0 '.
        flt = "((SoortMisdrijf eq '0.0.0 ')) and ((substring(WijkenEnBuurten,2,4) eq '0363'))"
        url = build_url(DATADERDEN, "47018NED", "TypedDataSet", filter=flt)
        assert "'0.0.0%20'" in url
        assert decoded(url)["$filter"] == flt

    def test_metadata_urls(self):
        assert build_url(OPENDATA_CBS, "37230ned", "DataProperties") == (
            "https://opendata.cbs.nl/ODataApi/OData/37230ned/DataProperties?$format=json")
        assert build_url(OPENDATA_CBS + "/", "83648NED", format=None) == (
            "https://opendata.cbs.nl/ODataApi/OData/83648NED")

    def test_top_and_skip(self):
        assert decoded(build_url(DATADERDEN, "47022NED", "TypedDataSet", top=2, skip=4)) == {
            "$format": "json", "$top": "2", "$skip": "4"}
        with pytest.raises(ValueError):
            build_url(DATADERDEN, "47022NED", "TypedDataSet", top=0)
        with pytest.raises(ValueError):
            build_url(DATADERDEN, "47022NED", "TypedDataSet", skip=-1)

    @pytest.mark.parametrize("bad", ["47018NED/../x", "47018 NED", "", "47018NED?x=1"])
    def test_rejects_bad_table(self, bad):
        with pytest.raises(ValueError, match="table identifier"):
            build_url(DATADERDEN, bad, "TypedDataSet")

    def test_rejects_bad_select_field(self):
        with pytest.raises(ValueError, match="property name"):
            build_url(DATADERDEN, "47018NED", "TypedDataSet", select=["Perioden&$top=1"])


class TestFilterHelpers:
    def test_literal_doubles_quotes(self):
        assert literal("'s-Hertogenbosch") == "'''s-Hertogenbosch'"
        assert literal("1.1.1 ") == "'1.1.1 '"  # padding is kept: exact matches need the raw key

    def test_expressions(self):
        assert eq("RegioS", "GM0865") == "RegioS eq 'GM0865'"
        assert startswith("RegioS", "GM") == "startswith(RegioS,'GM')"
        assert substringof("JJ", "Perioden") == "substringof('JJ',Perioden)"
        assert any_of("SoortMisdrijf", ["0.0.0 ", "1.1.1 "]) == (
            "(SoortMisdrijf eq '0.0.0 ' or SoortMisdrijf eq '1.1.1 ')")
        assert any_prefix("WijkenEnBuurten", ["BU0757", "BU0865"]) == (
            "(startswith(WijkenEnBuurten,'BU0757') or startswith(WijkenEnBuurten,'BU0865'))")
        assert and_(None, "a eq 'b'", "") == "a eq 'b'"
        assert and_() is None

    def test_rejects_injection_in_field_names(self):
        with pytest.raises(ValueError):
            eq("RegioS) or (1 eq 1", "x")
        with pytest.raises(TypeError):
            eq("RegioS", 865)
        with pytest.raises(ValueError):
            any_of("RegioS", [])


class TestPeriodFrom:
    def test_month_and_year_floors(self):
        assert period_from("Perioden", 2024, 7) == "Perioden ge '2024MM07'"
        assert period_from("Perioden", 2024) == "Perioden ge '2024JJ00'"

    def test_string_order_of_period_keys(self):
        # What the service's string comparison selects (keys as served, e.g. 47013NED has years and months).
        keys = ["2023MM12", "2024JJ00", "2024KW02", "2024MM06", "2024MM07", "2024MM12", "2025JJ00", "2025MM01"]
        month_floor = period_from("Perioden", 2024, 7).split("'")[1]
        year_floor = period_from("Perioden", 2024).split("'")[1]
        assert [k for k in keys if k >= month_floor] == ["2024MM07", "2024MM12", "2025JJ00", "2025MM01"]
        assert [k for k in keys if k >= year_floor] == keys[1:]

    def test_in_a_url(self):
        flt = and_(startswith("WijkenEnBuurten", "BU"), period_from("Perioden", 2025, 7))
        url = build_url(DATADERDEN, "47022NED", "TypedDataSet", filter=flt)
        assert "(Perioden%20ge%20'2025MM07')" in url
        assert decoded(url)["$filter"] == "(startswith(WijkenEnBuurten,'BU')) and (Perioden ge '2025MM07')"

    @pytest.mark.parametrize(("year", "month"), [(24, 7), (2024, 0), (2024, 13), ("2024", 7), (2024, "07")])
    def test_rejects_bad_periods(self, year, month):
        with pytest.raises(ValueError):
            period_from("Perioden", year, month)

    def test_rejects_bad_field(self):
        with pytest.raises(ValueError):
            period_from("Perioden) or (1 eq 1", 2024)


class TestCanonicalUrl:
    def test_order_and_encoding_do_not_matter(self):
        a = "https://opendata.cbs.nl/ODataApi/OData/x1/TypedDataSet?$top=5&$format=json&$filter=a%20eq%20'b'"
        b = "HTTPS://OPENDATA.CBS.NL/ODataApi/OData/x1/TypedDataSet?%24format=json&%24filter=a+eq+%27b%27&%24top=5"
        assert canonical_url(a) == canonical_url(b)

    def test_path_case_matters(self):
        assert canonical_url("https://h/ODataApi/OData/a") != canonical_url("https://h/ODataApi/OData/A")

    def test_with_query_option(self):
        url = with_query_option("https://h/x/TypedDataSet?$skiptoken=10", "$format", "json")
        assert query_options(url) == {"$skiptoken": "10", "$format": "json"}
