"""Exceptions of the OData connector.

Everything raised on purpose by this package derives from :class:`ODataError`, so callers can catch one type.
"""

from __future__ import annotations


class ODataError(Exception):
    """Base class of all connector errors."""


class ODataTransportError(ODataError):
    """A request could not be completed (network failure, timeout or HTTP error status).

    ``retryable`` says whether trying again later can help (timeouts, connection resets, 429, 5xx).
    """

    def __init__(self, message: str, *, url: str, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.url = url
        self.retryable = retryable
        self.retry_after = retry_after


class ODataConnectionError(ODataTransportError):
    """No HTTP response at all: DNS failure, refused or reset connection, timeout."""

    def __init__(self, url: str, reason: object):
        super().__init__(f"GET {url} failed: {reason}", url=url, retryable=True)
        self.reason = reason


class ODataHTTPError(ODataTransportError):
    """The server answered with an HTTP error status."""

    RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

    def __init__(self, url: str, status: int, detail: str = "", retry_after: float | None = None):
        message = f"GET {url} returned HTTP {status}"
        if detail:
            message += f": {detail}"
        super().__init__(
            message, url=url, retryable=status in self.RETRYABLE_STATUSES, retry_after=retry_after
        )
        self.status = status
        self.detail = detail


class ODataRetriesExhausted(ODataTransportError):
    """A retryable error persisted through every allowed attempt; ``last_error`` is the final one."""

    def __init__(self, url: str, attempts: int, last_error: ODataTransportError):
        super().__init__(
            f"GET {url} failed after {attempts} attempts; last error: {last_error}", url=url, retryable=False
        )
        self.attempts = attempts
        self.last_error = last_error


class ODataResponseError(ODataError):
    """The response body is not a usable OData v3 JSON document (bad JSON, no ``value``, ``odata.error``)."""

    def __init__(self, url: str, message: str):
        super().__init__(f"{url}: {message}")
        self.url = url


class UnrecordedRequestError(ODataError, LookupError):
    """:class:`RecordedTransport` was asked for a URL it has no recording of."""

    def __init__(self, url: str, known: list[str]):
        listing = "\n  ".join(known) if known else "(none)"
        super().__init__(f"no recorded response for {url}\nrecorded URLs:\n  {listing}")
        self.url = url
        self.known = known


class UnknownTableError(ODataError, KeyError):
    """A table identifier is not in the table/base-URL registry."""

    def __init__(self, table: str, known: list[str]):
        super().__init__(f"table {table!r} is not in TABLE_SOURCES; known tables: {', '.join(known)}")
        self.table = table

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class ODataShapeError(ODataError, ValueError):
    """Data or metadata does not have the shape a parser expects.

    ``table`` is always set; ``row_index`` (0-based position in the TypedDataSet iteration) and ``field`` are set
    when the problem is in one row or one column.
    """

    def __init__(self, table: str, message: str, *, row_index: int | None = None, field: str | None = None):
        where = f"table {table}"
        if row_index is not None:
            where += f", row {row_index}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
        self.table = table
        self.row_index = row_index
        self.field = field
        self.reason = message
