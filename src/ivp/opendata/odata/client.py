"""Client for the CBS / Politie open-data service (OData v3, JSON).

Two hosts serve the same protocol:

- ``https://opendata.cbs.nl/ODataApi/OData`` - CBS StatLine tables (catalog "CBS");
- ``https://dataderden.cbs.nl/ODataApi/OData`` - third-party tables, among them Politie's 470xxNED tables
  (catalog "Politie", shown on data.politie.nl).

:data:`TABLE_SOURCES` records which host serves which table IVP uses; :meth:`ODataClient.for_table` picks it.

Paging. A response carries at most 10,000 rows. The client asks for ``$top=page_size`` (default 10,000) and then

- follows ``odata.nextLink`` whenever a response has one (the bulk ``ODataFeed`` variant pages that way), and
- otherwise, if a page came back full, asks for the next one with ``$skip`` (the ``ODataApi`` variant does not
  hand out next links),

until a page is short or empty. Row order is the service's order.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import ODataResponseError, UnknownTableError
from .metadata import DataProperties, DimensionItem
from .normalise import strip_row
from .query import build_url, canonical_url, query_options, with_query_option
from .transport import (
    RecordedTransport,
    RetryingTransport,
    RetryPolicy,
    Transport,
    UrlLibTransport,
)

log = logging.getLogger(__name__)

OPENDATA_CBS = "https://opendata.cbs.nl/ODataApi/OData"
DATADERDEN = "https://dataderden.cbs.nl/ODataApi/OData"
#: Bulk variants of the two hosts (same entities, paged with ``odata.nextLink``). Usable as ``base_url`` too.
OPENDATA_CBS_FEED = "https://opendata.cbs.nl/ODataFeed/OData"
DATADERDEN_FEED = "https://dataderden.cbs.nl/ODataFeed/OData"

#: Maximum number of rows the service returns in one response.
MAX_PAGE_SIZE = 10_000

#: Table identifier -> base URL. Politie tables (catalog "Politie") live on dataderden, CBS tables on opendata.
TABLE_SOURCES: dict[str, str] = {
    "47013NED": DATADERDEN,  # Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente
    "47018NED": DATADERDEN,  # Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers
    "47022NED": DATADERDEN,  # Geregistreerde misdrijven; soort misdrijf, wijk, buurt, maandcijfers
    "47021NED": DATADERDEN,  # Geregistreerde overlast; soort overlast, regio
    "47024NED": DATADERDEN,  # Geregistreerde overlast; soort overlast, wijk, buurt
    "47025NED": DATADERDEN,  # Geregistreerde misdrijven; soort misdrijf, regio
    "83648NED": OPENDATA_CBS,  # Geregistreerde criminaliteit; soort misdrijf, regio
    "85984NED": OPENDATA_CBS,  # Kerncijfers wijken en buurten 2024
    "37230ned": OPENDATA_CBS,  # Bevolkingsontwikkeling; regio per maand
}


def base_url_for(table: str, *, feed: bool = False) -> str:
    """The base URL serving ``table`` (identifier compared case-insensitively). Raises :class:`UnknownTableError`.

    With ``feed=True`` the bulk ``ODataFeed`` variant of the same host is returned (same entities and options,
    paged with ``odata.nextLink``) - the route cbsodata/cbsodataR use for whole tables.
    """
    wanted = table.strip().upper()
    for identifier, base in TABLE_SOURCES.items():
        if identifier.upper() == wanted:
            return base.replace("/ODataApi/", "/ODataFeed/") if feed else base
    raise UnknownTableError(table, sorted(TABLE_SOURCES))


def decode_response(body: bytes, url: str) -> tuple[list[dict[str, Any]], str | None]:
    """Parse an OData v3 JSON body into ``(rows, next_link)``.

    Accepts the light format ``{"odata.metadata": ..., "value": [...], "odata.nextLink": ...}`` that
    ``$format=json`` returns, and the verbose ``{"d": {"results": [...], "__next": ...}}`` form. An
    ``odata.error`` body raises :class:`ODataResponseError` with the service's message.
    """
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        start = body[:120].decode("utf-8", errors="replace")
        raise ODataResponseError(url, f"response is not JSON ({error}); body starts with {start!r}") from error
    if not isinstance(payload, dict):
        raise ODataResponseError(url, f"expected a JSON object, got {type(payload).__name__}")
    if "odata.error" in payload:
        error = payload["odata.error"]
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, dict):
            message = message.get("value", message)
        raise ODataResponseError(url, f"service error: {message}")
    if "value" in payload:
        rows, next_link = payload["value"], payload.get("odata.nextLink")
    elif isinstance(payload.get("d"), dict | list):
        inner = payload["d"]
        rows = inner.get("results") if isinstance(inner, dict) else inner
        next_link = inner.get("__next") if isinstance(inner, dict) else None
    else:
        raise ODataResponseError(url, f"no 'value' in response (keys: {sorted(payload)})")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ODataResponseError(url, "'value' is not a list of objects")
    if next_link is not None and not isinstance(next_link, str):
        raise ODataResponseError(url, f"odata.nextLink is not a string: {next_link!r}")
    return rows, next_link or None


class ODataClient:
    """Read tables from one OData v3 service root (``base_url``).

    ``transport`` defaults to :class:`UrlLibTransport` (``timeout``, ``retries``, ``backoff``, ``sleep`` are passed
    to it); a transport you pass in is used as given (wrap it in :class:`RetryingTransport` if it should retry).
    ``page_size`` is the ``$top`` of each data request, at most 10,000.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: Transport | None = None,
        timeout: float = 30,
        page_size: int = MAX_PAGE_SIZE,
        retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        max_pages: int = 10_000,
    ):
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.max_pages = max_pages
        if transport is None:
            transport = UrlLibTransport(timeout=timeout, retries=retries, backoff=backoff, sleep=sleep)
        self.transport = transport

    @classmethod
    def for_table(cls, table: str, *, feed: bool = False, **kwargs: Any) -> ODataClient:
        """A client on the base URL :data:`TABLE_SOURCES` gives for ``table`` (its ODataFeed variant if ``feed``)."""
        return cls(base_url_for(table, feed=feed), **kwargs)

    def __repr__(self) -> str:
        return f"ODataClient({self.base_url!r}, page_size={self.page_size})"

    # ----------------------------------------------------------------------------------------------------------

    def url(self, table: str, entity: str = "", **options: Any) -> str:
        """:func:`build_url` on this client's base URL."""
        return build_url(self.base_url, table, entity, **options)

    def fetch(self, url: str) -> tuple[list[dict[str, Any]], str | None]:
        """GET one URL and decode it: ``(rows, next_link)``. Rows are as served (not stripped)."""
        return decode_response(self.transport.get(url), url)

    def iter_collection(
        self,
        table: str,
        entity: str,
        *,
        filter: str | None = None,  # named after the OData option
        select: Sequence[str] | str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every row of ``{table}/{entity}``, across pages (see the module docstring). Rows are as served."""
        for rows in self.iter_pages(table, entity, filter=filter, select=select):
            yield from rows

    def iter_pages(
        self,
        table: str,
        entity: str,
        *,
        filter: str | None = None,  # named after the OData option
        select: Sequence[str] | str | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """The rows of ``{table}/{entity}`` page by page, as served (a columnar reader takes whole pages)."""
        url = self.url(table, entity, filter=filter, select=select, top=self.page_size)
        seen: set[str] = set()
        total = 0
        following_links = False
        host = urlsplit(self.base_url).netloc.lower()
        for _page in range(self.max_pages):
            seen.add(canonical_url(url))
            rows, next_link = self.fetch(url)
            total += len(rows)
            if rows:
                yield rows
            if next_link:
                following_links = True
                url = urljoin(url, next_link)
                if urlsplit(url).netloc.lower() != host:
                    raise ODataResponseError(url, f"odata.nextLink leaves the service host {host}")
                if "$format" not in query_options(url):
                    url = with_query_option(url, "$format", "json")
                if canonical_url(url) in seen:
                    raise ODataResponseError(url, "odata.nextLink points to a page already read (paging loop)")
                continue
            if following_links or len(rows) < self.page_size:
                return
            url = self.url(table, entity, filter=filter, select=select, top=self.page_size, skip=total)
        raise ODataResponseError(url, f"more than max_pages={self.max_pages} pages; stopping")

    # ----------------------------------------------------------------------------------------------------------
    # Endpoints

    def table_infos(self, table: str) -> dict[str, Any]:
        """The TableInfos record of ``table`` (Title, ShortTitle, Identifier, Period, Modified, Catalog, ...)."""
        rows = list(self.iter_collection(table, "TableInfos"))
        if len(rows) != 1:
            raise ODataResponseError(self.url(table, "TableInfos"), f"expected 1 TableInfos row, got {len(rows)}")
        return rows[0]

    def data_properties(self, table: str) -> DataProperties:
        """The DataProperties of ``table``: dimensions and topics with Type, Key, Datatype, Unit."""
        return DataProperties.from_rows(table, self.iter_collection(table, "DataProperties"))

    def dimension(self, table: str, name: str) -> list[DimensionItem]:
        """The code list of dimension ``name`` (``Perioden``, ``SoortMisdrijf``, ``WijkenEnBuurten``, ``RegioS``)."""
        return [
            DimensionItem.from_row(row, table=table, dimension=name, index=i)
            for i, row in enumerate(self.iter_collection(table, name))
        ]

    def category_groups(self, table: str) -> list[dict[str, Any]]:
        """The CategoryGroups of ``table`` (often empty)."""
        return list(self.iter_collection(table, "CategoryGroups"))

    def typed_dataset(
        self,
        table: str,
        *,
        filter: str | None = None,  # named after the OData option
        select: Sequence[str] | str | None = None,
        strip: bool = True,
    ) -> Iterator[dict[str, Any]]:
        """Rows of the TypedDataSet, across pages. With ``strip`` (default) string values lose their padding."""
        rows = self.iter_collection(table, "TypedDataSet", filter=filter, select=select)
        if not strip:
            yield from rows
            return
        for row in rows:
            yield strip_row(row)

    def typed_dataset_pages(
        self,
        table: str,
        *,
        filter: str | None = None,  # named after the OData option
        select: Sequence[str] | str | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Rows of the TypedDataSet page by page, as served (padding not stripped)."""
        return self.iter_pages(table, "TypedDataSet", filter=filter, select=select)


def client_for(table: str, *, feed: bool = False, **kwargs: Any) -> ODataClient:
    """Shorthand for :meth:`ODataClient.for_table`."""
    return ODataClient.for_table(table, feed=feed, **kwargs)


__all__ = [
    "DATADERDEN",
    "DATADERDEN_FEED",
    "MAX_PAGE_SIZE",
    "OPENDATA_CBS",
    "OPENDATA_CBS_FEED",
    "TABLE_SOURCES",
    "ODataClient",
    "RecordedTransport",
    "RetryPolicy",
    "RetryingTransport",
    "Transport",
    "UrlLibTransport",
    "base_url_for",
    "client_for",
    "decode_response",
]
