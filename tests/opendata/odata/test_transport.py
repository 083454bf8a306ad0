"""Transports without network: fake transports and a fake ``urlopen`` stand in for the service."""

import email.message
import io
import json
import urllib.error

import pytest

from ivp.opendata.odata.client import ODataClient
from ivp.opendata.odata.errors import (
    ODataConnectionError,
    ODataHTTPError,
    ODataRetriesExhausted,
    UnrecordedRequestError,
)
from ivp.opendata.odata.transport import (
    RecordedTransport,
    RetryingTransport,
    RetryPolicy,
    Transport,
    UrlLibTransport,
)

URL = "https://dataderden.cbs.nl/ODataApi/OData/47013NED/TableInfos?$format=json"
BODY = b'{"value": []}'


class FlakyTransport:
    """Fails with the given errors in turn, then answers BODY."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def get(self, url):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return BODY


class TestRetryPolicy:
    def test_retries_retryable_errors_with_exponential_backoff(self):
        sleeps = []
        flaky = FlakyTransport(ODataHTTPError(URL, 503), ODataConnectionError(URL, "reset"), ODataHTTPError(URL, 429))
        transport = RetryingTransport(flaky, RetryPolicy(retries=3, backoff=0.5, sleep=sleeps.append))
        assert transport.get(URL) == BODY
        assert flaky.calls == 4
        assert sleeps == [0.5, 1.0, 2.0]

    def test_gives_up_after_the_allowed_retries(self):
        sleeps = []
        flaky = FlakyTransport(*[ODataHTTPError(URL, 502, "Bad Gateway")] * 5)
        transport = RetryingTransport(flaky, RetryPolicy(retries=2, sleep=sleeps.append))
        with pytest.raises(ODataRetriesExhausted, match="failed after 3 attempts; last error: .*HTTP 502") as info:
            transport.get(URL)
        assert flaky.calls == 3
        assert sleeps == [1.0, 2.0]
        assert info.value.last_error.status == 502

    @pytest.mark.parametrize("status", [400, 401, 403, 404])
    def test_client_errors_are_not_retried(self, status):
        sleeps = []
        flaky = FlakyTransport(ODataHTTPError(URL, status))
        with pytest.raises(ODataHTTPError) as info:
            RetryingTransport(flaky, RetryPolicy(sleep=sleeps.append)).get(URL)
        assert info.value.status == status and not info.value.retryable
        assert flaky.calls == 1 and sleeps == []

    def test_retry_after_is_honoured_and_capped(self):
        sleeps = []
        flaky = FlakyTransport(ODataHTTPError(URL, 429, retry_after=7), ODataHTTPError(URL, 429, retry_after=600))
        RetryingTransport(flaky, RetryPolicy(retries=2, max_delay=30, sleep=sleeps.append)).get(URL)
        assert sleeps == [7, 30]

    def test_no_retries(self):
        flaky = FlakyTransport(ODataHTTPError(URL, 503))
        with pytest.raises(ODataRetriesExhausted):
            RetryingTransport(flaky, RetryPolicy(retries=0, sleep=lambda s: None)).get(URL)
        with pytest.raises(ValueError):
            RetryPolicy(retries=-1)

    def test_client_surfaces_transport_errors(self):
        client = ODataClient(
            "https://dataderden.cbs.nl/ODataApi/OData",
            transport=RetryingTransport(FlakyTransport(ODataHTTPError(URL, 404, "Not Found")), RetryPolicy()),
        )
        with pytest.raises(ODataHTTPError, match="HTTP 404: Not Found"):
            client.table_infos("47013NED")


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def http_error(status, body=b"", headers=None):
    message = email.message.Message()
    for key, value in (headers or {}).items():
        message[key] = value
    return urllib.error.HTTPError(URL, status, "error", message, io.BytesIO(body))


class FakeOpener:
    """Stands in for urllib.request.urlopen: raises the given exceptions in turn, then returns BODY."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.requests = []

    def __call__(self, request, timeout):
        self.requests.append((request, timeout))
        if self.outcomes:
            raise self.outcomes.pop(0)
        return FakeResponse(BODY)


