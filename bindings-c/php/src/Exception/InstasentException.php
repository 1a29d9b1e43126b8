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

    public function __construct(string $errorCode, string $message, ?int $httpStatus = null, ?string $body = null)
    {
        parent::__construct($message);
        $this->errorCode = $errorCode;
        $this->httpStatus = $httpStatus;
        $this->body = $body;
    }

    /** The stable code shared by every instasent binding: "TRANSPORT", "VALIDATION", "DECODE", ... */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    public function getHttpStatus(): ?int
    {
        return $this->httpStatus;
    }

    public function getBody(): ?string
    {
        return $this->body;
    }
}
