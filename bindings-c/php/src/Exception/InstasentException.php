<?php

namespace Instasent\Exception;

/**
 * A call that failed without an HTTP response (transport, timeout, invalid argument, local
 * validation, unparsable payload). HTTP error statuses are not exceptions: they come back as
 * `['response_code' => 4xx/5xx, 'response_body' => ...]`, as in Instasent's own library.
 */
class InstasentException extends \RuntimeException
{
    /** @var string */
    private $errorCode;
    /** @var int|null */
    private $httpStatus;
    /** @var string|null */
    private $body;
    /** @var string|null */
    private $clientId;
    /** @var bool */
    private $maybeCommitted;
    /** @var float|null */
    private $retryAfter;
    /** @var array<string, list<string>> */
    private $fields;

    /**
     * @param array<string, list<string>> $fields
     */
    public function __construct(
        string $errorCode,
        string $message,
        ?int $httpStatus = null,
        ?string $body = null,
        ?string $clientId = null,
        bool $maybeCommitted = false,
        ?float $retryAfter = null,
        array $fields = []
    ) {
        parent::__construct($message);
        $this->errorCode = $errorCode;
        $this->httpStatus = $httpStatus;
        $this->body = $body;
        $this->clientId = $clientId;
        $this->maybeCommitted = $maybeCommitted;
        $this->retryAfter = $retryAfter;
        $this->fields = $fields;
    }

    /**
     * The stable code shared by every instasent binding; branch on it. What each one means:
     * - `VALIDATION`: The request breaks the API's field rules: refused by the API (HTTP 400 or
     *   422) or by the SDK's own checks before anything was sent. Not retryable: fix the request.
     * - `UNAUTHORIZED`: The token is missing, revoked or malformed (HTTP 401 or 403).
     * - `PAYMENT_REQUIRED`: The account has run out of balance (HTTP 402); nothing more can be sent
     *   until it is topped up.
     * - `NOT_FOUND`: The resource does not exist or is not visible to this token (HTTP 404).
     * - `PAYLOAD_TOO_LARGE`: The request is too large (HTTP 413); a bulk request takes at most 100
     *   messages.
     * - `RATE_LIMITED`: Rate limited (HTTP 429) beyond the retries; the error says when the window
     *   resets.
     * - `SERVER`: The API failed (HTTP 5xx) until the retries were spent. A call that changes
     *   something may have been carried out: the error says whether it may have been committed.
     * - `TIMEOUT`: The request, or the whole retry budget, took longer than allowed.
     * - `TRANSPORT`: The connection could not be made, or broke before anything was sent.
     * - `DECODE`: An answer or a payload could not be understood (a redirect, which the SDK does
     *   not follow, included).
     * - `INVALID_ARGUMENT`: An argument is unusable; nothing was sent.
     * - `AMBIGUOUS_OUTCOME`: A send went out and no answer settled it: the message may have been
     *   accepted. Look it up by the error's clientId before sending it again.
     * - `INVALID_UTF8`: a string argument was not valid UTF-8.
     * - `NULL_ARGUMENT`: a native handle was already freed (a campaign resumed from a shutdown
     *   function after a fatal error, say).
     * - `PANIC`: a bug inside the library, caught before it could take PHP down with it.
     */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** The HTTP status, when the error came from a response. */
    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    /** The raw response body, when there was one. */
    public function getBody(): ?string
    {
        return $this->body;
    }

    /**
     * For a failed send: the message's clientId (yours, or the one the library generated).
     * After AMBIGUOUS_OUTCOME, look the message up by it before sending it again.
     */
    public function getClientId(): ?string
    {
        return $this->clientId;
    }

    /**
     * The request may have been carried out although the call failed: always for
     * AMBIGUOUS_OUTCOME, and for an error that followed such an attempt.
     */
    public function isMaybeCommitted(): bool
    {
        return $this->maybeCommitted;
    }

    /** Seconds the API asked to wait before trying again, or null. */
    public function getRetryAfter(): ?float
    {
        return $this->retryAfter;
    }

    /**
     * Per-field messages of a local check or the API, e.g. ['to' => ['This value is not valid.']].
     *
     * @return array<string, list<string>>
     */
    public function getFields(): array
    {
        return $this->fields;
    }
}
