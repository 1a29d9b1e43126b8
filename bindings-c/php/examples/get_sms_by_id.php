<?php
// PHP SDK page, "Retrieve an SMS". Lines marked "restored" were lost from the page's snippet.
// 'smsId' is the page's placeholder: against the sandbox it answers 404 with a JSON body.
require __DIR__ . '/../autoload.php'; // restored
$client = new Instasent\SmsClient(getenv('INSTASENT_TOKEN')); // restored
$response = $client->getSmsById('smsId');
echo $response['response_code'];
echo $response['response_body'];
