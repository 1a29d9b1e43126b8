<?php

namespace Instasent;

use Instasent\Internal\Native;

/**
 * Delivery reports into one shape (camelCase): `source`, `id`, `clientId`, `status`
 * (normalised), `rawStatus`, `code`, `codeMeaning`, `eventAt`, `eventUnix`, `isFinal`,
 * `message`, `to`, `delivered`, `raw`. Unparsable input throws InstasentException "DECODE".
 */
final class Dlr
{
    /** Webhook JSON, Insider callback JSON or SMPP receipt text, detected from the content. */
    public static function parse(string $payload): array
    {
        return self::bytes('instasent_parse_dlr', $payload);
    }

    /** An Instasent DLR webhook body only. */
    public static function parseWebhook(string $payload): array
    {
        return self::bytes('instasent_parse_webhook', $payload);
    }

    /** An Insider SMS status callback only. */
    public static function parseInsiderEvent(string $payload): array
    {
        return self::bytes('instasent_parse_insider_event', $payload);
    }

    /** An SMPP deliver_sm receipt: `id:... sub:... dlvrd:... submit date:... done date:... stat:... err:... text:...`. */
    public static function parseSmppReceipt(string $text): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_delivery_report');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_parse_smpp_receipt(Native::arg($text, Native::param(__METHOD__, 'text')), \FFI::addr($out), \FFI::addr($err)), $err);
        return self::take($out);
    }

    private static function bytes(string $fn, string $payload): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_delivery_report');
        $err = Native::errorSlot();
        // Passed with its length: a payload may hold NUL bytes.
        Native::check($ffi->$fn($payload, strlen($payload), \FFI::addr($out), \FFI::addr($err)), $err);
        return self::take($out);
    }

    private static function take(\FFI\CData $report): array
    {
        $parsed = Native::decode(\FFI::string($report->json));
        Native::ffi()->instasent_delivery_report_free($report);
        return $parsed;
    }
}
