<?php

namespace Instasent;

use Instasent\Internal\ApiClient;
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
    /** POST /sms. A clientId is generated when none is given, so a retry never sends twice. */
    public function sendSms(string $from, string $to, string $text, ?string $clientId = null): array
    {
        return $this->call('send_sms', $from, $to, $text, $clientId);
    }

    /** POST /sms with allowUnicode: characters outside GSM-7 travel as UCS-2. */
    public function sendUnicodeSms(string $from, string $to, string $text, ?string $clientId = null): array
    {
        return $this->call('send_unicode_sms', $from, $to, $text, $clientId);
    }

    /**
     * POST /sms/bulk with 1–100 messages, each `['from' =>, 'to' =>, 'text' =>, 'clientId' =>?,
     * 'allowUnicode' =>?]`. The body holds `entities` and per-item `errors`.
     */
    public function sendBulkSms(array $messages): array
    {
        return $this->call('send_bulk_sms', json_encode(array_values($messages), JSON_THROW_ON_ERROR));
    }

    /**
     * Any number of messages, through the core's campaign engine (checked locally, bulk
     * requests of ≤ 100 in parallel). Returns `['results' => [one per input, in order], 'progress' => [...]]`;
     * each result has `index`, `outcome` ("accepted", "rejected", "failed") and its details.
     */
    public function sendCampaign(iterable $messages): array
    {
        $lines = '';
        foreach ($messages as $message) {
            $lines .= json_encode($message, JSON_THROW_ON_ERROR) . "\n";
        }
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_campaign_json($this->client, $lines, \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::decode(Native::takeString($out));
    }

    /** GET /sms?page=&per_page= */
    public function getSms(int $page = 1, int $perPage = 10): array
    {
        return $this->call('get_sms', $page, $perPage);
    }

    /** GET /sms/{id} */
    public function getSmsById(string $id): array
    {
        return $this->call('get_sms_by_id', $id);
    }

    /** GET /sms/price-profile/me/countries */
    public function getSmsPriceProfile(): array
    {
        return $this->call('get_sms_price_profile');
    }
}
