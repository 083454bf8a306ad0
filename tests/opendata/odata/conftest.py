"""Fixtures for the OData connector tests.

Real recorded responses are read from the shared data folder (not copied into the repository, see
PROVENANCE.md there); set IVP_SHARED_DATA to point elsewhere. Network access is blocked for every test here.
"""

import socket
from pathlib import Path

import pytest

from .helpers import REFERENCE, SAMPLES


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any attempt to open a socket connection fails the test loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted in a test: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"recorded OData samples not found at {SAMPLES} (set IVP_SHARED_DATA)")
    return SAMPLES


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference code lists not found at {REFERENCE} (set IVP_SHARED_DATA)")
    return REFERENCE
