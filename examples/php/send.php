<?php
// Sends one SMS with the documented method and prints {response_code, response_body}.
// Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… php -d ffi.enable=1 examples/php/send.php
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // base URL: $INSTASENT_BASE_URL
$response = $client->sendSms('Acme', '+34600123456', 'Your code is 4821');
echo 'response_code: ', $response['response_code'], "\n";
echo 'response_body: ', $response['response_body'], "\n";
// The documented call returns an API error (401, 402, 422…) instead of throwing: exit with it.
exit($response['response_code'] < 400 ? 0 : 1);
