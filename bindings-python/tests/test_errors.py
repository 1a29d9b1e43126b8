"""Typed exceptions: one base class, one subclass per core ErrorKind, attributes set."""

import builtins
import socket

import pytest

import instasent
from instasent import _instasent
from ledger import wait_for_messages

TO = "+34666666666"


def test_every_core_error_code_has_a_subclass_of_the_base():
    codes = _instasent._error_codes()
    assert len(codes) == 12
    classes = {code: _instasent._error_class(code) for code in codes}
    assert len(set(classes.values())) == 12
    for cls in classes.values():
        assert issubclass(cls, instasent.InstasentError)
        assert getattr(instasent, cls.__name__) is cls
    assert classes["TIMEOUT"] is instasent.InstasentTimeoutError is instasent.TimeoutError
    assert issubclass(instasent.TimeoutError, builtins.TimeoutError)
    assert issubclass(instasent.InvalidArgumentError, ValueError)
    assert issubclass(instasent.TransportError, ConnectionError)
    assert classes["PAYLOAD_TOO_LARGE"] is instasent.PayloadTooLargeError


def test_401_wrong_token_is_authentication_error(sandbox):
    c = instasent.Client("wrong-token", base_url=sandbox.base_url)
    with pytest.raises(instasent.AuthenticationError) as info:
        c.send("Acme", TO, "hi")
    e = info.value
    assert (e.code, e.status) == ("UNAUTHORIZED", 401)
    assert e.body is not None
    assert c.send_sms("Acme", TO, "hi")["response_code"] == 401


def test_402_out_of_balance_is_payment_required():
    with instasent.Sandbox(balance=0.001) as sb:
        c = sb.client()
        with pytest.raises(instasent.PaymentRequiredError) as info:
            c.send("Acme", TO, "hi")
        assert (info.value.code, info.value.status) == ("PAYMENT_REQUIRED", 402)
        assert c.send_sms("Acme", TO, "hi")["response_code"] == 402


def test_404_is_not_found(client):
    with pytest.raises(instasent.NotFoundError) as info:
        client.message("nope")
    assert info.value.status == 404 and info.value.code == "NOT_FOUND"
    # The response reported its rate-limit window, but waiting for it would not find the
    # message: retry_after is for 429s only.
    assert info.value.reset is not None and info.value.retry_after is None


def test_documented_bulk_over_100_is_an_invalid_argument(client):
    with pytest.raises(instasent.InvalidArgumentError) as info:
        client.send_bulk_sms([{"from": "Acme", "to": TO, "text": "x"}] * 101)
    assert info.value.code == "INVALID_ARGUMENT"


def test_429_is_rate_limited_with_reset(sandbox):
    sandbox.set_faults(rate_limit_burst=5)
    c = sandbox.client(max_retries=0)
    with pytest.raises(instasent.RateLimitedError) as info:
        c.account()
    e = info.value
    assert (e.code, e.status) == ("RATE_LIMITED", 429)
    assert e.reset is None or e.reset > 0
    assert e.retry_after is None or e.retry_after >= 0


def test_5xx_is_server_error(sandbox):
    sandbox.set_faults(error_rate=1.0)
    c = sandbox.client(max_retries=0)
    with pytest.raises(instasent.ServerError) as info:
        c.account()
    assert info.value.status is not None and 500 <= info.value.status < 600
    assert c.get_account_balance()["response_code"] >= 500


def test_a_fault_seed_replays_the_same_500s(sandbox):
    c = sandbox.client(max_retries=0)

    def statuses() -> list[int]:
        return [c.get_account_balance()["response_code"] for _ in range(24)]

    sandbox.set_faults(error_rate=0.5, seed=11)
    first = statuses()
    sandbox.set_faults(error_rate=0.5, seed=11)
    assert statuses() == first
    assert 200 in first and 500 in first, first
    assert sandbox.faults()["seed"] == 11


def test_timeout_is_timeout_error(sandbox):
    sandbox.set_faults(latency_ms=2000)
    c = sandbox.client(timeout=0.2, max_retries=0)
    with pytest.raises(builtins.TimeoutError) as info:
        c.account()
    assert isinstance(info.value, instasent.InstasentTimeoutError)
    assert info.value.code == "TIMEOUT"
    # No HTTP status: the documented method raises too.
    with pytest.raises(instasent.TimeoutError):
        c.get_account_balance()


def test_closed_port_is_transport_error():
    # Bound but not listening: the connection is refused, and no other process can take the port
    # meanwhile (as it could once the socket were closed).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        c = instasent.Client("t", base_url=f"http://127.0.0.1:{port}/transactional/v1", max_retries=0)
        with pytest.raises(instasent.TransportError) as info:
            c.get_account_balance()
    assert info.value.code == "TRANSPORT" and info.value.status is None


def test_local_validation_error_has_fields(client, sandbox):
    with pytest.raises(instasent.ValidationError) as info:
        client.send("Acme", "12", "hi")
    assert "to" in info.value.fields and info.value.status is None
    assert sandbox.stats()["requests"] == 0


def test_server_validation_error_has_status_and_fields(client):
    with pytest.raises(instasent.ValidationError) as info:
        client.start_verify("Acme", "not-a-number", "code %token%")
    assert info.value.status in (400, 422)
    assert info.value.fields


