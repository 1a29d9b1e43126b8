<?php

namespace Instasent;

use Instasent\Internal\Native;

/** What a text costs as an SMS (GSM-7 / UCS-2 segments, 3GPP TS 23.038 / 23.040). */
final class Segments
{
    /**
     * The analysis in its camelCase form: `encoding` ("GSM-7"/"UCS-2"), `segments`, `units`,
     * `parts`, `unicodeChars`, `text` (as sent), `smartApplied`, `partUnits`, capacities, shift tables.
     *
     * @param bool        $smart      replace look-alikes by GSM-7 characters when that is cheaper
     * @param string|null $shiftTable "spanish", "portuguese" or "turkish" national shift tables
     */
    public static function analyze(string $text, bool $smart = false, ?string $shiftTable = null): array
    {
        $ffi = Native::ffi();
        $out = Native::slot('instasent_segment_info');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_segments_with_shift(Native::arg($text, Native::param(__METHOD__, 'text')), $smart, $shiftTable === null ? null : Native::arg($shiftTable, Native::param(__METHOD__, 'shiftTable')), \FFI::addr($out), \FFI::addr($err)), $err);
        $analysis = Native::decode(\FFI::string($out->json));
        $ffi->instasent_segment_info_free($out);
        return $analysis;
    }

    /** `$text` as smart encoding would send it. */
    public static function smartEncode(string $text): string
    {
        $ffi = Native::ffi();
        $out = Native::slot('char');
        $err = Native::errorSlot();
        Native::check($ffi->instasent_smart_encode(Native::arg($text, Native::param(__METHOD__, 'text')), \FFI::addr($out), \FFI::addr($err)), $err);
        return Native::takeString($out);
    }
}
