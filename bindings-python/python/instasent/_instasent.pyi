# Type stub of the pyo3 extension module. Checked against the built module by
# `python -m mypy.stubtest instasent._instasent --allowlist stubtest-allowlist.txt` (run-tests.sh),
# so every name, parameter and default here must match the Rust `#[pyo3(signature = ...)]`.
#
# Every pyo3 class is `@final`: none is declared `#[pyclass(subclass)]`, so subclassing fails at
# runtime. pyo3 constructors are `__new__` (the runtime `__init__` is object's), so the stub
# declares `__new__` too. AsyncClient methods return a coroutine (made by a plain method, so
# declared `def … -> Coroutine`): `asyncio.run`, `create_task` and `gather` all take it, and
# like any coroutine it sends nothing until awaited.

import builtins
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Dict,
    Iterable,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypedDict,
    Union,
    final,
    overload,
)

# The module's `__all__` as pyo3 builds it (registration order, lib.rs); stubtest compares the
# two. The type-only aliases below are not in it but stay importable by type checkers.
__all__ = [
    "InstasentError",
    "ValidationError",
    "AuthenticationError",
    "PaymentRequiredError",
    "NotFoundError",
    "PayloadTooLargeError",
    "RateLimitedError",
    "ServerError",
    "InstasentTimeoutError",
    "TimeoutError",
    "TransportError",
    "DecodeError",
    "InvalidArgumentError",
    "AmbiguousOutcomeError",
    "Client",
    "AsyncClient",
    "Sandbox",
    "Message",
    "Sms",
    "Lookup",
    "Account",
    "CountryPrice",
    "Verify",
    "ItemResult",
    "Progress",
    "Campaign",
    "AsyncCampaign",
    "SmsIterator",
    "LookupIterator",
    "AsyncSmsIterator",
    "AsyncLookupIterator",
    "Analysis",
    "DeliveryReport",
    "DeliveryTracker",
    "segments",
    "smart_encode",
    "parse_dlr",
    "parse_smpp_receipt",
    "_error_class",
    "_error_codes",
    "_delivery_report_from_json",
    "_delivery_tracker_from_json",
    "_analysis_from_json",
    "_entity_from_raw",
    "_item_result",
    "_progress",
    "__version__",
    "DEFAULT_BASE_URL",
]

__version__: str
DEFAULT_BASE_URL: str

# Type-only aliases (absent at runtime; allowlisted for stubtest): import them under
# `if TYPE_CHECKING:` to annotate your own code.

JSON = Any

class DocumentedResponse(TypedDict):
    response_code: int
    response_body: JSON

MessageLike = Union["Message", Dict[str, Any]]
ProgressCallback = Callable[["Progress"], object]

# ---- errors -------------------------------------------------------------------------------

class InstasentError(Exception):
    """Base of every instasent error; each subclass stands for one `code`.

    Attributes:
    - code: stable string such as "RATE_LIMITED"
    - message: the error's text
    - status: the HTTP status, or None
    - fields: per-field messages (`{"to": ["This value is not valid"]}`)
    - body: the raw response body, or None
    - retry_after: seconds to wait (RATE_LIMITED only), or None
    - reset: the rate-limit window's reset, or None
    - maybe_committed: the request may have been carried out anyway
    - client_id: a failed send's clientId, to look the message up by
    - results: the ItemResult of every message sent when the error stopped a send_bulk, else None"""
    # Stable, such as "RATE_LIMITED"; "INVALID_ARGUMENT" on an InstasentError built by hand.
    code: str
    message: str
    status: Optional[int]
    fields: Dict[str, List[str]]
    body: Optional[str]
    retry_after: Optional[float]
    reset: Optional[int]
    maybe_committed: bool
    # For a failed single send: the message's clientId (the caller's or the generated one).
    client_id: Optional[str]
    # The ItemResult of every message that went out when this error stopped a send_bulk (an
    # exception of the caller's own, such as one from on_progress, gets the attribute too); None
    # on any other error.
    results: Optional[List[ItemResult]]

class ValidationError(InstasentError, ValueError):
    """The request breaks the API's field rules: refused by the API (HTTP 400 or 422) or by the
    SDK's own checks before anything was sent. Not retryable: fix the request.

    `code` is "VALIDATION"."""
class AuthenticationError(InstasentError):
    """The token is missing, revoked or malformed (HTTP 401 or 403).

    `code` is "UNAUTHORIZED"."""
class PaymentRequiredError(InstasentError):
    """The account has run out of balance (HTTP 402); nothing more can be sent until it is topped
    up.

    `code` is "PAYMENT_REQUIRED"."""
class NotFoundError(InstasentError):
    """The resource does not exist or is not visible to this token (HTTP 404).

    `code` is "NOT_FOUND"."""
class PayloadTooLargeError(InstasentError):
    """The request is too large (HTTP 413); a bulk request takes at most 100 messages.

    `code` is "PAYLOAD_TOO_LARGE"."""
class RateLimitedError(InstasentError):
    """Rate limited (HTTP 429) beyond the retries; the error says when the window resets.

    `code` is "RATE_LIMITED"."""
class ServerError(InstasentError):
    """The API failed (HTTP 5xx) until the retries were spent. A call that changes something may
    have been carried out: the error says whether it may have been committed.

    `code` is "SERVER"."""
class InstasentTimeoutError(InstasentError, builtins.TimeoutError):
    """The request, or the whole retry budget, took longer than allowed.

    `code` is "TIMEOUT"."""
TimeoutError = InstasentTimeoutError
class TransportError(InstasentError, ConnectionError):
    """The connection could not be made, or broke before anything was sent.

    `code` is "TRANSPORT"."""
