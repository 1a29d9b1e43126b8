"""Bad input raises, never crashes; threads share a client; the GIL is released; fork works."""

import asyncio
import gc
import os
import signal
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

import instasent
from conftest import bulk_of_two, calls_that_send, named_bulk_client_ids, named_client_id

TO = "+34666666666"


@pytest.mark.parametrize(
    "args",
    [
        (123, TO, "x"),
        (None, TO, "x"),
        ("Acme", None, "x"),
        ("Acme", TO, b"bytes"),
        ("Acme", TO, "\ud800"),
        ("\udfff", TO, "x"),
    ],
)
def test_bad_arguments_raise(client, args):
    with pytest.raises((TypeError, ValueError, UnicodeError)):
        client.send_sms(*args)
    with pytest.raises((TypeError, ValueError, UnicodeError)):
        client.send(*args)


def test_huge_text_is_refused_locally(client, sandbox):
    text = "a" * 10_000_000
    with pytest.raises(instasent.ValidationError) as info:
        client.send("Acme", TO, text)
    assert "text" in info.value.fields
    assert sandbox.stats()["requests"] == 0
    a = instasent.segments(text)
    assert a.units == 10_000_000 and a.encoding == "GSM-7"


def test_bad_bulk_items_raise(client):
    with pytest.raises(instasent.InvalidArgumentError):
        client.send_bulk([42])
    # A single message where a list of them is expected: said as such, not "not a str".
    for call in (client.send_bulk, client.send_bulk_sms, client.campaign):
        with pytest.raises(instasent.InvalidArgumentError, match="not a dict: put a single message in a list"):
            call({"from": "Acme", "to": TO, "text": "x"})
    with pytest.raises(instasent.InvalidArgumentError):
        client.send_bulk([{"from": "Acme", "to": TO}])
    with pytest.raises(TypeError):
        client.send_bulk(None)
    with pytest.raises((TypeError, ValueError, UnicodeError)):
        client.send_bulk_sms([{"from": "Acme", "to": TO, "text": "\ud800"}])


def test_bad_dlr_and_segment_inputs_raise():
    for bad in (None, 12, ["x"], b"\xff\xfe", "", {}):
        with pytest.raises((TypeError, ValueError)):
            instasent.parse_dlr(bad)
    with pytest.raises((TypeError, ValueError, UnicodeError)):
        instasent.segments("\ud800")
    with pytest.raises(TypeError):
        instasent.segments(None)
    with pytest.raises(ValueError):
        instasent.parse_dlr({"id": "x", "nested": {"a": float("nan")}})
    with pytest.raises(instasent.InvalidArgumentError):
        instasent.parse_dlr("x", format="carrier-pigeon")


def test_bad_options_raise(sandbox):
    with pytest.raises((TypeError, ValueError)):
        instasent.Client("t", timeout=-1)
    with pytest.raises((TypeError, ValueError)):
        instasent.Client("t", timeout="soon")
    with pytest.raises(instasent.InvalidArgumentError):
        instasent.Client("t", base_url="http://example.com/x")
    # Refused, not adjusted: a concurrency of 0 used to become 1 without a word.
    with pytest.raises(instasent.InvalidArgumentError, match="concurrency must be at least 1"):
        instasent.Client("t", base_url=sandbox.base_url, concurrency=0)
    with pytest.raises(instasent.InvalidArgumentError, match="concurrency must be a whole number from 0"):
        instasent.Client("t", base_url=sandbox.base_url, concurrency=-1)
    # The key a bad value sits in is named as the caller wrote it.
    with pytest.raises(instasent.InvalidArgumentError, match="invalid faults: `error_rate`: invalid type"):
        sandbox.set_faults(error_rate="lots")
    sandbox.set_faults(latency_ms=1)
    with pytest.raises(instasent.InvalidArgumentError, match="invalid faults: `error_rate` must be between 0 and 1"):
        sandbox.set_faults(error_rate=1.5)
    assert sandbox.faults()["latencyMs"] == 1  # unchanged by the refused call
    sandbox.set_faults()
    with pytest.raises(instasent.InvalidArgumentError, match="`drop_after_commit_rate` must be"):
        instasent.Sandbox(faults={"drop_after_commit_rate": -1})
    with pytest.raises(instasent.InvalidArgumentError, match="invalid limits: `window_secs`: invalid type"):
        instasent.Sandbox(limits={"window_secs": "1s"})
    with pytest.raises(instasent.InvalidArgumentError):
        instasent.Sandbox(colour="blue")
    # A port already taken is the machine's failure, not a bad argument.
    taken = urllib.parse.urlsplit(sandbox.base_url).port
    with pytest.raises(instasent.TransportError, match="the sandbox could not start") as e:
        instasent.Sandbox(port=taken)
    assert isinstance(e.value, ConnectionError) and e.value.code == "TRANSPORT"