def test_dropped_connection_after_commit_is_ambiguous(sandbox):
    sandbox.set_faults(drop_after_commit_rate=1.0)
    c = sandbox.client(max_retries=0)
    with pytest.raises(instasent.AmbiguousOutcomeError) as info:
        c.send("Acme", TO, "hi", client_id="amb-1")
    assert info.value.code == "AMBIGUOUS_OUTCOME" and info.value.status is None
    assert info.value.maybe_committed and info.value.client_id == "amb-1"
    # The documented method has no HTTP status to return either.
    with pytest.raises(instasent.AmbiguousOutcomeError):
        c.send_sms("Acme", TO, "hi", client_id="amb-2")
    # A generated clientId is named too: it is the only way to look the message up.
    with pytest.raises(instasent.AmbiguousOutcomeError) as info:
        c.send("Acme", TO, "hi")
    generated = info.value.client_id
    assert generated and generated in str(info.value)
    assert sorted(m["clientId"] for m in sandbox.messages()) == sorted(["amb-1", "amb-2", generated])


def test_retry_after_dropped_connection_settles_without_duplicate(sandbox):
    sandbox.set_faults(drop_after_commit_rate=1.0)
    c = sandbox.client(max_retries=2)
    c.send("Acme", TO, "hi", client_id="settled-1")
    assert [m["clientId"] for m in sandbox.messages()] == ["settled-1"]


def test_decode_and_invalid_argument():
    with pytest.raises(instasent.DecodeError):
        instasent.parse_dlr(b"{not json", format="webhook")
    with pytest.raises(instasent.InvalidArgumentError):
        instasent.Client("")
    with pytest.raises(ValueError):
        instasent.segments("x", shift_table="klingon")
    with pytest.raises(instasent.InvalidArgumentError):
        instasent.Client("t", bogus_option=1)


def test_message_never_contains_the_token(sandbox):
    c = instasent.Client("super-secret-token-123", base_url=sandbox.base_url)
    with pytest.raises(instasent.InstasentError) as info:
        c.account()
    assert "super-secret-token-123" not in str(info.value)
    assert "super-secret-token-123" not in repr(c)


def test_results_is_none_except_on_a_bulk_send_that_stopped(client, sandbox):
    # Declared on InstasentError in the stub, so it must be there on every instance: None when
    # the error did not stop a bulk send.
    with pytest.raises(instasent.NotFoundError) as info:
        client.message("nope")
    assert info.value.results is None
    assert instasent.InstasentError("by hand").results is None

    ok = {"from": "Acme", "to": TO, "text": "x"}

    def first_batch_sent_then_a_bad_item():
        # A stop drops queued input unsent, so the bad item is read only once the first
        # batch has reached the API: its results must then be there, the rest never sent.
        yield from [ok] * 100
        wait_for_messages(sandbox, 100)
        yield from [ok] * 50
        yield {"from": "Acme", "to": TO}

    with pytest.raises(instasent.InvalidArgumentError, match="message 150 needs `text`") as stopped:
        client.send_bulk(first_batch_sent_then_a_bad_item())
    results = stopped.value.results
    assert isinstance(results, list) and all(isinstance(r, instasent.ItemResult) for r in results)
    assert len(results) == len(sandbox.messages()) == 100


def test_an_error_built_by_hand_reads_like_one_the_sdk_raised():
    # As users' own tests build them to stand in for the SDK.
    e = instasent.NotFoundError("no such message")
    assert (e.code, e.status, e.retry_after, e.client_id, e.maybe_committed) == ("NOT_FOUND", None, None, None, False)
    assert dict(e.fields) == {} and e.results is None
    assert instasent.RateLimitedError("x").code == "RATE_LIMITED"
    # The base built by hand has a code too, as Node's `new InstasentError("x")`: a handler that
    # logs `e.code` must not fail on the error a test raised.
    base = instasent.InstasentError("by hand")
    assert (base.code, base.message, base.status, base.maybe_committed) == ("INVALID_ARGUMENT", "by hand", None, False)


def test_an_error_built_by_hand_has_a_message():
    # Raised errors get the core's message; a hand-built one reads its own text, as str() does.
    assert instasent.NotFoundError("no such message").message == "no such message"
    assert instasent.InstasentError().message == ""
    assert instasent.ValidationError(404).message == "404"
    e = instasent.ServerError("x")
    e.message = "set later"
    assert e.message == "set later"


def test_a_raised_error_keeps_the_cores_message(client):
    with pytest.raises(instasent.NotFoundError) as info:
        client.message("nope")
    e = info.value
    assert e.message and e.message in str(e) and e.message != str(e)


def test_from_instasent_import_star_leaves_the_builtin_timeout_error_alone():
    scope: dict = {}
    exec("from instasent import *", scope)
    assert "TimeoutError" not in scope and "InstasentTimeoutError" in scope
    assert instasent.TimeoutError is instasent.InstasentTimeoutError


def test_client_options_that_cannot_be_sent_are_invalid_arguments_naming_them():
    with pytest.raises(instasent.InvalidArgumentError, match="user agent"):
        instasent.Client("t", base_url="http://127.0.0.1:1/v1", user_agent="a\r\nb")
    with pytest.raises(instasent.InvalidArgumentError, match="credentials") as info:
        instasent.Client("t", base_url="https://u:PW-secret@api.example/v1")
    assert "PW-secret" not in str(info.value)
