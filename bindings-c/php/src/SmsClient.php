<?php

namespace Instasent;

use Instasent\Internal\ApiClient;
use Instasent\Internal\Held;
use Instasent\Internal\Native;

/**
 * SMS: send (GSM-7 or Unicode), bulk, campaigns of any size, read back.
 *
 *     $client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN'));
 *     $response = $client->sendSms('test', '+34647000000', 'test message');
 *     echo $response['response_code'];   // 201
 *     echo $response['response_body'];   // {"entity":{...}}
 */
class SmsClient extends ApiClient
{
    /** What the streamed campaign's errors are about (streamCampaign runs inside its generator). */
    private const CAMPAIGN = __CLASS__ . '::campaign';

    /** POST /sms. A clientId is generated when none is given, so a retry never sends twice. */
    public function sendSms(string $from, string $to, string $text, ?string $clientId = null): array
    {
        return $this->call(__METHOD__, 'send_sms', ['from' => $from, 'to' => $to, 'text' => $text, 'clientId' => $clientId]);
    }

    /** POST /sms with allowUnicode: characters outside GSM-7 travel as UCS-2. */
    public function sendUnicodeSms(string $from, string $to, string $text, ?string $clientId = null): array
    {
        return $this->call(__METHOD__, 'send_unicode_sms', ['from' => $from, 'to' => $to, 'text' => $text, 'clientId' => $clientId]);
    }

    /**
     * POST /sms/bulk with 1–100 messages, each `['from' =>, 'to' =>, 'text' =>, 'clientId' =>?,
     * 'allowUnicode' =>?]` ('client_id' and 'allow_unicode' are read too, not both spellings at
     * once; other keys are ignored, as in every message input). The body holds `entities` and
     * per-item `errors`.
     */
    public function sendBulkSms(array $messages): array
    {
        return $this->call(__METHOD__, 'send_bulk_sms', ['messages' => Native::json(array_values($messages), Native::param(__METHOD__, 'messages'))]);
    }

