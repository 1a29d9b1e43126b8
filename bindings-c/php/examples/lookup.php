<?php
// PHP SDK page, "Lookup". Lines marked "restored" were lost from the page's snippet.
require __DIR__ . '/../autoload.php'; // restored
$client = new Instasent\LookupClient(getenv('INSTASENT_TOKEN')); // restored
$response = $client->doLookup('+34666000000');
echo $response['response_code'];
echo $response['response_body'];
