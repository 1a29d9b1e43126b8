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

class ValidationError(InstasentError, ValueError): ...
class AuthenticationError(InstasentError): ...
class PaymentRequiredError(InstasentError): ...
class NotFoundError(InstasentError): ...
class PayloadTooLargeError(InstasentError): ...
class RateLimitedError(InstasentError): ...
class ServerError(InstasentError): ...
class InstasentTimeoutError(InstasentError, builtins.TimeoutError): ...
TimeoutError = InstasentTimeoutError
class TransportError(InstasentError, ConnectionError): ...
class DecodeError(InstasentError, ValueError): ...
class InvalidArgumentError(InstasentError, ValueError): ...
class AmbiguousOutcomeError(InstasentError): ...

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
    def __new__(
        cls,
        sender: str,
        to: str,
        text: str,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Message: ...
    @property
    def sender(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def client_id(self) -> Optional[str]: ...
    @property
    def allow_unicode(self) -> bool: ...

@final
class Sms:
    @property
    def id(self) -> str:
        """The message id; `""` when `status` is `"accepted_earlier"`: a retry found the clientId
        already used, so an earlier attempt was accepted and its id could not be read back
        (look it up by `client_id` in the history)."""
        ...
    @property
    def client_id(self) -> Optional[str]: ...
    @property
    def sender(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def status(self) -> Optional[str]: ...
    @property
    def encoding(self) -> Optional[str]: ...
    @property
    def segments(self) -> Optional[int]: ...
    @property
    def price(self) -> Optional[float]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def created_at(self) -> Optional[str]: ...
    @property
    def raw(self) -> Dict[str, JSON]: ...

@final
class Lookup:
    @property
    def id(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def status(self) -> Optional[str]: ...
    @property
    def country(self) -> Optional[str]: ...
    @property
    def network(self) -> Optional[str]: ...
    @property
    def mcc(self) -> Optional[str]: ...
    @property
    def mnc(self) -> Optional[str]: ...
    @property
    def ported(self) -> Optional[bool]: ...
    @property
    def created_at(self) -> Optional[str]: ...
    @property
    def raw(self) -> Dict[str, JSON]: ...

@final
class Account:
    @property
    def available(self) -> float: ...
    @property
    def currency(self) -> str: ...
    @property
    def raw(self) -> Dict[str, JSON]: ...

@final
class CountryPrice:
    @property
    def country(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def price(self) -> float: ...
    @property
    def currency(self) -> str: ...
    @property
    def raw(self) -> Dict[str, JSON]: ...

@final
class Verify:
    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def client_id(self) -> Optional[str]: ...
    @property
    def expires_at(self) -> Optional[str]: ...
    @property
    def attempts(self) -> Optional[int]: ...
    @property
    def raw(self) -> Dict[str, JSON]: ...

@final
class ItemResult:
    @property
    def index(self) -> int: ...
    @property
    def status(self) -> str:
        """"accepted", "rejected" or "failed"."""
    @property
    def ok(self) -> bool: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def client_id(self) -> Optional[str]: ...
    @property
    def accepted_earlier(self) -> bool: ...
    @property
    def fields(self) -> Dict[str, List[str]]: ...
    @property
    def stage(self) -> Optional[str]:
        """"local" or "server" for a rejected input."""
    @property
    def error_code(self) -> Optional[str]: ...
    @property
    def message(self) -> Optional[str]: ...

@final
class Progress:
    @property
    def read(self) -> int: ...
    @property
    def accepted(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def requests(self) -> int: ...
    @property
    def elapsed_secs(self) -> float: ...
    @property
    def done(self) -> int: ...

@final
class SmsIterator(Iterator[Sms]):
    def __iter__(self) -> "SmsIterator": ...
    def __next__(self) -> Sms: ...

@final
class LookupIterator(Iterator[Lookup]):
    def __iter__(self) -> "LookupIterator": ...
    def __next__(self) -> Lookup: ...

@final
class Campaign(Iterator[ItemResult]):
    """Results of `Client.campaign` in input order, each with its `index`."""
    def __iter__(self) -> "Campaign": ...
    def __next__(self) -> ItemResult: ...
    def stop(self) -> None:
        """Sends no more input; the messages already sent still settle and are yielded.

        Safe from another thread. A batch the iterating thread is reading at that moment is
        finished and dropped unsent."""
        ...

@final
class AsyncCampaign(AsyncIterator[ItemResult]):
    """Results of `AsyncClient.campaign` in input order, each with its `index`."""
    def __aiter__(self) -> "AsyncCampaign": ...
    def __anext__(self) -> Awaitable[ItemResult]: ...
    def stop(self) -> None:
        """Sends no more input; the messages already sent still settle and are yielded.

        Safe from another thread. A batch the iterating thread is reading at that moment is
        finished and dropped unsent."""
        ...

@final
class AsyncSmsIterator(AsyncIterator[Sms]):
    def __aiter__(self) -> "AsyncSmsIterator": ...
    def __anext__(self) -> Coroutine[Any, Any, Sms]: ...

@final
class AsyncLookupIterator(AsyncIterator[Lookup]):
    def __aiter__(self) -> "AsyncLookupIterator": ...
    def __anext__(self) -> Coroutine[Any, Any, Lookup]: ...

# ---- clients ------------------------------------------------------------------------------

@final
class Client:
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
    def base_url(self) -> str: ...
    @property
    def rate_limit(self) -> Optional[Dict[str, int]]: ...
    # documented surface
    def send_sms(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> DocumentedResponse: ...
    def send_sms_unicode(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> DocumentedResponse: ...
    def send_bulk_sms(self, messages: Iterable[MessageLike]) -> DocumentedResponse: ...
    def get_sms(self, page: int = 1, per_page: int = 10) -> DocumentedResponse: ...
    @overload
    def get_sms_by_id(self, message_id: str) -> DocumentedResponse: ...
    @overload
    def get_sms_by_id(self, *, id: str) -> DocumentedResponse: ...
    def do_lookup(self, to: str) -> DocumentedResponse: ...
    def get_lookup_by_id(self, id: str) -> DocumentedResponse: ...
    def get_lookups(self, page: int = 1, per_page: int = 10) -> DocumentedResponse: ...
    def get_account_balance(self) -> DocumentedResponse: ...
    def get_sms_price_profile(self) -> DocumentedResponse: ...
    def get_lookup_price_profile(self) -> DocumentedResponse: ...
    def request_verify(
        self,
        sender: str,
        to: str,
        text: str,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> DocumentedResponse: ...
    def check_verify(self, id: str, token: str) -> DocumentedResponse: ...
    def get_verify_by_id(self, id: str) -> DocumentedResponse: ...
    def get_verify(self, page: int = 1, per_page: int = 10) -> DocumentedResponse: ...
    # typed surface
    def send(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Sms: ...
    def message(self, id: str) -> Sms: ...
    # The message sent with client_id, or None when the history has none: how to settle an
    # AmbiguousOutcomeError before sending again. Reads the history page by page (the API has
    # no filter by clientId).
    def find_message(self, client_id: str) -> Optional[Sms]: ...
    def messages(self, page: int = 1, per_page: int = 10) -> List[Sms]: ...
    def iter_sms(self, per_page: int = 100) -> SmsIterator: ...
    def lookup(self, to: str) -> Lookup: ...
    def lookup_by_id(self, id: str) -> Lookup: ...
    def iter_lookups(self, per_page: int = 100) -> LookupIterator: ...
    def account(self) -> Account: ...
    def sms_prices(self) -> List[CountryPrice]: ...
    def lookup_prices(self) -> List[CountryPrice]: ...
    def start_verify(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Verify: ...
    def verify(self, id: str, token: str) -> Verify: ...
    def verification(self, id: str) -> Verify: ...
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
        """One ItemResult per input, in input order. If it raises mid-campaign (the iterable
        raised, a bad item, on_progress raised, Ctrl-C), nothing more was sent and the
        exception's `results` attribute lists the ItemResult of every message sent."""
        ...
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
        """`send_bulk` streamed: results as they settle, memory flat however many messages.
        If the iterable raises, a bad item, on_progress raises or Ctrl-C, nothing more is sent;
        the results of the batches in flight are still yielded, then the exception is raised."""
        ...

@final
class AsyncClient:
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
    def base_url(self) -> str: ...
    @property
    def rate_limit(self) -> Optional[Dict[str, int]]: ...
    def send_sms(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def send_sms_unicode(self, sender: str, to: str, text: str, client_id: Optional[str] = None) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def send_bulk_sms(self, messages: Iterable[MessageLike]) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_sms(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]: ...
    @overload
    def get_sms_by_id(self, message_id: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    @overload
    def get_sms_by_id(self, *, id: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def do_lookup(self, to: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_lookup_by_id(self, id: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_lookups(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_account_balance(self) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_sms_price_profile(self) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_lookup_price_profile(self) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def request_verify(
        self,
        sender: str,
        to: str,
        text: str,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def check_verify(self, id: str, token: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_verify_by_id(self, id: str) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def get_verify(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, DocumentedResponse]: ...
    def send(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        client_id: Optional[str] = None,
        allow_unicode: bool = False,
    ) -> Coroutine[Any, Any, Sms]: ...
    def message(self, id: str) -> Coroutine[Any, Any, Sms]: ...
    def find_message(self, client_id: str) -> Coroutine[Any, Any, Optional[Sms]]: ...
    def messages(self, page: int = 1, per_page: int = 10) -> Coroutine[Any, Any, List[Sms]]: ...
    def iter_sms(self, per_page: int = 100) -> AsyncSmsIterator: ...
    def lookup(self, to: str) -> Coroutine[Any, Any, Lookup]: ...
    def lookup_by_id(self, id: str) -> Coroutine[Any, Any, Lookup]: ...
    def iter_lookups(self, per_page: int = 100) -> AsyncLookupIterator: ...
    def account(self) -> Coroutine[Any, Any, Account]: ...
    def sms_prices(self) -> Coroutine[Any, Any, List[CountryPrice]]: ...
    def lookup_prices(self) -> Coroutine[Any, Any, List[CountryPrice]]: ...
    def start_verify(
        self,
        sender: str,
        to: str,
        text: str,
        *,
        token_length: int = 6,
        timeout: int = 300,
        client_id: Optional[str] = None,
    ) -> Coroutine[Any, Any, Verify]: ...
    def verify(self, id: str, token: str) -> Coroutine[Any, Any, Verify]: ...
    def verification(self, id: str) -> Coroutine[Any, Any, Verify]: ...
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
        """`Client.send_bulk` as an awaitable; the iterable (an async one too) is read and
        checked up front.
        on_progress runs on the event loop. If the campaign stops (on_progress raised), nothing
        more was sent and the exception's `results` lists the ItemResult of every message sent;
        cancelling the awaitable also sends nothing more."""
        ...
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
        """`Client.campaign` for `async for`. A sync iterable is read on a worker thread, an
        async one (e.g. an async generator) on the event loop, a batch at a time; on_progress
        runs on the event loop. If the iterable raises, a bad item or on_progress raises,
        nothing more is sent; the results of the batches in flight are still yielded, then the
        exception is raised."""
        ...

# ---- encoding -----------------------------------------------------------------------------

@final
class Analysis:
    @property
    def encoding(self) -> str:
        """"GSM-7" or "UCS-2"."""
    @property
    def segments(self) -> int: ...
    @property
    def units(self) -> int: ...
    @property
    def parts(self) -> List[str]: ...
    @property
    def unicode_chars(self) -> List[str]: ...
    @property
    def text(self) -> str: ...
    @property
    def single_capacity(self) -> int: ...
    @property
    def per_part_capacity(self) -> int: ...
    @property
    def part_units(self) -> List[int]: ...
    @property
    def remaining(self) -> int: ...
    @property
    def locking_shift(self) -> Optional[str]: ...
    @property
    def single_shift(self) -> Optional[str]: ...
    @property
    def smart_applied(self) -> bool: ...
    @property
    def replaced(self) -> List[Tuple[str, str]]: ...
    def to_dict(self) -> Dict[str, JSON]: ...

def segments(text: str, smart: bool = False, shift_table: Optional[str] = None) -> Analysis: ...
def smart_encode(text: str) -> str: ...

# ---- delivery reports ---------------------------------------------------------------------

@final
class DeliveryReport:
    @property
    def source(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def client_id(self) -> Optional[str]: ...
    @property
    def status(self) -> str: ...
    @property
    def raw_status(self) -> str: ...
    @property
    def code(self) -> Optional[int]: ...
    @property
    def code_meaning(self) -> Optional[str]: ...
    @property
    def event_at(self) -> Optional[str]: ...
    @property
    def event_unix(self) -> Optional[int]: ...
    @property
    def is_final(self) -> bool: ...
    @property
    def message(self) -> Optional[str]: ...
    @property
    def to(self) -> Optional[str]: ...
    @property
    def delivered(self) -> Optional[bool]: ...
    @property
    def raw(self) -> JSON: ...
    def to_dict(self) -> Dict[str, JSON]: ...

def parse_dlr(
    payload: Union[bytes, bytearray, str, Dict[str, Any]],
    format: Optional[str] = None,
) -> DeliveryReport: ...
def parse_smpp_receipt(receipt: Union[bytes, bytearray, str]) -> DeliveryReport: ...

@final
class DeliveryTracker:
    def __new__(cls) -> DeliveryTracker: ...
    def record(self, report: DeliveryReport) -> str:
        """"applied", "duplicate" or "stale"."""
    def get(self, id: str) -> Optional[DeliveryReport]: ...
    def __len__(self) -> int: ...
    # False for anything that is not a str id, as `in` on a dict would be.
    def __contains__(self, id: object, /) -> bool: ...
    def counts(self) -> Dict[str, int]: ...
    def remove(self, id: str) -> Optional[DeliveryReport]:
        """Forgets a message (once its final state is stored elsewhere) and returns its latest
        report, or None when none is held."""
    def pending(self) -> List[DeliveryReport]:
        """The latest report of every message still in flight, in id order."""

# ---- sandbox ------------------------------------------------------------------------------

@final
class Sandbox:
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
    def base_url(self) -> str: ...
    @property
    def token(self) -> str: ...
    @property
    def port(self) -> int: ...
    def messages(self) -> List[Dict[str, JSON]]: ...
    def stats(self) -> Dict[str, JSON]: ...
    def faults(self) -> Dict[str, JSON]: ...
    def set_faults(
        self,
        *,
        error_rate: float = ...,
        latency_ms: int = ...,
        drop_after_commit_rate: float = ...,
        rate_limit_burst: int = ...,
        seed: int = ...,
    ) -> None: ...
    def reset(self) -> None: ...
    def inject_inbound(self, sender: str, to: str, text: str) -> None: ...
    def verify_code(self, verify_id: str) -> Optional[str]: ...
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
    ) -> Client: ...
    def stop(self) -> None: ...
    def __enter__(self) -> "Sandbox": ...
    def __exit__(self, *args: object) -> bool: ...