    /**
     * Any number of messages, through the core's campaign engine (checked locally, bulk
     * requests of ≤ 100 in parallel). Returns `['results' => [one per input, in order], 'progress' => [...]]`;
     * each result has `index`, `outcome` ("accepted", "rejected", "failed") and its details.
     */
    public function sendCampaign(iterable $messages): array
    {
        $lines = '';
        $index = 0;
        foreach ($messages as $message) {
            $lines .= Native::json($message, self::message(__METHOD__, $index)) . "\n";
            $index++;
        }
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_campaign_json($this->client, $lines, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    /**
     * A campaign of any size, streamed: `foreach ($client->campaign($messages) as $index => $result)`.
     * `$messages` (any iterable, e.g. a generator over a CSV) is read one batch at a time and
     * each result is yielded as its batch settles, in input order (the key is the input's
     * index; a result waits until every earlier input's has settled), so memory stays flat however many messages there are. Results are shaped as in
     * sendCampaign. Options: `concurrency` (bulk requests in flight), `batch_size` (1–100),
     * `resume` (re-running with the same clientIds: "already used" counts as accepted),
     * `validate` (default true; false leaves checking the documented rules to the API).
     *
     * Leaving the loop early sends nothing more; requests already in flight finish. If reading
     * `$messages` fails (an exception, or an item that is neither an array nor an object), nothing more is sent,
     * the results of what went out are still yielded, and then the exception is thrown.
     */
    public function campaign(iterable $messages, array $options = []): \Generator
    {
        Native::options($options, ['concurrency', 'batch_size', 'resume', 'validate'], __METHOD__);
        // Anything that would not fit a uint32_t is refused before it crosses; the core's own
        // rules (batch_size 1–100, concurrency 1–1024) are checked by the library's setters.
        // batch_size is always set: the loop below pushes a batch at a time.
        $values = ['batch_size' => Native::count(Native::option(__METHOD__, 'batch_size'), $options['batch_size'] ?? 100)];
        if (isset($options['concurrency'])) {
            $values['concurrency'] = Native::count(Native::option(__METHOD__, 'concurrency'), $options['concurrency']);
        }
        // A real bool only: cast, 'false' would turn resume on and report a refused duplicate
        // as accepted. Left out or null, the core's default.
        foreach (['resume', 'validate'] as $flag) {
            if (isset($options[$flag])) {
                $values[$flag] = Native::flag(Native::option(__METHOD__, $flag), $options[$flag]);
            }
        }
        // Checked at the call (the native options are made and freed at once: a generator never
        // iterated would hold them otherwise); the campaign itself starts on the first iteration.
        Native::ffi()->instasent_campaign_options_free(self::campaignOptions($values));
        return $this->streamCampaign($messages, $values);
    }

    /** Native campaign options holding $values; the caller frees them. */
    private static function campaignOptions(array $values): \FFI\CData
    {
        $opts = Native::ffi()->instasent_campaign_options_new();
        try {
            foreach ($values as $name => $value) {
                Native::setOption('campaign_options', $opts, $name, $value);
            }
        } catch (\Throwable $e) {
            Native::ffi()->instasent_campaign_options_free($opts);
            throw $e;
        }
        return $opts;
    }

    private function streamCampaign(iterable $messages, array $values): \Generator
    {
        $ffi = Native::ffi();
        $batchSize = $values['batch_size'];
        $out = Native::slot('instasent_campaign');
        $err = Native::errorSlot();
        $opts = self::campaignOptions($values);
        try {
            Native::check($ffi->instasent_campaign_start($this->client, $opts, \FFI::addr($out), \FFI::addr($err)), $err);
        } finally {
            $ffi->instasent_campaign_options_free($opts);
        }
        // Read at every call: null once Handles freed it after a fatal error.
        $campaign = new Held($out, 'instasent_campaign_free');
        try {
            $failure = null;
            try {
                $lines = '';
                $count = 0;
                $index = 0;
                foreach ($messages as $message) {
                    if (!is_array($message) && !is_object($message)) {
                        throw Native::invalid(self::message(self::CAMPAIGN, $index) . " is not ['from' =>, 'to' =>, 'text' =>]");
                    }
                    $lines .= Native::json($message, self::message(self::CAMPAIGN, $index)) . "\n";
                    $index++;
                    if (++$count === $batchSize) {
                        self::push($campaign->handle, $lines);
                        $lines = '';
                        $count = 0;
                        // Whatever settled meanwhile, so results never pile up. Results come in
                        // input order: behind one slow request later ones would, so more are
                        // taken before more input is read while the campaign holds its bound.
                        yield from self::settled($campaign->handle, 0)[0];
                        while (!self::hasRoom($campaign->handle)) {
                            [$results, $done] = self::settled($campaign->handle, 1000);
                            yield from $results;
                            if ($done) {
                                break;
                            }
                        }
                    }
                }
                if ($count > 0) {
                    self::push($campaign->handle, $lines);
                }
                $ffi->instasent_campaign_end($campaign->handle, null);
            } catch (\Throwable $e) {
                $failure = $e;
                $ffi->instasent_campaign_stop($campaign->handle, null);
            }
            do {
                [$results, $done] = self::settled($campaign->handle, 1000);
                yield from $results;
            } while (!$done);
            if ($failure !== null) {
                throw $failure;
            }
        } finally {
            $campaign->free();
        }
    }

    /** Message $index (as results count them) of $method's `$messages`, for an error. */
    private static function message(string $method, int $index): string
    {
        return Native::param($method, 'messages') . " item $index";
    }

    private static function push(?\FFI\CData $campaign, string $lines): void
    {
        $err = Native::errorSlot();
        Native::check(Native::ffi()->instasent_campaign_push_json($campaign, $lines, \FFI::addr($err)), $err);
    }

    /** Whether another batch may be read while the campaign stays within its memory bound. */
    private static function hasRoom(?\FFI\CData $campaign): bool
    {
        $room = Native::ffi()->new('bool');
        $err = Native::errorSlot();
        Native::check(Native::ffi()->instasent_campaign_has_room($campaign, \FFI::addr($room), \FFI::addr($err)), $err);
        return $room->cdata;
    }

    /** [results keyed by input index, done], waiting up to $timeoutMs for the first one. */
    private static function settled(?\FFI\CData $campaign, int $timeoutMs): array
    {
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check(Native::ffi()->instasent_campaign_next_json($campaign, $timeoutMs, \FFI::addr($out), \FFI::addr($err)), $err);
        $settled = Native::decode(Native::takeString($out));
        $results = [];
        foreach ($settled['results'] as $result) {
            $results[$result['index']] = $result;
        }
        return [$results, $settled['done']];
    }

    /** GET /sms?page=&per_page= */
    public function getSms(int $page = 1, int $perPage = 10): array
    {
        return $this->call(__METHOD__, 'get_sms', ['page' => $page, 'perPage' => $perPage]);
    }

    /** GET /sms/{id} */
    public function getSmsById(string $id): array
    {
        return $this->call(__METHOD__, 'get_sms_by_id', ['id' => $id]);
    }

    /**
     * The message sent with $clientId, as the API's fields (`id`, `clientId`, `to`, `status`,
     * …), or null when the history has none: how to settle an AMBIGUOUS_OUTCOME before sending
     * again (after a null, sending it again with that clientId cannot deliver it twice). The
     * API has no filter by clientId, so this reads the history page by page until it turns up.
     */
    public function findSmsByClientId(string $clientId): ?array
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        $clientId = Native::arg($clientId, Native::param(__METHOD__, 'clientId'));
        $code = $ffi->instasent_find_sms_by_client_id($this->client, $clientId, \FFI::addr($out), \FFI::addr($err));
        if (!Native::found($code, $err)) {
            return null;
        }
        return Native::decode(Native::takeString($out));
    }

    /** GET /sms/price-profile/me/countries */
    public function getSmsPriceProfile(): array
    {
        return $this->call(__METHOD__, 'get_sms_price_profile');
    }
}
