<?php
// PHP SDK page, "Unicode". Lines marked "restored" were lost from the page's snippet.
require __DIR__ . '/../autoload.php'; // restored
$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // restored
$response = $client->sendUnicodeSms('test', '+34647000000', 'Unicode test: ña éáíóú 😀');
echo $response['response_code']; // restored: the page shows no output for this snippet
echo $response['response_body']; // restored
