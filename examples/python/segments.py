# How texts travel as SMS: encoding, segments, units and parts (offline, no API call).
# Run: python examples/python/segments.py
import instasent

texts = [
    ("plain GSM-7", "Your order P-00042 has shipped {track it}", False),
    ("needs UCS-2", "Your order has shipped 📦 — thanks, Zoë!", False),
    ("smart encoding", "“Smart” quotes – and dashes… cost UCS-2 unless replaced", True),
    ("long", "Reminder: your appointment is tomorrow at 10:00. " * 4, False),
]
for label, text, smart in texts:
    a = instasent.segments(text, smart=smart)
    print(f"{label}: encoding={a.encoding} segments={a.segments} units={a.units} parts={a.parts!r}")
    if a.unicode_chars:
        print(f"  UCS-2 because of {a.unicode_chars}")
    if a.smart_applied:
        print(f"  smart encoding sent {a.text!r} (replaced {a.replaced})")
