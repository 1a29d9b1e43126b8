<?php
// PHP SDK page, "Request a code". Lines marked "restored" were lost from the page's snippet.
require __DIR__ . '/../autoload.php'; // restored
$client = new Instasent\VerifyClient(getenv('INSTASENT_TOKEN')); // restored
$response = $client->requestVerify('test', '+34647000000', 'Your code is %token%', 6, 300);
echo $response['response_code'];
echo $response['response_body'];
