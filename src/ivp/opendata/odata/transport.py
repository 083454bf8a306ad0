"""How request URLs become response bytes.

- :class:`Transport` - the protocol: ``get(url) -> bytes``.
- :class:`UrlLibTransport` - real HTTP GET with ``urllib.request``, User-Agent ``IVP``, retries with exponential
  backoff on timeouts, connection errors, 429 and 5xx.
- :class:`RecordedTransport` - answers from recorded responses (a mapping or a directory); never touches the
  network. For tests and offline replays.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from .errors import (
    ODataConnectionError,
    ODataHTTPError,
    ODataRetriesExhausted,
    ODataTransportError,
    UnrecordedRequestError,
)
from .query import canonical_url

log = logging.getLogger(__name__)

USER_AGENT = "IVP"


@runtime_checkable
class Transport(Protocol):
    """Anything that can GET a URL and return the body. Errors are :class:`ODataTransportError` subclasses."""

    def get(self, url: str) -> bytes: ...


# --------------------------------------------------------------------------------------------------------------
# Retries


@dataclass
class RetryPolicy:
    """Retry retryable :class:`ODataTransportError` s with exponential backoff.

    ``retries`` is the number of *extra* attempts (``retries=3`` -> at most 4 requests). The delay before retry
    ``n`` (1-based) is ``backoff * 2 ** (n - 1)`` seconds, at least the server's ``Retry-After``, at most
    ``max_delay``. Non-retryable errors (404, 400, ...) are raised at once; when the retries are used up
    :class:`ODataRetriesExhausted` is raised with the last error attached.
    """

    retries: int = 3
    backoff: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ValueError("retries must be >= 0")

    def delay(self, retry_number: int, error: ODataTransportError) -> float:
        delay = self.backoff * 2 ** (retry_number - 1)
        if error.retry_after is not None:
            delay = max(delay, error.retry_after)
        return min(delay, self.max_delay)

    def call(self, fetch: Callable[[str], bytes], url: str) -> bytes:
        attempt = 0
        while True:
            attempt += 1
            try:
                return fetch(url)
            except ODataTransportError as error:
                if not error.retryable:
                    raise
                if attempt > self.retries:
                    raise ODataRetriesExhausted(url, attempt, error) from error
                delay = self.delay(attempt, error)
                log.warning("GET %s failed (%s); retry %d/%d in %.1fs", url, error, attempt, self.retries, delay)
                self.sleep(delay)


class RetryingTransport:
    """Wrap any transport with a :class:`RetryPolicy`."""

    def __init__(self, inner: Transport, policy: RetryPolicy | None = None):
        self.inner = inner
        self.policy = policy or RetryPolicy()

    def get(self, url: str) -> bytes:
        return self.policy.call(self.inner.get, url)


# --------------------------------------------------------------------------------------------------------------
# Real HTTP


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _error_detail(body: bytes) -> str:
    """The message of an OData JSON error body, else the start of the body."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        payload = json.loads(text)
        message = payload["odata.error"]["message"]
        return str(message.get("value", message) if isinstance(message, dict) else message)
    except (ValueError, KeyError, TypeError):
        return text[:300]


Opener = Callable[[urllib.request.Request, float], Any]


def _urlopen(request: urllib.request.Request, timeout: float) -> Any:
    # Only http(s) URLs reach this point (checked in UrlLibTransport.get), so no file:// or custom schemes.
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310


class UrlLibTransport:
    """HTTP GET through ``urllib.request``.

    Sends ``User-Agent: IVP`` and ``Accept: application/json``. Failures are mapped to :class:`ODataHTTPError`
    (status, OData error message) or :class:`ODataConnectionError` (URLError, timeout, reset); retryable ones are
    retried per ``retries`` / ``backoff`` (see :class:`RetryPolicy`). ``opener`` replaces ``urllib.request.urlopen``
    (tests inject a fake; production leaves it alone).
    """

    def __init__(
        self,
        timeout: float = 30,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        max_delay: float = 60.0,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        opener: Opener | None = None,
    ):
        self.timeout = timeout
        self.user_agent = user_agent
        self.policy = RetryPolicy(retries=retries, backoff=backoff, max_delay=max_delay, sleep=sleep)
        self._open = opener or _urlopen

    def get(self, url: str) -> bytes:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise ValueError(f"only http(s) URLs are fetched, got {url!r}")
        return self.policy.call(self._get_once, url)

    def _get_once(self, url: str) -> bytes:
        request = urllib.request.Request(  # noqa: S310 - scheme checked in get()
            url, headers={"User-Agent": self.user_agent, "Accept": "application/json"}, method="GET"
        )
        log.debug("GET %s", url)
        try:
            with self._open(request, self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:  # before URLError: HTTPError is a subclass
            try:
                body = error.read() or b""
            except Exception:  # noqa: BLE001 - the body is only used for the message
                body = b""
            retry_after = _retry_after_seconds(error.headers.get("Retry-After") if error.headers else None)
            raise ODataHTTPError(url, error.code, _error_detail(body), retry_after=retry_after) from error
        except urllib.error.URLError as error:
            raise ODataConnectionError(url, error.reason) from error
        except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
            raise ODataConnectionError(url, error) from error


# --------------------------------------------------------------------------------------------------------------
# Recorded responses


ResponseValue = bytes | str | Path | Mapping | list | BaseException


class RecordedTransport:
    """Serve recorded responses; unknown URLs raise :class:`UnrecordedRequestError`. No network access, ever.

    ``recordings`` is either

    - a mapping ``url -> response``; a response is ``bytes``, ``str`` (UTF-8 encoded), a :class:`~pathlib.Path`
      (file read on use), a ``dict``/``list`` (JSON-encoded) or an exception instance (raised, to replay failures);
    - a directory (``str`` or ``Path``) holding ``index.json`` = ``{"<url>": "<file name relative to the directory>"}``.

    URLs are compared in :func:`canonical_url` form, so option order and ``$``/``%24``, ``%20``/``+`` spelling do not
    matter. Every requested URL is appended to :attr:`requests`.
    """

    INDEX_FILE = "index.json"

    def __init__(self, recordings: Mapping[str, ResponseValue] | str | Path):
        if isinstance(recordings, str | Path):
            recordings = self._load_directory(Path(recordings))
        self._responses: dict[str, ResponseValue] = {canonical_url(url): value for url, value in recordings.items()}
        self._original_urls = sorted(recordings)
        self.requests: list[str] = []

    @classmethod
    def _load_directory(cls, directory: Path) -> dict[str, ResponseValue]:
        index_path = directory / cls.INDEX_FILE
        if not index_path.is_file():
            raise FileNotFoundError(f"{directory} has no {cls.INDEX_FILE} mapping URLs to response files")
        index = json.loads(index_path.read_text(encoding="utf-8"))
        if not isinstance(index, dict):
            raise ValueError(f"{index_path} must hold a JSON object {{url: file name}}")
        return {url: directory / name for url, name in index.items()}

    def get(self, url: str) -> bytes:
        self.requests.append(url)
        try:
            value = self._responses[canonical_url(url)]
        except KeyError:
            raise UnrecordedRequestError(url, self._original_urls) from None
        if isinstance(value, BaseException):
            raise value
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, Path):
            return value.read_bytes()
        return json.dumps(value).encode("utf-8")