class TestUrlLibTransport:
    def test_sends_ivp_user_agent_and_timeout(self):
        opener = FakeOpener()
        transport = UrlLibTransport(timeout=12, opener=opener)
        assert transport.get(URL) == BODY
        ((request, timeout),) = opener.requests
        assert request.get_header("User-agent") == "IVP"
        assert request.get_header("Accept") == "application/json"
        assert request.full_url == URL and request.get_method() == "GET"
        assert timeout == 12

    def test_retries_5xx_and_url_errors_then_succeeds(self):
        sleeps = []
        opener = FakeOpener(http_error(503), urllib.error.URLError("temporary failure in name resolution"),
                            TimeoutError("timed out"))
        transport = UrlLibTransport(opener=opener, retries=3, backoff=2, sleep=sleeps.append)
        assert transport.get(URL) == BODY
        assert len(opener.requests) == 4
        assert sleeps == [2, 4, 8]

    def test_429_retry_after_header(self):
        sleeps = []
        opener = FakeOpener(http_error(429, headers={"Retry-After": "5"}))
        UrlLibTransport(opener=opener, sleep=sleeps.append).get(URL)
        assert sleeps == [5.0]

    def test_404_carries_the_odata_error_message_and_is_not_retried(self):
        body = json.dumps({"odata.error": {"code": "", "message": {"lang": "en-US", "value": "Table not found"}}})
        opener = FakeOpener(http_error(404, body.encode()))
        with pytest.raises(ODataHTTPError, match="HTTP 404: Table not found") as info:
            UrlLibTransport(opener=opener, sleep=lambda s: None).get(URL)
        assert info.value.status == 404 and len(opener.requests) == 1

    def test_persistent_connection_failure(self):
        opener = FakeOpener(*[urllib.error.URLError("connection refused")] * 3)
        with pytest.raises(ODataRetriesExhausted) as info:
            UrlLibTransport(opener=opener, retries=2, sleep=lambda s: None).get(URL)
        assert isinstance(info.value.last_error, ODataConnectionError)
        assert "connection refused" in str(info.value)

    @pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://dataderden.cbs.nl/x", "dataderden.cbs.nl/x"])
    def test_only_http_urls(self, url):
        opener = FakeOpener()
        with pytest.raises(ValueError, match="only http"):
            UrlLibTransport(opener=opener).get(url)
        assert opener.requests == []

    def test_is_a_transport(self):
        assert isinstance(UrlLibTransport(), Transport)
        assert isinstance(RecordedTransport({}), Transport)


class TestRecordedTransport:
    def test_value_kinds(self, tmp_path):
        file = tmp_path / "r.json"
        file.write_bytes(BODY)
        transport = RecordedTransport({
            "https://h/a": b"bytes", "https://h/b": "text", "https://h/c": file, "https://h/d": {"value": []},
            "https://h/e": ODataHTTPError("https://h/e", 500),
        })
        assert transport.get("https://h/a") == b"bytes"
        assert transport.get("https://h/b") == b"text"
        assert transport.get("https://h/c") == BODY
        assert json.loads(transport.get("https://h/d")) == {"value": []}
        with pytest.raises(ODataHTTPError):
            transport.get("https://h/e")
        assert transport.requests == ["https://h/a", "https://h/b", "https://h/c", "https://h/d", "https://h/e"]

    def test_directory_with_index(self, tmp_path):
        (tmp_path / "tableinfos.json").write_bytes(BODY)
        (tmp_path / "index.json").write_text(json.dumps({URL: "tableinfos.json"}))
        transport = RecordedTransport(tmp_path)
        # same URL with the $ percent-encoded
        assert transport.get(URL.replace("$format", "%24format")) == BODY

    def test_directory_without_index(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="index.json"):
            RecordedTransport(tmp_path)

    def test_unknown_url_lists_what_is_recorded(self):
        transport = RecordedTransport({"https://h/a": b""})
        with pytest.raises(UnrecordedRequestError, match=r"(?s)no recorded response for https://h/b.*https://h/a"):
            transport.get("https://h/b")
