"""Python side of bench/dlr.sh: instasent.parse_dlr / parse_smpp_receipt against json.loads +
a dict mapping and a regex (dlr_baseline.py), on the inputs of dlr_gen.py.

    python bench/dlr_py.py DIR
Prints one JSON line per implementation and input, with how many results disagree with ours
on status, code or finality."""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dlr_baseline as base  # noqa: E402

import instasent  # noqa: E402


def ours(r):
    return (r.status, r.code, r.is_final)


def theirs(r):
    return (r["status"], r["code"], r["isFinal"])


def run(name, kind, parse, items, key):
    for item in items[:10_000]:
        parse(item)
    started = time.perf_counter()
    results = [parse(item) for item in items]
    secs = time.perf_counter() - started
    return {"impl": name, "runtime": "python", "input": kind, "items": len(items), "seconds": secs}, [key(r) for r in results]


def main():
    d = Path(sys.argv[1])
    webhooks = [line.rstrip(b"\n") for line in open(d / "webhooks.jsonl", "rb")]
    receipts = [line.rstrip("\n") for line in open(d / "smpp.txt", encoding="utf-8")]
    for kind, items, cases in (
        ("webhook", webhooks, [("instasent.parse_dlr", instasent.parse_dlr, ours),
                               ("json.loads + dict mapping", base.parse_webhook, theirs),
                               ("json.loads + mapping + fromisoformat", base.parse_webhook_with_time, theirs)]),
        ("smpp", receipts, [("instasent.parse_smpp_receipt", instasent.parse_smpp_receipt, ours),
                            ("re.match + dict mapping", base.parse_smpp, theirs)]),
    ):
        reference = None
        for name, parse, key in cases:
            row, keys = run(name, kind, parse, items, key)
            reference = reference or keys
            row["disagree"] = sum(a != b for a, b in zip(reference, keys))
            print(json.dumps(row))


if __name__ == "__main__":
    main()
