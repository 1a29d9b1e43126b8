import os
import pathlib
import re
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


def named_client_id(exception: BaseException, given: Optional[str]) -> str:
    """The clientId an interrupted or cancelled send names on its exception (`client_id` and a
    note): the one it was given, or one the SDK drew (32 hex digits)."""
    client_id: str = getattr(exception, "client_id")
    if given is None:
        assert re.fullmatch(r"[0-9a-f]{32}", client_id), client_id
    else:
        assert client_id == given
    notes = "\n".join(getattr(exception, "__notes__", []))
    assert "may have been sent" in notes and f'client_id="{client_id}"' in notes, notes
    return client_id


def named_bulk_client_ids(exception: BaseException) -> List[str]:
    """`client_ids` of an interrupted or cancelled `send_bulk_sms` of `bulk_of_two`: a drawn id,
    then the given `bulk-2`, with the note, and no `client_id`."""
    drawn, given = client_ids = getattr(exception, "client_ids")
    assert re.fullmatch(r"[0-9a-f]{32}", drawn) and given == "bulk-2", client_ids
    assert not hasattr(exception, "client_id")
    notes = "\n".join(getattr(exception, "__notes__", []))
    assert "its 2 messages may have been sent" in notes and "client_ids" in notes, notes
    return list(client_ids)


def bulk_of_two(to: str) -> List[dict]:
    return [{"from": "Acme", "to": to, "text": "a"}, {"from": "Acme", "to": to, "text": "b", "clientId": "bulk-2"}]
