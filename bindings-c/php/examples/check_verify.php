<?php
// PHP SDK page, "Check the code". The page's snippet is complete but flattened to one line
// (its `// success` comment would swallow the rest): line breaks restored. The verification id
// and the code the user typed come from the environment here.
require __DIR__ . '/../autoload.php'; // restored
$requestVerifyId = getenv('VERIFY_ID'); // restored: the id returned by requestVerify
$token = getenv('VERIFY_TOKEN'); // restored: what the user typed
$client = new Instasent\VerifyClient(getenv('INSTASENT_TOKEN'));
$response = $client->checkVerify($requestVerifyId, $token);
$body = json_decode($response['response_body']);
if ($body->entity->status === 'verified') {
    // success
    echo "verified\n"; // restored: makes the branch visible
} else {
    // handle pending / failed / expired
    echo "not verified: {$body->entity->status}\n"; // restored
}
