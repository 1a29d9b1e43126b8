import os
import pathlib
from typing import Any, Callable, Iterator, List, Optional, Tuple

import pytest

import instasent

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


@pytest.fixture
def sandbox() -> Iterator[instasent.Sandbox]:
    """A fresh embedded sandbox on a free loopback port, stopped after the test."""
    with instasent.Sandbox(balance=10_000.0) as sb:
        yield sb


@pytest.fixture
def client(sandbox: instasent.Sandbox) -> instasent.Client:
    return sandbox.client()


@pytest.fixture
def base_url_env(sandbox: instasent.Sandbox) -> Iterator[None]:
    old = os.environ.get("INSTASENT_BASE_URL")
    os.environ["INSTASENT_BASE_URL"] = sandbox.base_url
    try:
        yield
    finally:
        if old is None:
            del os.environ["INSTASENT_BASE_URL"]
        else:
            os.environ["INSTASENT_BASE_URL"] = old


def calls_that_send(client: Any, to: str) -> List[Tuple[Callable[[], Any], Optional[str]]]:
    """Each call of `client` (a `Client` or an `AsyncClient`) that may deliver a message, with
    the client_id it is given (None: the SDK draws one): what an interrupted or cancelled send
    must name."""
    return [
        (lambda: client.send("Acme", to, "hi"), None),
        (lambda: client.send("Acme", to, "hi", client_id="order-17"), "order-17"),
        (lambda: client.send_sms("Acme", to, "hi"), None),
        (lambda: client.send_sms_unicode("Acme", to, "hé", "order-18"), "order-18"),
        (lambda: client.start_verify("Acme", to, "code %token%"), None),
        (lambda: client.request_verify("Acme", to, "code %token%", client_id="otp-1"), "otp-1"),
    ]
