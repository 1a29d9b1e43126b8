<?php
// PHP SDK page, "Send an SMS". Lines marked "restored" were lost from the page's snippet.
require __DIR__ . '/../autoload.php'; // restored: the page's require_once of the library
$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // restored
$response = $client->sendSms('test', '+34647000000', 'test message');
echo $response['response_code'];
echo $response['response_body'];
