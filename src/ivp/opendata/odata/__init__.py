"""Connector for the CBS / Politie open-data service (OData v3). Standard library only; no Django.

Typical use::

    from ivp.opendata.odata import ODataClient, fetch_observations, startswith

    client = ODataClient.for_table("47018NED")          # dataderden.cbs.nl for Politie tables
    for obs in fetch_observations(client, "47018NED", filter=startswith("WijkenEnBuurten", "BU0865")):
        ...  # Observation(table, area_code, area_level, period, measure, category, value)
"""

from .client import (
    DATADERDEN,
    DATADERDEN_FEED,
    MAX_PAGE_SIZE,
    OPENDATA_CBS,
    OPENDATA_CBS_FEED,
    TABLE_SOURCES,
    ODataClient,
    base_url_for,
    client_for,
    decode_response,
)
from .errors import (
    ODataConnectionError,
    ODataError,
    ODataHTTPError,
    ODataResponseError,
    ODataRetriesExhausted,
    ODataShapeError,
    ODataTransportError,
    UnknownTableError,
    UnrecordedRequestError,
)
from .metadata import DataProperties, DataProperty, DimensionItem
from .normalise import (
    AREA_LEVELS,
    Area,
    Period,
    municipality_of,
    parse_area,
    parse_number,
    parse_period,
    strip_code,
    strip_row,
)
from .query import (
    and_,
    any_of,
    any_prefix,
    build_url,
    canonical_url,
    eq,
    literal,
    period_from,
    startswith,
    substringof,
)
from .tables import TABLE_SPECS, Observation, TableParser, TableSpec, fetch_observations, spec_for
from .transport import RecordedTransport, RetryingTransport, RetryPolicy, Transport, UrlLibTransport

__all__ = [
    "AREA_LEVELS",
    "DATADERDEN",
    "DATADERDEN_FEED",
    "MAX_PAGE_SIZE",
    "OPENDATA_CBS",
    "OPENDATA_CBS_FEED",
    "TABLE_SOURCES",
    "TABLE_SPECS",
    "Area",
    "DataProperties",
    "DataProperty",
    "DimensionItem",
    "ODataClient",
    "ODataConnectionError",
    "ODataError",
    "ODataHTTPError",
    "ODataResponseError",
    "ODataRetriesExhausted",
    "ODataShapeError",
    "ODataTransportError",
    "Observation",
    "Period",
    "RecordedTransport",
    "RetryPolicy",
    "RetryingTransport",
    "TableParser",
    "TableSpec",
    "Transport",
    "UnknownTableError",
    "UnrecordedRequestError",
    "UrlLibTransport",
    "and_",
    "any_of",
    "any_prefix",
    "base_url_for",
    "build_url",
    "canonical_url",
    "client_for",
    "decode_response",
    "eq",
    "fetch_observations",
    "literal",
    "municipality_of",
    "parse_area",
    "parse_number",
    "parse_period",
    "period_from",
    "spec_for",
    "startswith",
    "strip_code",
    "strip_row",
    "substringof",
]
