"""The documented surface: every method returns {"response_code", "response_body"}."""

import os
import subprocess
import sys

import pytest

import instasent

TO = "+34666666666"


def test_python_sdk_page_snippet_runs_unchanged(sandbox, base_url_env):
    snippet = (
        "import os\n"
        "import instasent\n"
        'client = instasent.Client(os.environ["INSTASENT_TOKEN"])\n'
        'response = client.send_sms("My company", "+34666666666", "test message")\n'
        'print(response["response_code"])\n'
        'print(response["response_body"])\n'
    )
    env = dict(os.environ, INSTASENT_TOKEN=sandbox.token)
    out = subprocess.run([sys.executable, "-c", snippet], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "201"
    assert "'entity'" in lines[1] and "test message" in lines[1]
    assert [m["text"] for m in sandbox.messages()] == ["test message"]


def test_send_sms_returns_status_and_entity(client, sandbox):
    r = client.send_sms("My company", TO, "test message", client_id="doc-1")
    assert r["response_code"] == 201
    entity = r["response_body"]["entity"]
    assert entity["clientId"] == "doc-1"
    assert entity["to"] == TO
    assert sandbox.messages()[0]["clientId"] == "doc-1"


def test_send_sms_unicode_allows_ucs2(client):
    r = client.send_sms_unicode("Acme", TO, "Привет 👋")
    assert r["response_code"] == 201
    assert r["response_body"]["entity"]["encoding"] == "UCS-2"


def test_get_sms_and_get_sms_by_id(client):
    ids = [client.send_sms("Acme", TO, f"m{i}")["response_body"]["entity"]["id"] for i in range(3)]
    page = client.get_sms(page=1, per_page=2)
    assert page["response_code"] == 200
    assert len(page["response_body"]["entities"]) == 2
    one = client.get_sms_by_id(ids[1])
    assert one["response_code"] == 200
    assert one["response_body"]["entity"]["id"] == ids[1]
    # By keyword, as Instasent's Python SDK documents it (`message_id`), or as `id`.
    assert client.get_sms_by_id(message_id=ids[2])["response_body"]["entity"]["id"] == ids[2]
    assert client.get_sms_by_id(id=ids[0])["response_body"]["entity"]["id"] == ids[0]
    with pytest.raises(instasent.InvalidArgumentError, match="not both"):
        client.get_sms_by_id(ids[0], id=ids[1])
    with pytest.raises(TypeError, match="message_id"):
        client.get_sms_by_id()  # type: ignore[call-overload]


def test_http_errors_come_back_as_responses(client):
    r = client.get_sms_by_id("does-not-exist")
    assert r["response_code"] == 404
    assert isinstance(r["response_body"], dict)


def test_lookups(client):
    r = client.do_lookup(TO)
    assert r["response_code"] in (200, 201)
    lookup_id = r["response_body"]["entity"]["id"]
    assert client.get_lookup_by_id(lookup_id)["response_body"]["entity"]["id"] == lookup_id
    listed = client.get_lookups(page=1, per_page=10)
    assert listed["response_code"] == 200
    assert [e["id"] for e in listed["response_body"]["entities"]] == [lookup_id]


def test_account_balance_and_price_profiles(client):
    r = client.get_account_balance()
    assert r["response_code"] == 200
    assert r["response_body"]["entity"]["available"] == 10_000.0
    assert client.get_sms_price_profile()["response_code"] == 200
    assert client.get_lookup_price_profile()["response_code"] == 200


def test_verify_flow(client, sandbox):
    r = client.request_verify("Acme", TO, "Your code is %token%", token_length=6, timeout=300)
    assert r["response_code"] in (200, 201)
    verify_id = r["response_body"]["entity"]["id"]
    code = sandbox.verify_code(verify_id)
    assert code is not None and len(code) == 6
    wrong = client.check_verify(verify_id, "000000" if code != "000000" else "111111")
    assert wrong["response_body"] is None or wrong["response_code"] >= 400 or \
        wrong["response_body"]["entity"]["status"] != "verified"
    ok = client.check_verify(verify_id, code)
    assert ok["response_code"] == 200
    assert ok["response_body"]["entity"]["status"] == "verified"
    assert client.get_verify_by_id(verify_id)["response_body"]["entity"]["status"] == "verified"
    listed = client.get_verify(page=1, per_page=10)
    assert verify_id in [e["id"] for e in listed["response_body"]["entities"]]


def test_send_bulk_sms_is_one_raw_bulk_call(client, sandbox):
    items = [{"from": "Acme", "to": TO, "text": f"b{i}"} for i in range(3)]
    items.append({"from": "Acme", "to": "not-a-number", "text": "bad"})
    r = client.send_bulk_sms(items)
    assert r["response_code"] == 201
    assert len(r["response_body"]["entities"]) == 3
    assert len(sandbox.messages()) == 3
    assert sandbox.stats()["requests"] == 1


@pytest.mark.parametrize("count", [0, 101])
def test_send_bulk_sms_outside_1_to_100_is_refused_before_sending(client, sandbox, count):
    # The same rule in every binding (the core's): nothing reaches the API.
    items = [{"from": "Acme", "to": TO, "text": "x"} for _ in range(count)]
    before = sandbox.stats()["requests"]
    with pytest.raises(instasent.InvalidArgumentError, match="1 to 100"):
        client.send_bulk_sms(items)
    assert sandbox.stats()["requests"] == before
    assert sandbox.messages() == []


def test_local_validation_is_raised_not_returned(client):
    try:
        client.send_sms("Acme", "not-a-number", "hi")
    except instasent.ValidationError as e:
        assert e.status is None
        assert "to" in e.fields
    else:
        raise AssertionError("expected ValidationError")