def test_threads_share_one_client(client, sandbox):
    def work(i):
        return client.send("Acme", TO, f"thread {i}").id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(work, range(200)))
    assert len(set(ids)) == 200
    assert len(sandbox.messages()) == 200


def test_blocking_calls_release_the_gil(client, sandbox):
    sandbox.set_faults(latency_ms=1000)
    done = threading.Event()
    ticks = 0

    def call():
        client.account()
        done.set()

    t = threading.Thread(target=call)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    # ~900 ticks on an idle machine (1 s of 1 ms sleeps). Holding the GIL for the call would
    # allow at most a handful, before the thread enters it; 20 leaves room for a loaded machine
    # whose 1 ms sleeps take many times longer.
    assert ticks > 20, ticks


def wait_for_child(pid, what):
    """The child's exit code; fails the test if it hangs."""
    deadline = time.time() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.WIFEXITED(status), status
            return os.WEXITSTATUS(status)
        if time.time() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the child hung {what}")
        time.sleep(0.05)


def test_client_used_after_fork_works(client, sandbox):
    client.send("Acme", TO, "parent before fork")
    pid = os.fork()
    if pid == 0:  # child: the parent's sandbox keeps serving
        code = 1
        try:
            sms = client.send("Acme", TO, "from the child")
            code = 0 if sms.id else 1
        finally:
            os._exit(code)
    assert wait_for_child(pid, "using the client after fork") == 0
    texts = {m["text"] for m in sandbox.messages()}
    assert {"parent before fork", "from the child"} <= texts
    client.send("Acme", TO, "parent after fork")


def test_a_campaign_iterated_after_fork_raises_in_the_child_and_goes_on_in_the_parent(client):
    messages = ({"from": "Acme", "to": f"+3460{i:07d}", "text": f"fork {i}"} for i in range(1_000))
    campaign = client.campaign(messages, batch_size=50)
    first = next(campaign)
    pid = os.fork()
    if pid == 0:  # child: the campaign's engine ran on the parent's runtime, gone here
        code = 1
        try:
            # Results already handed over before the fork are still yielded, then it raises.
            for _ in campaign:
                pass
        except instasent.InvalidArgumentError as e:
            code = 0 if "fork" in str(e) else 2
        finally:
            os._exit(code)
    assert wait_for_child(pid, "iterating a campaign started before fork") == 0
    rest = list(campaign)
    assert [r.index for r in [first, *rest]] == list(range(1_000))
    assert all(r.status == "accepted" for r in rest)


def test_a_paging_iterator_made_before_fork_raises_in_the_child_and_goes_on_in_the_parent(client):
    for i in range(3):
        client.send("Acme", TO, f"page {i}")
    pages = client.iter_sms(per_page=1)
    first = next(pages)
    pid = os.fork()
    if pid == 0:  # child: the iterator's fetches belong to the parent's runtime
        code = 1
        try:
            try:
                next(pages)
            except instasent.InvalidArgumentError as e:
                # A new iterator, made here, works.
                fresh = [m.text for m in client.iter_sms(per_page=2)]
                code = 0 if "iterator" in str(e) and "fork()" in str(e) and len(fresh) == 3 else 2
        finally:
            os._exit(code)
    assert wait_for_child(pid, "paging with an iterator made before fork") == 0
    assert sorted([first.text, *(m.text for m in pages)]) == ["page 0", "page 1", "page 2"]


