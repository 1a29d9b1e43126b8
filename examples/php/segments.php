<?php
// How texts travel as SMS: encoding, segments, units and parts (offline, no API call).
// Run: php -d ffi.enable=1 examples/php/segments.php
require __DIR__ . '/../../bindings-c/php/autoload.php'; // libinstasent from $INSTASENT_LIB

use Instasent\Segments;

$texts = [
    ['plain GSM-7', 'Your order P-00042 has shipped {track it}', false],
    ['needs UCS-2', 'Your order has shipped 📦 — thanks, Zoë!', false],
    ['smart encoding', '“Smart” quotes – and dashes… cost UCS-2 unless replaced', true],
    ['long', str_repeat('Reminder: your appointment is tomorrow at 10:00. ', 4), false],
];
foreach ($texts as [$label, $text, $smart]) {
    $a = Segments::analyze($text, $smart);
    printf("%s: encoding=%s segments=%d units=%d parts=%s\n", $label, $a['encoding'], $a['segments'], $a['units'],
        json_encode($a['parts'], JSON_UNESCAPED_UNICODE));
    if ($a['unicodeChars']) echo '  UCS-2 because of ', json_encode($a['unicodeChars'], JSON_UNESCAPED_UNICODE), "\n";
    if ($a['smartApplied']) echo "  smart encoding sent \"{$a['text']}\"\n";
}
