import os
import pathlib
from typing import Iterator

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