class DecodeError(InstasentError, ValueError):
    """An answer or a payload could not be understood (a redirect, which the SDK does not follow,
    included).

    `code` is "DECODE"."""
class InvalidArgumentError(InstasentError, ValueError):
    """An argument is unusable; nothing was sent.

    `code` is "INVALID_ARGUMENT"."""
class AmbiguousOutcomeError(InstasentError):
    """A send went out and no answer settled it: the message may have been accepted. Look it up by
    the error's clientId before sending it again.

    `code` is "AMBIGUOUS_OUTCOME"."""

# Test-suite helpers (private, but in the module's __all__): the class an error code maps to,
# and every stable error code of the core.
def _error_class(code: str) -> Type[InstasentError]: ...
def _error_codes() -> List[str]: ...
def _delivery_report_from_json(json: str) -> DeliveryReport: ...
def _delivery_tracker_from_json(json: str) -> DeliveryTracker: ...
def _analysis_from_json(json: str) -> Analysis: ...

# Unpickling helpers of the typed results (their __reduce__ names them).
def _entity_from_raw(class_name: str, raw: Dict[str, JSON]) -> Union[Sms, Lookup, Account, CountryPrice, Verify]: ...
def _item_result(
    index: int,
    status: str,
    id: Optional[str],
    client_id: Optional[str],
    accepted_earlier: bool,
    fields: Optional[Dict[str, List[str]]],
    stage: Optional[str],
    error_code: Optional[str],
    message: Optional[str],
) -> ItemResult: ...
def _progress(
    read: int, accepted: int, rejected: int, failed: int, requests: int, elapsed_secs: float
) -> Progress: ...

# ---- typed results ------------------------------------------------------------------------

