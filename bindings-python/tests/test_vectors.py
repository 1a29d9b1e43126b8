"""The shared cross-language vectors (tests/vectors/*.json) against this binding."""

import json

import pytest

import instasent
from conftest import VECTORS

ENCODING = json.loads((VECTORS / "encoding.json").read_text(encoding="utf-8"))
DLR = json.loads((VECTORS / "dlr.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", ENCODING, ids=[c["name"] for c in ENCODING])
def test_encoding_vector(case):
    options = case.get("options") or {}
    a = instasent.segments(case["text"], smart=bool(options.get("smart")), shift_table=options.get("shiftTable"))
    got = a.to_dict()
    for field, expected in case["expected"].items():
        assert got[field] == expected, field
    # The attribute surface agrees with the dict form.
    assert (a.encoding, a.segments, a.units, a.parts, a.text) == (
        got["encoding"], got["segments"], got["units"], got["parts"], got["text"])
    assert a.unicode_chars == got["unicodeChars"]


def _payload(case):
    inp = case["input"]
    return inp.encode("utf-8") if isinstance(inp, str) else json.dumps(inp).encode("utf-8")


@pytest.mark.parametrize("case", DLR, ids=[c["name"] for c in DLR])
def test_dlr_vector(case):
    payload = _payload(case)
    inputs = [(payload, case["format"]), (payload, None)]
    if isinstance(case["input"], dict):
        inputs.append((case["input"], case["format"]))
    if case["format"] == "smpp":
        inputs = [(case["input"], "smpp"), (case["input"], None)]
    for data, fmt in inputs:
        if "expectedError" in case:
            with pytest.raises(instasent.DecodeError) as info:
                instasent.parse_dlr(data, format=fmt)
            assert info.value.code == "DECODE"
            if fmt is not None and "errorContains" in case:
                assert case["errorContains"] in str(info.value)
            continue
        report = instasent.parse_dlr(data, format=fmt)
        got = report.to_dict()
        for field, expected in case["expected"].items():
            assert got.get(field) == expected, (field, fmt)
        assert report.status == got["status"] and report.id == got["id"]
        assert report.is_final == got["isFinal"] and report.event_unix == got.get("eventUnix")
        if isinstance(case["input"], dict):
            assert report.raw == case["input"]
    if case["format"] == "smpp" and "expectedError" not in case:
        assert instasent.parse_smpp_receipt(case["input"]).to_dict()["id"] == case["expected"]["id"]


def test_delivery_tracker_applies_dedups_and_drops_stale():
    t = instasent.DeliveryTracker()
    sent = instasent.parse_dlr({"id": "m1", "status": "sent", "code": 0, "eventAt": "2026-04-21T10:00:00Z"})
    delivered = instasent.parse_dlr({"id": "m1", "status": "delivered", "code": 0, "eventAt": "2026-04-21T10:01:00Z"})
    assert t.record(sent) == "applied"
    assert t.record(delivered) == "applied"
    assert t.record(delivered) == "duplicate"
    assert t.record(sent) == "stale"
    assert len(t) == 1 and "m1" in t
    got = t.get("m1")
    assert got is not None and got.status == "delivered"
    assert t.get("other") is None
    assert t.counts() == {"delivered": 1}


def test_smart_encode():
    assert instasent.smart_encode("“quoted” – text") == '"quoted" - text'
    a = instasent.segments("“hi”", smart=True)
    assert a.encoding == "GSM-7" and a.smart_applied and a.text == '"hi"'
