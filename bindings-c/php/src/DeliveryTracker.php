<?php

namespace Instasent;

use Instasent\Internal\Handles;
use Instasent\Internal\Native;
use Instasent\Internal\OwnsNativeHandle;

/**
 * The latest delivery report per message id, as the docs advise ("persist the latest status
 * per id"): webhooks are retried and arrive out of order, and libinstasent's tracker decides
 * whether a report replaces the one held (a redelivery is a duplicate, an older or in-flight
 * status after a final one is stale).
 *
 *     $tracker = new Instasent\DeliveryTracker();
 *     $tracker->record(Instasent\Dlr::parse($body));   // 'applied'
 *     $tracker->get($id)['status'];                     // 'delivered'
 *     $tracker->counts();                               // ['delivered' => 2, 'failed' => 1]
 *
 * It lives in one PHP process: a webhook endpoint served request by request persists reports
 * elsewhere and records them in the process that reads them.
 */
final class DeliveryTracker
{
    use OwnsNativeHandle;

    /** instasent_track_outcome values, in order. */
    private const OUTCOMES = ['applied', 'duplicate', 'stale'];

    /** @var \FFI\CData|null instasent_dlr_tracker* */
    private $handle;

    /** An empty tracker. Feed it every report your webhook receives, in any order. */
    public function __construct()
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_dlr_tracker');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_dlr_tracker_new(\FFI::addr($out), \FFI::addr($err)), $err);
        $this->handle = $out;
        Handles::adopt($this, self::class, 'handle', 'instasent_dlr_tracker_free');
    }

    /**
     * Records a report — an array from Dlr::parse*() or get(), or a raw payload string (parsed
     * as Dlr::parse() does) — and says what happened: 'applied', 'duplicate' or 'stale'. An
     * unparsable payload throws "DECODE"; an array that is not a parsed report
     * "INVALID_ARGUMENT".
     *
     * @param array|string $report
     */
    public function record($report): string
    {
        $ffi = Native::ffi();
        $outcome = $ffi->new('instasent_track_outcome');
        $err = Native::errorSlot();
        if (is_string($report)) {
            $parsed = Native::slot('instasent_delivery_report');
            Native::check($ffi->instasent_parse_dlr($report, strlen($report), \FFI::addr($parsed), \FFI::addr($err)), $err);
            try {
                $code = $ffi->instasent_dlr_tracker_record($this->handle, $parsed, \FFI::addr($outcome), \FFI::addr($err));
            } finally {
                $ffi->instasent_delivery_report_free($parsed);
            }
        } else {
            $json = Native::json($report, 'the report', JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
            $code = $ffi->instasent_dlr_tracker_record_json($this->handle, $json, \FFI::addr($outcome), \FFI::addr($err));
        }
        Native::check($code, $err);
        return self::OUTCOMES[$outcome->cdata];
    }

    /** The latest report held for message $id (the shape of Dlr::parse()), or null. */
    public function get(string $id): ?array
    {
        return $this->report('get', Native::arg($id, Native::param(__METHOD__, 'id')));
    }

    /**
     * Forgets message $id and returns its latest report (the shape of Dlr::parse()), or null
     * when none is held. Once a final state is stored elsewhere, a long-running receiver
     * removes it, so the tracker holds only what is still in flight.
     */
    public function remove(string $id): ?array
    {
        return $this->report('remove', Native::arg($id, Native::param(__METHOD__, 'id')));
    }

    /**
     * `instasent_dlr_tracker_<$call>($id)`'s report in the shape of Dlr::parse(), or null for
     * NOT_FOUND (no report held for $id).
     */
    private function report(string $call, string $id): ?array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_delivery_report');
        $err = Native::errorSlot();
        $code = $ffi->{"instasent_dlr_tracker_$call"}($this->handle, $id, \FFI::addr($out), \FFI::addr($err));
        if (!Native::found($code, $err)) {
            return null;
        }
        $report = Native::decode(\FFI::string($out->json));
        $ffi->instasent_delivery_report_free($out);
        return $report;
    }

    /** The latest report of every message still in flight (no final status yet), in id order. */
    public function pending(): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_dlr_tracker_pending_json($this->handle, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    /** Messages per latest normalised status: `['delivered' => 2, 'failed' => 1]`. */
    public function counts(): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_dlr_tracker_counts_json($this->handle, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    public function __destruct()
    {
        Handles::free($this);
    }
}