@final
class Message:
    """One message to send: `instasent.Message(sender, to, text, client_id=None,
    allow_unicode=False)`. A value: equal messages compare equal and hash alike, and it pickles
    (queues such as RQ and `multiprocessing` pickle what they carry)."""
    def __new__(
        cls,
        sender: str,
        to: str,
        text: str,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Message: ...
    @property
    def sender(self) -> str:
        """Sender ID: up to 11 letters and digits, or up to 14 digits (the API's `from`)."""
    @property
    def to(self) -> str:
        """Destination in E.164 (`+34600000000`)."""
    @property
    def text(self) -> str:
        """The message body."""
    @property
    def client_id(self) -> Optional[str]:
        """Your reference (up to 40 characters, unique per SMS), or None: one is generated when the
        message is sent."""
    @property
    def allow_unicode(self) -> bool:
        """Whether a text with characters outside GSM-7 may travel as UCS-2."""

@final
class Sms:
    """A message as the API returns it."""
    @property
    def id(self) -> str:
        """Instasent's message id, the key its delivery reports carry. Empty when `status` is
        `"accepted_earlier"`: an earlier attempt was accepted and its id could not be read back
        (`find_message(client_id)` finds it)."""
    @property
    def client_id(self) -> Optional[str]:
        """The `clientId` the message was sent with."""
    @property
    def sender(self) -> str:
        """Sender ID (the API's `from`)."""
    @property
    def to(self) -> str:
        """Destination number, E.164."""
    @property
    def text(self) -> str:
        """The message body."""
    @property
    def status(self) -> Optional[str]:
        """Latest status as the API reports it; `"accepted_earlier"` when a retried send found the
        message accepted by an earlier attempt."""
    @property
    def encoding(self) -> Optional[str]:
        """`"GSM-7"` or `"UCS-2"`."""
    @property
    def segments(self) -> Optional[int]:
        """Segments the message travels in and is charged for; None when the answer left it out."""
    @property
    def price(self) -> Optional[float]:
        """What the message cost, in the account's currency; None when the answer left it out."""
    @property
    def country(self) -> Optional[str]:
        """Destination country, ISO 3166-1 alpha-2."""
    @property
    def created_at(self) -> Optional[str]:
        """When the API accepted the message (ISO 8601, as the API writes it)."""
    @property
    def raw(self) -> Dict[str, JSON]:
        """The entity as the API sent it, as a dict: every field, including ones this SDK does not
        name yet."""

@final
class Lookup:
    """An HLR lookup."""
    @property
    def id(self) -> str:
        """Instasent's lookup id (for `lookup_by_id`)."""
    @property
    def to(self) -> str:
        """The number looked up, E.164."""
    @property
    def status(self) -> Optional[str]:
        """`"valid"`, `"invalid"` or `"unknown"`."""
    @property
    def country(self) -> Optional[str]:
        """Country of the number, ISO 3166-1 alpha-2, when known."""
    @property
    def network(self) -> Optional[str]:
        """Name of the mobile network the number is on, when known."""
    @property
    def mcc(self) -> Optional[str]:
        """Mobile country code of that network, when known."""
    @property
    def mnc(self) -> Optional[str]:
        """Mobile network code of that network, when known."""
    @property
    def ported(self) -> Optional[bool]:
        """Whether the number was ported away from its original network, when known."""
    @property
    def created_at(self) -> Optional[str]:
        """When the lookup was made (ISO 8601, as the API writes it)."""
    @property
    def raw(self) -> Dict[str, JSON]:
        """The entity as the API sent it, as a dict: every field, including ones this SDK does not
        name yet."""

@final
class Account:
    """The account balance."""
    @property
    def available(self) -> float:
        """Balance available for sending, in `currency`."""
    @property
    def currency(self) -> str:
        """ISO 4217 code of the balance (`"EUR"`)."""
    @property
    def raw(self) -> Dict[str, JSON]:
        """The entity as the API sent it, as a dict: every field, including ones this SDK does not
        name yet."""

@final
class CountryPrice:
    """One country of a price profile."""
    @property
    def country(self) -> str:
        """ISO 3166-1 alpha-2 code of the country."""
    @property
    def prefix(self) -> str:
        """Dialling prefix without `+` (`"34"`)."""
    @property
    def price(self) -> float:
        """Price of one SMS segment (or one lookup), in `currency`."""
    @property
    def currency(self) -> str:
        """ISO 4217 code of `price`."""
    @property
    def raw(self) -> Dict[str, JSON]:
        """The entity as the API sent it, as a dict: every field, including ones this SDK does not
        name yet."""

@final
class Verify:
    """A verification."""
    @property
    def id(self) -> str:
        """Instasent's verification id (for `verify` and `verification`)."""
    @property
    def status(self) -> str:
        """`"pending"`, `"verified"` (the right code was checked), `"failed"` or `"expired"`."""
    @property
    def to(self) -> str:
        """The number the code was sent to, E.164."""
    @property
    def client_id(self) -> Optional[str]:
        """The `clientId` the request was sent with."""
    @property
    def expires_at(self) -> Optional[str]:
        """When the code stops being accepted (ISO 8601, as the API writes it)."""
    @property
    def attempts(self) -> Optional[int]:
        """Codes checked so far, when the API reports it."""
    @property
    def raw(self) -> Dict[str, JSON]:
        """The entity as the API sent it, as a dict: every field, including ones this SDK does not
        name yet."""

@final
class ItemResult:
    """The fate of one input of a bulk send: `status` is `"accepted"`, `"rejected"` or `"failed"`."""
    @property
    def index(self) -> int:
        """Position of the input in the iterable it came from, from 0."""
    @property
    def status(self) -> str:
        """`"accepted"`, `"rejected"` (by a local check or by the API; see `stage` and `fields`) or
        `"failed"` (its request failed as a whole; see `error_code`)."""
    @property
    def ok(self) -> bool:
        """True when the input was accepted."""
    @property
    def id(self) -> Optional[str]:
        """Instasent's message id of an accepted input; None otherwise, and for an
        `accepted_earlier` one."""
    @property
    def client_id(self) -> Optional[str]:
        """The `clientId` the input carried, yours or generated. After a failed `AMBIGUOUS_OUTCOME`,
        look the message up by it (`find_message`) before sending it again."""
    @property
    def accepted_earlier(self) -> bool:
        """True when a retry (or a re-run with `resume=True`) was refused as "clientId already
        used": an earlier request had been accepted."""
    @property
    def fields(self) -> Dict[str, List[str]]:
        """Per-field messages of a rejected input (`{}` otherwise)."""
    @property
    def stage(self) -> Optional[str]:
        """`"local"` or `"server"` for a rejected input."""
    @property
    def error_code(self) -> Optional[str]:
        """The error code of a failed input: the `code` of the `InstasentError` its request met
        (`"PAYMENT_REQUIRED"`, `"AMBIGUOUS_OUTCOME"`, …)."""
    @property
    def message(self) -> Optional[str]:
        """The error message of a failed input."""

@final
class Progress:
    """Running totals of a bulk send, passed to `on_progress`."""
    @property
    def read(self) -> int:
        """Inputs read so far."""
    @property
    def accepted(self) -> int:
        """Inputs the API accepted, `accepted_earlier` ones included."""
    @property
    def rejected(self) -> int:
        """Inputs rejected, by the local checks or by the API."""
    @property
    def failed(self) -> int:
        """Inputs whose request failed as a whole, or that were not sent once a 401 or 402 halted
        the campaign."""
    @property
    def requests(self) -> int:
        """Bulk requests answered (and batches failed unsent after a 401 or 402)."""
    @property
    def elapsed_secs(self) -> float:
        """Seconds since the send started."""
    @property
    def done(self) -> int:
        """Inputs settled so far: `accepted + rejected + failed`."""

@final
class SmsIterator(Iterator[Sms]):
    """Iterator of `Sms` over every page of `GET /sms`."""
    def __iter__(self) -> "SmsIterator": ...
    def __next__(self) -> Sms: ...

@final
class LookupIterator(Iterator[Lookup]):
    """Iterator of `Lookup` over every page of `GET /lookup`."""
    def __iter__(self) -> "LookupIterator": ...
    def __next__(self) -> Lookup: ...

@final
class Campaign(Iterator[ItemResult]):
    """`Client.campaign`: an iterator of `ItemResult`s in input order, each with its input `index`.
    Memory stays flat however many messages go through: inputs are read only as fast as the API
    answers, and results are handed out as they come."""
    def __iter__(self) -> "Campaign": ...
    def __next__(self) -> ItemResult: ...
    def stop(self) -> None:
        """Reads no more input: the messages already sent still settle and are yielded, then the
        iteration ends. Inputs read but not yet sent are dropped unsent. Safe to call from
        another thread. Does nothing in a forked child, where nothing of the campaign runs."""

@final
class AsyncCampaign(AsyncIterator[ItemResult]):
    """`AsyncClient.campaign`: `Client.campaign` for `async for`. The iterable is read, and the
    settling waited for, on a worker thread of the core's runtime, so the event loop never
    blocks; `on_progress` runs on the event loop, and what it raises stops the campaign as in
    `Campaign`. Results already settled are handed out without a trip through the loop."""
    def __aiter__(self) -> "AsyncCampaign": ...
    def __anext__(self) -> Awaitable[ItemResult]: ...
    def stop(self) -> None:
        """Reads no more input: the messages already sent still settle and are yielded. Safe to call
        from another thread. Does nothing in a forked child, where nothing of the campaign runs."""

@final
class AsyncSmsIterator(AsyncIterator[Sms]):
    """Async iterator of `Sms` (`async for sms in client.iter_sms()`)."""
    def __aiter__(self) -> "AsyncSmsIterator": ...
    def __anext__(self) -> Coroutine[Any, Any, Sms]: ...

@final
class AsyncLookupIterator(AsyncIterator[Lookup]):
    """Async iterator of `Lookup`."""
    def __aiter__(self) -> "AsyncLookupIterator": ...
    def __anext__(self) -> Coroutine[Any, Any, Lookup]: ...

# ---- clients ------------------------------------------------------------------------------

@final
class Client:
    """Blocking client of the Instasent Transactional API. Safe to share between threads; usable in
    a child process after `os.fork()` (it reconnects on the child's own runtime). Every call
    releases the GIL while it waits.

    Two forms of every endpoint. The documented methods of Instasent's SDKs (`send_sms`,
    `get_sms`, `do_lookup`, …) return `{"response_code": int, "response_body": ...}` for any HTTP
    answer, errors included, and raise only when no answer came (`TimeoutError`,
    `TransportError`), when an attempt went out and no answer settled it
    (`AmbiguousOutcomeError`, with the `client_id` to look up) or when a local check refuses the
    call before anything is sent (`ValidationError`, `InvalidArgumentError`). The typed methods
    (`send`, `message`, `lookup`, …) return objects and raise an `InstasentError` subclass on any
    failure. `send_bulk` and `campaign` send any number of messages.

    Ctrl-C reaches a call while it waits. A send, verify or `send_bulk_sms` it interrupts once
    the request may have gone out says so on its `KeyboardInterrupt`: a note, and the clientIds
    that make sending again safe (`client_id`; `client_ids` for `send_bulk_sms`, in input order),
    drawn by the SDK where none was given.

    `Client(token, **options)`, every option by keyword:
    - base_url: default `$INSTASENT_BASE_URL`, then `https://api.instasent.com/transactional/v1`
    - timeout: seconds one HTTP attempt may take (default 30)
    - connect_timeout: seconds to open a connection (default 10)
    - max_retries: retries after the first attempt (default 5; 0 disables retrying)
    - concurrency: bulk requests in flight at once in `send_bulk` and `campaign` (default 8)
    - user_agent: put before the SDK's own user agent
    - token_in_query: send the token as `?access_token=` instead of `Authorization: Bearer`
    - allow_insecure_http: allow plain `http://` to hosts other than this machine
    - pacing: wait for the `X-RateLimit-*` window instead of running into a 429 (default True)"""
    # Runtime signature `(token, **options)`; an option given as None keeps its default.
    def __new__(
        cls,
        token: str,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        user_agent: Optional[str] = None,
        token_in_query: Optional[bool] = None,
        allow_insecure_http: Optional[bool] = None,
        pacing: Optional[bool] = None,
    ) -> Client: ...
    @property
    def base_url(self) -> str:
        """The API base URL this client sends to."""
    @property
    def rate_limit(self) -> Optional[Dict[str, int]]:
        """The latest `X-RateLimit-*` window: `{"limit", "remaining", "reset"}` or None."""
    # documented surface
    def send_sms(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> DocumentedResponse:
        """`POST /sms`: `text` from `sender` (up to 11 letters and digits, or 14 digits) to `to`
        (E.164), GSM-7 only. Documented form (see `Client`). Every retry reuses `client_id` (one
        is generated when None), so the API never takes the message twice; `send` is the typed
        form."""
    def send_sms_unicode(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> DocumentedResponse:
        """Like `send_sms`, with `allowUnicode`: a text with characters outside GSM-7 travels as
        UCS-2 (70 characters in one segment instead of 160; `instasent.segments` shows how)."""
    def send_bulk_sms(self, messages: Iterable[MessageLike]) -> DocumentedResponse:
        """One raw `POST /sms/bulk` of the given messages (dicts or `Message`s)."""
    def get_sms(self, page: int = 1, per_page: int = 10) -> DocumentedResponse:
        """`GET /sms`: one page of the message history (`per_page` 1 to 100). Documented form (see
        `Client`); `messages` and `iter_sms` are the typed forms."""
    @overload
    def get_sms_by_id(self, message_id: str) -> DocumentedResponse:
        """`GET /sms/{id}`: one message by its Instasent id (`message_id`, or `id=` by keyword).
        Documented form (see `Client`): an unknown id is `response_code` 404; `message` is the
        typed form."""
    @overload
    def get_sms_by_id(self, *, id: str) -> DocumentedResponse: ...
    def do_lookup(self, to: str) -> DocumentedResponse:
        """`POST /lookup`: HLR lookup of `to` (E.164). Charged per lookup, so it is retried only
        when it certainly was not carried out. Documented form (see `Client`); `lookup` is the
        typed form."""
    def get_lookup_by_id(self, id: str) -> DocumentedResponse:
        """`GET /lookup/{id}`: one earlier lookup. Documented form (see `Client`); `lookup_by_id` is
        the typed form."""
    def get_lookups(self, page: int = 1, per_page: int = 10) -> DocumentedResponse:
        """`GET /lookup`: one page of the lookups made (`per_page` 1 to 100). Documented form (see
        `Client`); `iter_lookups` is the typed form."""
    def get_account_balance(self) -> DocumentedResponse:
        """`GET /organization/account`: the available balance and its currency. Documented form (see
        `Client`); `account` is the typed form."""
    def get_sms_price_profile(self) -> DocumentedResponse:
        """`GET /sms/price-profile/me/countries`: the price of one SMS segment per destination
        country. Documented form (see `Client`); `sms_prices` is the typed form."""
    def get_lookup_price_profile(self) -> DocumentedResponse:
        """`GET /lookup/price-profile/me/countries`: the price of one lookup per country. Documented
        form (see `Client`); `lookup_prices` is the typed form."""
    def request_verify(
        self,
        sender: str,
        to: str,
        text: str,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> DocumentedResponse:
        """`POST /verify`: texts a code of `token_length` digits from `sender` to `to`, valid for
        `timeout` seconds; `text` must contain `%token%`, where the code goes. Documented form
        (see `Client`). Retried only when the request certainly was not carried out (a repeat
        would text a second code); `start_verify` is the typed form."""
    def check_verify(self, id: str, token: str) -> DocumentedResponse:
        """`GET /verify/{id}?token=`: checks the code the user typed; the body's `entity.status` is
        `"verified"` when it matched. Documented form (see `Client`); `verify` is the typed form."""
    def get_verify_by_id(self, id: str) -> DocumentedResponse:
        """`GET /verify/{id}`: one verification. Documented form (see `Client`); `verification` is
        the typed form."""
    def get_verify(self, page: int = 1, per_page: int = 10) -> DocumentedResponse:
        """`GET /verify`: one page of the verifications (`per_page` 1 to 100). Documented form (see
        `Client`)."""
    # typed surface
    def send(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Sms:
        """`POST /sms` → `Sms`; raises an `InstasentError` subclass on any failure."""
    def message(self, id: str) -> Sms:
        """`GET /sms/{id}` → `Sms`; an unknown id raises `NotFoundError`."""
    # The message sent with client_id, or None when the history has none: how to settle an
    # AmbiguousOutcomeError before sending again. Reads the history page by page (the API has
    # no filter by clientId).
    def find_message(self, client_id: str) -> Optional[Sms]:
        """The message sent with `client_id`, or None when the history has none: how to settle an
        `AmbiguousOutcomeError` before sending again. Reads the history page by page (the API has
        no filter by clientId)."""
    def messages(self, page: int = 1, per_page: int = 10) -> List[Sms]:
        """`GET /sms` → one page of the history as a list of `Sms` (`per_page` 1 to 100); `iter_sms`
        reads every page."""
    def iter_sms(self, per_page: int = 100) -> SmsIterator:
        """Every message of the history, fetched `per_page` at a time as you iterate."""
    def lookup(self, to: str) -> Lookup:
        """`POST /lookup` → `Lookup`: HLR lookup of `to` (E.164). Charged per lookup, so it is
        retried only when it certainly was not carried out."""
    def lookup_by_id(self, id: str) -> Lookup:
        """`GET /lookup/{id}` → `Lookup`; an unknown id raises `NotFoundError`."""
    def iter_lookups(self, per_page: int = 100) -> LookupIterator:
        """Every lookup, fetched `per_page` at a time as you iterate."""
    def account(self) -> Account:
        """`GET /organization/account` → `Account` (`available`, `currency`)."""
    def sms_prices(self) -> List[CountryPrice]:
        """The SMS price profile → a list of `CountryPrice`, the price of one segment per
        destination country."""
    def lookup_prices(self) -> List[CountryPrice]:
        """The lookup price profile → a list of `CountryPrice`, the price of one lookup per country."""
    def start_verify(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Verify:
        """`POST /verify` → `Verify`: texts a code of `token_length` digits, valid for `timeout`
        seconds; `text` must contain `%token%`, where the code goes. Retried only when the
        request certainly was not carried out (a repeat would text a second code)."""
    def verify(self, id: str, token: str) -> Verify:
        """Checks a code; the returned `Verify.status` is `"verified"` when it matched."""
    def verification(self, id: str) -> Verify:
        """`GET /verify/{id}` → `Verify`; an unknown id raises `NotFoundError`."""
    def send_bulk(
        self,
        messages: Iterable[MessageLike],
        *,
        concurrency: Optional[int] = None,
        batch_size: int = 100,
        on_progress: Optional[ProgressCallback] = None,
        resume: bool = False,
        validate: bool = True,
    ) -> List[ItemResult]:
        """Sends any number of messages in bulk requests of `batch_size` (≤ 100), `concurrency` at a
        time; returns one `ItemResult` per input, in input order. The iterable is read lazily, so
        memory stays bounded by the batches in flight. If the iterable raises, an item is not a
        message, `on_progress` raises or Ctrl-C arrives, nothing more is sent, the batches in
        flight settle, and the exception's `results` holds the `ItemResult` of every message sent
        so far (record them; re-run with the same clientIds and `resume=True`)."""
    def campaign(
        self,
        messages: Iterable[MessageLike],
        *,
        concurrency: Optional[int] = None,
        batch_size: int = 100,
        on_progress: Optional[ProgressCallback] = None,
        resume: bool = False,
        validate: bool = True,
    ) -> Campaign:
        """Like `send_bulk`, streamed: an iterator of `ItemResult`s in input order (each with its
        `index`; a result waits until every earlier input's has settled), for campaigns too large
        to hold every result at once. Inputs are read only as fast as the API answers, and at
        most a few batches ahead of the results taken. When the iterable raises, an item is not a
        message, `on_progress` raises or Ctrl-C arrives, nothing more is sent; the results of the
        batches in flight are still yielded, and then the exception is raised. `stop()` ends it
        early the same way, without an exception. Leaving the loop early sends nothing more;
        batches in flight then finish unreported."""

@final
class AsyncClient:
    """Async client: every method of `Client`, each returning a coroutine (nothing is sent until it
    is awaited); calls run concurrently on the core runtime, never blocking the event loop.
    `AsyncClient(token, **options)` takes `Client`'s options.

    A send or verify cancelled while in flight (a task cancelled, `asyncio.wait_for` or
    `asyncio.timeout` running out) may still have reached the API. Its `CancelledError` says so
    in a note and carries the `clientId` it went with as `client_id` (drawn by the SDK when none
    was given; a `send_bulk_sms` carries `client_ids`, in input order); `asyncio.wait_for` and
    `asyncio.timeout` raise `TimeoutError` from it, so there it is `error.__cause__.client_id`.
    (Python 3.10's asyncio raises a fresh `CancelledError` for a cancelled task, with this one as
    its `__context__`.) `find_message(client_id)` then tells whether the message went out.
    Sending it again with the same `client_id` can never deliver it twice: the API refuses the
    second one (`ValidationError`, "clientId: This value is already used")."""
    # Runtime signature `(token, **options)`; an option given as None keeps its default.
    def __new__(
        cls,
        token: str,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        user_agent: Optional[str] = None,
        token_in_query: Optional[bool] = None,
        allow_insecure_http: Optional[bool] = None,
        pacing: Optional[bool] = None,
    ) -> AsyncClient: ...
    @property
    def base_url(self) -> str:
        """The API base URL this client sends to."""
    @property
    def rate_limit(self) -> Optional[Dict[str, int]]:
        """The latest `X-RateLimit-*` window: `{"limit", "remaining", "reset"}` or None."""
    def send_sms(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.send_sms` as a coroutine: the same arguments, result and errors."""
    def send_sms_unicode(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.send_sms_unicode` as a coroutine: the same arguments, result and errors."""
    def send_bulk_sms(self, messages: Iterable[MessageLike]) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.send_bulk_sms` as a coroutine: the same arguments, result and errors."""
    def get_sms(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_sms` as a coroutine: the same arguments, result and errors."""
    @overload
    def get_sms_by_id(self, message_id: str) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_sms_by_id` as a coroutine: the same arguments, result and errors."""
    @overload
    def get_sms_by_id(self, *, id: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def do_lookup(self, to: str) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.do_lookup` as a coroutine: the same arguments, result and errors."""
    def get_lookup_by_id(self, id: str) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_lookup_by_id` as a coroutine: the same arguments, result and errors."""
    def get_lookups(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_lookups` as a coroutine: the same arguments, result and errors."""
    def get_account_balance(self) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_account_balance` as a coroutine: the same arguments, result and errors."""
    def get_sms_price_profile(self) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_sms_price_profile` as a coroutine: the same arguments, result and errors."""
    def get_lookup_price_profile(self) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_lookup_price_profile` as a coroutine: the same arguments, result and errors."""
    def request_verify(
        self,
        sender: str,
        to: str,
        text: str,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.request_verify` as a coroutine: the same arguments, result and errors."""
    def check_verify(self, id: str, token: str) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.check_verify` as a coroutine: the same arguments, result and errors."""
    def get_verify_by_id(self, id: str) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_verify_by_id` as a coroutine: the same arguments, result and errors."""
    def get_verify(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]:
        """`Client.get_verify` as a coroutine: the same arguments, result and errors."""
    def send(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Coroutine[Any, Any, Sms]:
        """`Client.send` as a coroutine: the same arguments, result and errors."""
    def message(self, id: str) -> Coroutine[Any, Any, Sms]:
        """`Client.message` as a coroutine: the same arguments, result and errors."""
    def find_message(self, client_id: str) -> Coroutine[Any, Any, Optional[Sms]]:
        """`Client.find_message` as a coroutine: the same arguments, result and errors."""
    def messages(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, List[Sms]]:
        """`Client.messages` as a coroutine: the same arguments, result and errors."""
    def iter_sms(self, per_page: int = 100) -> AsyncSmsIterator:
        """Every message of the history for `async for`, fetched `per_page` at a time as you
        iterate."""
    def lookup(self, to: str) -> Coroutine[Any, Any, Lookup]:
        """`Client.lookup` as a coroutine: the same arguments, result and errors."""
    def lookup_by_id(self, id: str) -> Coroutine[Any, Any, Lookup]:
        """`Client.lookup_by_id` as a coroutine: the same arguments, result and errors."""
    def iter_lookups(self, per_page: int = 100) -> AsyncLookupIterator:
        """Every lookup for `async for`, fetched `per_page` at a time as you iterate."""
    def account(self) -> Coroutine[Any, Any, Account]:
        """`Client.account` as a coroutine: the same arguments, result and errors."""
    def sms_prices(self) -> Coroutine[Any, Any, List[CountryPrice]]:
        """`Client.sms_prices` as a coroutine: the same arguments, result and errors."""
    def lookup_prices(self) -> Coroutine[Any, Any, List[CountryPrice]]:
        """`Client.lookup_prices` as a coroutine: the same arguments, result and errors."""
    def start_verify(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Coroutine[Any, Any, Verify]:
        """`Client.start_verify` as a coroutine: the same arguments, result and errors."""
    def verify(self, id: str, token: str) -> Coroutine[Any, Any, Verify]:
        """`Client.verify` as a coroutine: the same arguments, result and errors."""
    def verification(self, id: str) -> Coroutine[Any, Any, Verify]:
        """`Client.verification` as a coroutine: the same arguments, result and errors."""
    def send_bulk(
        self,
        messages: Union[Iterable[MessageLike], AsyncIterable[MessageLike]],
        *,
        concurrency: Optional[int] = None,
        batch_size: int = 100,
        on_progress: Optional[ProgressCallback] = None,
        resume: bool = False,
        validate: bool = True,
    ) -> Coroutine[Any, Any, List[ItemResult]]:
        """Like `Client.send_bulk`, as an awaitable. The iterable is read and checked up front (in
        the calling thread; an async iterable on the event loop, before anything is sent);
        `on_progress` runs on the event loop, and what it raises stops the campaign as with
        `Client.send_bulk` (the exception's `results` lists what was sent)."""
    def campaign(
        self,
        messages: Union[Iterable[MessageLike], AsyncIterable[MessageLike]],
        *,
        concurrency: Optional[int] = None,
        batch_size: int = 100,
        on_progress: Optional[ProgressCallback] = None,
        resume: bool = False,
        validate: bool = True,
    ) -> AsyncCampaign:
        """Like `Client.campaign`, for `async for`: results in input order, memory flat. A sync
        iterable is read on a worker thread (the event loop never waits on it); an async one is
        iterated on the event loop, a batch at a time. `on_progress` runs on the event loop; what
        it raises stops the campaign and is raised after the results in flight, as with
        `Client.campaign`."""

# ---- encoding -----------------------------------------------------------------------------

@final
class Analysis:
    """What a text costs as an SMS (`instasent.segments(text)`)."""
    @property
    def encoding(self) -> str:
        """`"GSM-7"` or `"UCS-2"`."""
    @property
    def segments(self) -> int:
        """Short messages the text travels in (and is charged for); an empty text still makes one."""
    @property
    def units(self) -> int:
        """Units the whole text takes: GSM-7 septets (an extension character takes two) or UCS-2
        code units."""
    @property
    def parts(self) -> List[str]:
        """The text of each segment; their concatenation is `text`."""
    @property
    def unicode_chars(self) -> List[str]:
        """Distinct characters, in order of first appearance, that kept the text out of GSM-7."""
    @property
    def text(self) -> str:
        """The text as it travels (after smart encoding, when that applied)."""
    @property
    def single_capacity(self) -> int:
        """Units of one message sent alone (160, 155, 152 or 70)."""
    @property
    def per_part_capacity(self) -> int:
        """Units of each part of a concatenated message (153, 149, 146 or 67)."""
    @property
    def part_units(self) -> List[int]:
        """Units of each part, in order."""
    @property
    def remaining(self) -> int:
        """Units the last segment can still take."""
    @property
    def locking_shift(self) -> Optional[str]:
        """National locking shift table in use (`"spanish"`, `"portuguese"`, `"turkish"`), or None."""
    @property
    def single_shift(self) -> Optional[str]:
        """National single shift table in use, or None."""
    @property
    def smart_applied(self) -> bool:
        """Whether smart encoding changed the text."""
    @property
    def replaced(self) -> List[Tuple[str, str]]:
        """`[(from_char, replacement), ...]` made by smart encoding."""
    def to_dict(self) -> Dict[str, JSON]:
        """The analysis in the core's camelCase JSON form (as in tests/vectors/encoding.json)."""

def segments(text: str, smart: bool = False, shift_table: Optional[str] = None) -> Analysis:
    """Analyses `text` as it would be sent: encoding, segments, units, parts and more. Local:
    nothing is sent. `smart=True` replaces look-alike characters by GSM-7 ones when that makes
    the message cheaper; `shift_table` (`"spanish"`, `"portuguese"` or `"turkish"`) allows that
    national table when it saves segments."""
def smart_encode(text: str) -> str:
    """`text` with look-alike characters replaced by GSM-7 ones where that makes it cheaper."""

# ---- delivery reports ---------------------------------------------------------------------

@final
class DeliveryReport:
    """One delivery report, whatever it arrived as (webhook JSON, SMPP receipt, Insider event). A
    value: equal reports compare equal, and it pickles (a webhook handler often hands its reports
    to a job queue that pickles them, such as RQ or `multiprocessing`)."""
    @property
    def source(self) -> str:
        """`"webhook"`, `"smpp"` or `"insider"`."""
    @property
    def id(self) -> str:
        """The Instasent message id the report is about."""
    @property
    def client_id(self) -> Optional[str]:
        """The `clientId` the message was sent with, when the format carries it (webhook JSON)."""
    @property
    def status(self) -> str:
        """Normalised status (`"delivered"`, `"failed"`, …, `"unknown"`)."""
    @property
    def raw_status(self) -> str:
        """The status exactly as received (`"DELIVRD"`, `"undelivered"`, …)."""
    @property
    def code(self) -> Optional[int]:
        """The error code as received (webhook `code`, SMPP `err`, Insider `reason.code`); 0 is
        "OK"."""
    @property
    def code_meaning(self) -> Optional[str]:
        """The documented meaning of `code`; None for an unknown code."""
    @property
    def event_at(self) -> Optional[str]:
        """When it happened, RFC 3339 UTC."""
    @property
    def event_unix(self) -> Optional[int]:
        """`event_at` as Unix seconds."""
    @property
    def is_final(self) -> bool:
        """True when no further status is expected for this message."""
    @property
    def message(self) -> Optional[str]:
        """Inbound or opt-out text (webhook `message`)."""
    @property
    def to(self) -> Optional[str]:
        """The handset number, where the format carries it (Insider `phoneNumber`)."""
    @property
    def delivered(self) -> Optional[bool]:
        """SMPP `dlvrd`: whether the receipt counts the message as delivered."""
    @property
    def raw(self) -> JSON:
        """The payload as a dict; for an SMPP receipt, its fields as text."""
    def to_dict(self) -> Dict[str, JSON]:
        """The report in the core's camelCase JSON form (as in tests/vectors/dlr.json)."""

def parse_dlr(
    payload: Union[bytes, bytearray, str, Dict[str, Any]],
    format: Optional[str] = None,
) -> DeliveryReport:
    """Parses a delivery report. `payload` is the request body (`bytes`/`str`) or an already decoded
    JSON `dict`. `format` is `"webhook"`, `"smpp"`, `"insider"` or None to auto-detect."""
def parse_smpp_receipt(receipt: Union[bytes, bytearray, str]) -> DeliveryReport:
    """Parses an SMPP `deliver_sm` receipt (`id:… sub:… dlvrd:… … stat:… err:… text:…`)."""

@final
class DeliveryTracker:
    """The latest delivery state per message id; out-of-order and repeated reports are judged by the
    core's rules. Safe to share between threads."""
    def __new__(cls) -> DeliveryTracker: ...
    def record(self, report: DeliveryReport) -> str:
        """Records a report: returns `"applied"`, `"duplicate"` or `"stale"`."""
    def get(self, id: str) -> Optional[DeliveryReport]:
        """The latest report held for `id`, or None."""
    def __len__(self) -> int: ...
    # False for anything that is not a str id, as `in` on a dict would be.
    def __contains__(self, id: object, /) -> bool: ...
    def counts(self) -> Dict[str, int]:
        """Messages per current status: `{"delivered": 3, "sent": 1}`."""
    def remove(self, id: str) -> Optional[DeliveryReport]:
        """Forgets message `id` and returns its latest report, or None when none is held. Once a
        final state is stored elsewhere, a long-running receiver removes it, so the tracker holds
        only what is still in flight."""
    def pending(self) -> List[DeliveryReport]:
        """The latest report of every message still in flight (no final status yet), in id order."""

# ---- sandbox ------------------------------------------------------------------------------

@final
class Sandbox:
    """A local Instasent API on a loopback port, stateful (ledger, balance, verifications, delivery
    reports to a webhook) for your tests. Use it as a context manager; it stops on exit (or on
    `stop()`). `client()` gives a `Client` of it.

    `Sandbox(**options)`, every option by keyword:
    - token: the token requests must carry (default "sandbox-token")
    - require_token: when False, requests without a token are served too (default True)
    - balance: starting balance in EUR (default 1000.0)
    - dlr_delay: seconds between a message's `sent` report and the next one (default 0.05)
    - webhook: URL the delivery reports and inbound messages are POSTed to (default None)
    - faults: dict of `error_rate`, `latency_ms`, `drop_after_commit_rate`, `rate_limit_burst`,
      `seed` (see `set_faults`)
    - limits: dict of `window_secs`, `sms`, `bulk`, `other`: requests allowed per window
    - port: the loopback port (default 0: a free one)"""
    # Runtime signature `(**options)`; defaults token="sandbox-token", balance=1000.0,
    # require_token=True, dlr_delay=0.05, webhook=None, port=0 (free port). `faults` and
    # `limits` must be dicts (snake_case or camelCase keys): None is refused.
    def __new__(
        cls,
        *,
        token: str = ...,
        balance: float = ...,
        require_token: bool = ...,
        dlr_delay: float = ...,
        webhook: Optional[str] = ...,
        faults: Dict[str, Any] = ...,
        limits: Dict[str, Any] = ...,
        port: int = ...,
    ) -> Sandbox: ...
    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/transactional/v1`."""
    @property
    def token(self) -> str:
        """The token the sandbox accepts."""
    @property
    def port(self) -> int:
        """The loopback port it listens on."""
    def messages(self) -> List[Dict[str, JSON]]:
        """The ledger: every accepted message, as dicts in the API's camelCase names."""
    def stats(self) -> Dict[str, JSON]:
        """Counters since start (or `reset()`), in the API's camelCase names: `requests`,
        `acceptedMessages`, `rejectedItems`, `rateLimited`, `injectedErrors`,
        `droppedConnections`, `webhooksSent`, `webhooksFailed`."""
    def faults(self) -> Dict[str, JSON]:
        """The injected faults now in force: `errorRate`, `latencyMs`, `dropAfterCommitRate`,
        `rateLimitBurst` (the 429s still to send) and `seed`."""
    def set_faults(
        self,
        *,
        error_rate: float = ...,
        latency_ms: int = ...,
        drop_after_commit_rate: float = ...,
        rate_limit_burst: int = ...,
        seed: int = ...,
    ) -> None:
        """Replaces the injected faults: `set_faults(error_rate=1.0)`, `latency_ms=…`,
        `drop_after_commit_rate=…`, `rate_limit_burst=…`; omitted ones are cleared."""
    def reset(self) -> None:
        """Clears the ledger, verifications and faults, and restores the balance."""
    def inject_inbound(self, sender: str, to: str, text: str) -> None:
        """Simulates an inbound SMS (delivered to the webhook, when one is set)."""
    def verify_code(self, verify_id: str) -> Optional[str]:
        """The code a verification sent (what the handset would have received)."""
    def client(
        self,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        user_agent: Optional[str] = None,
        token_in_query: Optional[bool] = None,
        allow_insecure_http: Optional[bool] = None,
        pacing: Optional[bool] = None,
    ) -> Client:
        """A `Client` for this sandbox (its base URL and token); options as `Client`'s. The client
        keeps the sandbox running while it lives (until `stop()`)."""
    def stop(self) -> None:
        """Stops the server (idempotent)."""
    def __enter__(self) -> "Sandbox":
        """The sandbox itself; leaving the `with` block stops it."""
    def __exit__(self, *args: object) -> bool:
        """Stops the sandbox (as `stop()`); an exception raised in the block goes on."""
