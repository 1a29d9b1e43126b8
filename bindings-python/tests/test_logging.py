"""The SDK's lines reach Python's `logging` (logger "instasent"): a DEBUG record per HTTP
attempt and an INFO record per retry, never the token, a text or a number, and nothing at the
default level."""

import asyncio
import logging
import subprocess
import sys
from typing import Iterator, List

import pytest

import instasent

TOKEN = "tok-logging-3f9a1c"
TO = "+34600999111"
TEXT = "Tu codigo es 271828"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def collected() -> Iterator[Collect]:
    logger = logging.getLogger("instasent")
    handler = Collect()
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


@pytest.fixture
def one_429() -> Iterator[instasent.Sandbox]:
    # One-second windows: the retry after the forced 429 waits under a second.
    with instasent.Sandbox(token=TOKEN, limits={"window_secs": 1}) as sb:
        sb.set_faults(rate_limit_burst=1)
        yield sb


def lines(handler: Collect) -> List[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in handler.records]


def check_attempts_and_retry(seen: List[str]) -> None:
    everything = "\n".join(seen)
    for secret in (TOKEN, "600999111", "271828"):
        assert secret not in everything, everything
    answered = [line for line in seen if line.startswith("DEBUG answered")]
    assert len(answered) == 2, everything
    assert 'endpoint="POST /sms"' in answered[0] and "status=429" in answered[0], everything
    assert "attempt=2" in answered[1] and "status=429" not in answered[1], everything
    retries = [line for line in seen if line.startswith("INFO retrying")]
    assert len(retries) == 1 and "after=RATE_LIMITED" in retries[0], everything


def test_a_send_logs_each_attempt_and_its_retry(one_429, collected):
    client = instasent.Client(TOKEN, base_url=one_429.base_url, token_in_query=True)
    client.send("Acme", TO, TEXT)
    check_attempts_and_retry(lines(collected))
    assert all(r.name == "instasent" for r in collected.records)


def test_the_async_client_logs_the_same(one_429, collected):
    client = instasent.AsyncClient(TOKEN, base_url=one_429.base_url, token_in_query=True)
    asyncio.run(client.send("Acme", TO, TEXT))
    check_attempts_and_retry(lines(collected))


def test_a_level_set_after_the_client_was_made_counts_from_the_next_call(sandbox, collected):
    client = sandbox.client()
    logging.getLogger("instasent").setLevel(logging.INFO)
    client.account()
    assert lines(collected) == [], "no DEBUG record at INFO"
    logging.getLogger("instasent").setLevel(logging.DEBUG)
    client.account()
    seen = lines(collected)
    assert len(seen) == 1 and seen[0].startswith("DEBUG answered"), seen
    assert 'endpoint="GET /organization/account"' in seen[0], seen


def test_nothing_is_logged_or_printed_at_the_default_level():
    # A fresh interpreter with logging left as it is: no record reaches the last-resort
    # handler (which prints WARNING and above to stderr), nothing on stderr at all.
    script = """
import instasent
with instasent.Sandbox(limits={"window_secs": 1}) as sb:
    sb.set_faults(rate_limit_burst=1)
    sb.client().account()
print("done")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "done\n"
    assert done.stderr == ""


def test_a_campaign_with_debug_logging_on_completes_and_logs_one_line_per_batch(
    sandbox, collected
):
    client = sandbox.client()
    messages = ({"to": f"+3460000{i:04d}", "text": "hola", "from": "Acme"} for i in range(1000))
    results = list(client.campaign(messages))
    assert sum(1 for r in results if r.ok) == 1000
    answered = [line for line in lines(collected) if line.startswith("DEBUG answered")]
    assert len(answered) == 10, answered
    assert all('endpoint="POST /sms/bulk"' in line for line in answered)