def held_input(count, reading, release):
    """Messages whose reading stops halfway until `release` is set: the campaign's lock stays
    held by the thread that reads them."""
    for i in range(count):
        if i == count // 2:
            reading.set()
            release.wait(30)
        yield {"from": "Acme", "to": f"+3460{i:07d}", "text": f"held {i}"}


def fork_and_expect_the_fork_error(campaign, step):
    """Forks; in the child `campaign.stop()` must do nothing (nothing of the campaign runs
    there) and `step` must raise the campaign's fork error: only then does it exit 0."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            try:
                campaign.stop()
            except BaseException:
                os._exit(4)
            step()
        except instasent.InvalidArgumentError as e:
            code = 0 if "fork()" in str(e) else 2
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    return pid


def test_a_child_forked_while_a_parent_thread_iterated_the_campaign_is_told_why(client):
    reading, release = threading.Event(), threading.Event()
    campaign = client.campaign(held_input(300, reading, release), batch_size=50)
    results = []
    iterating = threading.Thread(target=lambda: results.extend(campaign))
    iterating.start()
    assert reading.wait(30)

    # The lock is held by a thread the child does not have.
    pid = fork_and_expect_the_fork_error(campaign, lambda: next(campaign))
    release.set()
    iterating.join(30)
    assert wait_for_child(pid, "with a campaign whose lock the parent held") == 0
    assert [r.index for r in results] == list(range(300))


def test_an_async_campaign_in_a_child_forked_while_a_worker_held_it_raises_instead_of_hanging(sandbox):
    reading, release = threading.Event(), threading.Event()

    async def collect(campaign):
        return [r async for r in campaign]

    async def main():
        client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
        campaign = client.campaign(held_input(300, reading, release), batch_size=50)
        # Iterated by a task: a worker reads the input for it, holding the campaign's lock.
        collecting = asyncio.ensure_future(collect(campaign))
        assert await asyncio.get_running_loop().run_in_executor(None, reading.wait, 30)

        # `__anext__` used to wait on the worker's lock for ever.
        pid = fork_and_expect_the_fork_error(campaign, campaign.__anext__)
        release.set()
        return pid, await collecting

    pid, results = asyncio.run(main())
    assert wait_for_child(pid, "with an async campaign whose lock a worker held") == 0
    assert [r.index for r in results] == list(range(300))


def test_allow_unicode_in_a_message_dict_is_a_bool(client, sandbox):
    # Read by truth, a CSV's "false" switched the message to UCS-2 at a higher cost.
    for bad in ("false", "0", 1, 1.5):
        for key in ("allow_unicode", "allowUnicode"):
            with pytest.raises(instasent.InvalidArgumentError, match=f"message 0: `{key}` must be True or False"):
                client.send_bulk([{"from": "Acme", "to": TO, "text": "hi 😀", key: bad}])
    assert sandbox.stats()["requests"] == 0
    [r] = client.send_bulk([{"from": "Acme", "to": TO, "text": "hi 😀", "allow_unicode": True}])
    assert r.status == "accepted"
    [r] = client.send_bulk([{"from": "Acme", "to": TO, "text": "hi", "allow_unicode": None}])
    assert r.status == "accepted"


def test_on_progress_is_checked_before_anything_is_sent(client, sandbox):
    many = [{"from": "Acme", "to": TO, "text": f"m{i}"} for i in range(500)]
    with pytest.raises(TypeError, match="on_progress must be callable, not int"):
        client.send_bulk(many, on_progress=5)
    with pytest.raises(TypeError, match="on_progress must be callable"):
        client.campaign(many, on_progress="print")

    async def report(progress):
        pass

    # Client calls it on its own thread: the coroutine would never be awaited.
    with pytest.raises(TypeError, match="async function"):
        client.send_bulk(many, on_progress=report)
    ac = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)

    async def main():
        with pytest.raises(TypeError, match="on_progress must be callable"):
            await ac.send_bulk(many, on_progress=5)
        with pytest.raises(TypeError, match="on_progress must be callable"):
            ac.campaign(many, on_progress=5)

    asyncio.run(main())
    assert sandbox.stats()["requests"] == 0


def test_a_sandbox_client_keeps_its_sandbox_running():
    c = instasent.Sandbox().client()
    gc.collect()
    assert c.account().available > 0


def test_sandbox_settings_it_could_only_act_on_wrongly_are_refused(sandbox):
    # A typo used to leave the faults off without a word.
    # The key is named once: serde's message names it, a path before it would say it again.
    with pytest.raises(instasent.InvalidArgumentError, match="faults: unknown field `error_rates`, expected one of `error_rate`"):
        sandbox.set_faults(error_rates=1.0)
    with pytest.raises(instasent.InvalidArgumentError, match="faults: unknown field `errorrate`"):
        instasent.Sandbox(faults={"errorrate": 1})
    with pytest.raises(instasent.InvalidArgumentError, match="limits: unknown field `bogus`") as info:
        instasent.Sandbox(limits={"bogus": 1})
    assert str(info.value).count("bogus") == 1, info.value
    for options, says in [
        ({"token": ""}, "token"),
        ({"token": "with space"}, "token"),
        ({"balance": -1}, "balance"),
        ({"webhook": "not a url"}, "webhook"),
        ({"webhook": "ftp://x/dlr"}, "webhook"),
    ]:
        with pytest.raises(instasent.InvalidArgumentError, match=says):
            instasent.Sandbox(**options)


def test_sandbox_after_stop_raises():
    sb = instasent.Sandbox()
    sb.stop()
    sb.stop()
    with pytest.raises(instasent.InvalidArgumentError):
        sb.messages()


MSGS = [{"from": "Acme", "to": TO, "text": "x"}]

# Every integer parameter, as a call taking the value to try. pyo3 converted the ones declared
# u32/usize before the binding's code ran: -1 raised OverflowError and True passed as 1.
INTEGER_PARAMETERS = [
    ("page", lambda c, v: c.get_sms(v)),
    ("per_page", lambda c, v: c.get_sms(per_page=v)),
    ("page", lambda c, v: c.get_lookups(page=v)),
    ("per_page", lambda c, v: c.get_verify(1, v)),
    ("page", lambda c, v: c.messages(page=v)),
    ("per_page", lambda c, v: c.iter_sms(per_page=v)),
    ("per_page", lambda c, v: c.iter_lookups(v)),
    ("token_length", lambda c, v: c.request_verify("Acme", TO, "%token%", token_length=v)),
    ("timeout", lambda c, v: c.request_verify("Acme", TO, "%token%", 6, v)),
    ("token_length", lambda c, v: c.start_verify("Acme", TO, "%token%", token_length=v)),
    ("timeout", lambda c, v: c.start_verify("Acme", TO, "%token%", timeout=v)),
    ("concurrency", lambda c, v: c.send_bulk(MSGS, concurrency=v)),
    ("batch_size", lambda c, v: c.send_bulk(MSGS, batch_size=v)),
    ("concurrency", lambda c, v: c.campaign(MSGS, concurrency=v)),
    ("batch_size", lambda c, v: c.campaign(MSGS, batch_size=v)),
]
NOT_A_U32 = [-1, 2**32, 2**64, 10**30, True, False, 1.5, "3"]


@pytest.mark.parametrize("asynchronous", [False, True])
@pytest.mark.parametrize("value", NOT_A_U32, ids=repr)
@pytest.mark.parametrize("name, call", INTEGER_PARAMETERS)
def test_an_integer_parameter_out_of_range_is_an_invalid_argument(sandbox, asynchronous, value, name, call):
    c = (instasent.AsyncClient if asynchronous else instasent.Client)(sandbox.token, base_url=sandbox.base_url)
    # Refused at the call, before anything is sent: an AsyncClient method raises rather than
    # returning a future, so no event loop is needed here.
    # Pages and page sizes start at 1, and the refusal says so; 0 is refused the same way.
    documented = {"page": "1 to 4294967295", "per_page": "1 to 100"}
    expected = documented.get(name, "0 to 4294967295")
    with pytest.raises(instasent.InvalidArgumentError, match=f"{name} must be a whole number from {expected}, got ") as info:
        call(c, value)
    if name in documented:
        with pytest.raises(instasent.InvalidArgumentError, match=f"{name} must be a whole number from 1 to"):
            call(c, 0)
    assert info.value.code == "INVALID_ARGUMENT"
    assert sandbox.stats()["requests"] == 0


@pytest.mark.parametrize("value", NOT_A_U32, ids=repr)
@pytest.mark.parametrize("name", ["max_retries", "concurrency"])
def test_an_integer_client_option_out_of_range_is_an_invalid_argument(sandbox, value, name):
    for make in (instasent.Client, instasent.AsyncClient):
        with pytest.raises(instasent.InvalidArgumentError, match=f"{name} must be a whole number from 0 to 4294967295"):
            make(sandbox.token, base_url=sandbox.base_url, **{name: value})
    with pytest.raises(instasent.InvalidArgumentError, match=f"{name} must be a whole number"):
        sandbox.client(**{name: value})


@pytest.mark.parametrize("value", [-1, 65_536, 2**64, True, 80.0])
def test_a_sandbox_port_out_of_range_is_an_invalid_argument(value):
    with pytest.raises(instasent.InvalidArgumentError, match="port must be a whole number from 0 to 65535"):
        instasent.Sandbox(port=value)


@pytest.mark.parametrize("value", [10**400, True, -1, 0, float("nan"), "soon"], ids=["10**400", "True", "-1", "0", "nan", "soon"])
def test_a_duration_or_a_balance_that_is_not_a_number_is_an_invalid_argument(sandbox, value):
    # 10**400 is an int no float holds: float() of it raised OverflowError.
    with pytest.raises(instasent.InvalidArgumentError, match="timeout must be a positive number of seconds"):
        instasent.Client(sandbox.token, base_url=sandbox.base_url, timeout=value)
    with pytest.raises(instasent.InvalidArgumentError, match="dlr_delay must be a positive number of seconds"):
        instasent.Sandbox(dlr_delay=value)
    if value not in (-1, 0):
        with pytest.raises(instasent.InvalidArgumentError, match="balance must be a number"):
            instasent.Sandbox(balance=value)


def test_integers_in_range_still_go_through(client, sandbox):
    assert client.get_sms(1, 100)["response_code"] == 200
    assert client.messages(page=2**32 - 1) == []
    c = instasent.Client(sandbox.token, base_url=sandbox.base_url, max_retries=0, concurrency=1024, timeout=5)
    assert [r.ok for r in c.send_bulk(MSGS, concurrency=1, batch_size=100)] == [True]
    # Queues are sized by the concurrency: past 1,024 requests in flight it is refused.
    with pytest.raises(instasent.InvalidArgumentError, match="at most 1024 bulk requests in flight"):
        instasent.Client(sandbox.token, base_url=sandbox.base_url, concurrency=1025)
    with pytest.raises(instasent.InvalidArgumentError, match="at most 1024"):
        client.send_bulk(MSGS, concurrency=2**32 - 1)


# Half an emoji: what slicing UTF-16 (a JS string, a JSON "\ud83d" escape) can leave. pyo3
# failed to turn it into Rust text and raised UnicodeEncodeError.
HALF = "\ud83d"

STRING_PARAMETERS = [
    lambda c: c.send_sms("Acme", TO, f"hi {HALF}"),
    lambda c: c.send_sms_unicode(HALF, TO, "hi"),
    lambda c: c.send("Acme", TO, "hi", client_id=HALF),
    lambda c: c.send_bulk([{"from": "Acme", "to": TO, "text": HALF}]),
    lambda c: c.send_bulk_sms([{"from": "Acme", "to": TO, "text": HALF}]),
    lambda c: list(c.campaign([{"from": "Acme", "to": TO, "text": HALF, "clientId": "c-1"}])),
    lambda c: c.get_sms_by_id(HALF),
    lambda c: c.lookup(HALF),
    lambda c: c.start_verify("Acme", TO, f"%token% {HALF}"),
    lambda c: c.verify("id", HALF),
]


@pytest.mark.parametrize("call", STRING_PARAMETERS)
def test_text_with_a_lone_surrogate_is_an_invalid_argument(client, sandbox, call):
    with pytest.raises(instasent.InvalidArgumentError, match="is not valid Unicode: a lone surrogate at index"):
        call(client)
    assert sandbox.stats()["requests"] == 0


def test_a_lone_surrogate_is_an_invalid_argument_everywhere_text_comes_in(sandbox):
    def refused(call):
        with pytest.raises(instasent.InvalidArgumentError, match="not valid Unicode") as info:
            call()
        return str(info.value)

    aclient = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
    refused(lambda: aclient.send("Acme", TO, HALF))
    refused(lambda: instasent.Message("Acme", TO, HALF))
    assert "at index 3" in refused(lambda: instasent.segments(f"abc{HALF}"))
    refused(lambda: instasent.smart_encode(HALF))
    refused(lambda: instasent.parse_dlr(HALF))
    refused(lambda: instasent.parse_dlr({"id": HALF, "status": "delivered"}))
    refused(lambda: instasent.parse_smpp_receipt(HALF))
    refused(lambda: instasent.DeliveryTracker().get(HALF))
    refused(lambda: sandbox.inject_inbound(TO, "Acme", HALF))
    refused(lambda: sandbox.set_faults(seed=HALF))
    refused(lambda: instasent.Client(sandbox.token, base_url=sandbox.base_url, user_agent=HALF))
    # The token is never shown, not even the part of it that could be.
    message = refused(lambda: instasent.Client(f"secret-token{HALF}", base_url=sandbox.base_url))
    assert "secret" not in message
    assert sandbox.stats()["requests"] == 0


def test_ctrl_c_interrupts_a_call_waiting_on_a_silent_server():
    # A call waited inside the extension without hearing signals: with the default timeout and
    # retries a dead server held a script for minutes against Ctrl-C.
    import _thread
    import socket
    import threading
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepted by the kernel, never answered
    try:
        client = instasent.Client("tok", base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1", timeout=30)
        timer = threading.Timer(0.3, _thread.interrupt_main)
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.account()
        assert time.monotonic() - started < 2
        timer.join()
        # The documented calls and the paging iterators too.
        threading.Timer(0.3, _thread.interrupt_main).start()
        with pytest.raises(KeyboardInterrupt):
            client.get_account_balance()
        threading.Timer(0.3, _thread.interrupt_main).start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt) as info:
            next(client.iter_sms())
        assert time.monotonic() - started < 2
        assert not hasattr(info.value, "client_id")
    finally:
        silent.close()


def test_an_interrupted_send_says_it_may_have_gone_out_and_names_its_client_id():
    # The request went out and no answer came: a resend under a new clientId could deliver it
    # twice, so the interrupt says which clientId makes the resend safe.
    import _thread
    import socket
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        client = instasent.Client("tok", base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1", timeout=30)
        for send, given in calls_that_send(client, TO):
            threading.Timer(0.2, _thread.interrupt_main).start()
            with pytest.raises(KeyboardInterrupt) as info:
                send()
            named_client_id(info.value, given)
        # A bulk request names each message's clientId, in input order.
        threading.Timer(0.2, _thread.interrupt_main).start()
        with pytest.raises(KeyboardInterrupt) as info:
            client.send_bulk_sms(bulk_of_two(TO))
        named_bulk_client_ids(info.value)
    finally:
        silent.close()
