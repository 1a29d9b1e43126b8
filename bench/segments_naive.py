"""The segment counter users copy from StackOverflow, as a baseline for bench/segments.sh:
the GSM 03.38 default alphabet and its extension table (escape characters cost 2 septets),
UCS-2 as soon as one character is outside them (counted in UTF-16 code units), then
160/153 septets or 70/67 units per segment. It knows nothing of escape pairs or surrogate
pairs that cannot straddle two segments, of national shift tables or smart encoding."""
import math

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def count_segments(text):
    """(encoding, segments) of `text`."""
    septets = 0
    for ch in text:
        if ch in GSM7_BASIC:
            septets += 1
        elif ch in GSM7_EXTENDED:
            septets += 2
        else:
            units = len(text.encode("utf-16-le")) // 2
            return "UCS-2", 1 if units <= 70 else math.ceil(units / 67)
    return "GSM-7", 1 if septets <= 160 else math.ceil(septets / 153)
