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

    /** The stable code shared by every instasent binding: "TRANSPORT", "VALIDATION", "DECODE", ... */
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
