"""Deterministic DLR inputs for bench/dlr.sh, written to OUT_DIR:
    webhooks.jsonl  Instasent DLR webhook bodies, one compact JSON object a line, as POSTed
                    (docs: transactional-api/http/dlrs): every status, codes 0-16/99/100,
                    clientId on most, `message` on inbound/stop
    smpp.txt        SMPP deliver_sm receipts, one a line
                    (docs: transactional-api/smpp/integration, "Receiving DLRs")

    python bench/dlr_gen.py OUT_DIR [COUNT]"""
import json
import random
import sys
from pathlib import Path

# Weighted like real traffic: most events are sent/delivered, a tail of failures.
STATUSES = (["sent"] * 30 + ["delivered"] * 40 + ["accepted"] * 6 + ["buffered"] * 6 + ["failed"] * 5
            + ["error", "expired", "rejected", "unknown", "canceled", "stop", "inbound"] * 1 + ["failed"] * 3)
FAIL_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 99, 100]
SMPP_STATS = ["DELIVRD"] * 70 + ["ACCEPTD"] * 8 + ["UNDELIV"] * 10 + ["EXPIRED"] * 5 + ["REJECTD"] * 4 + ["UNKNOWN", "DELETED", "ENROUTE"]


def stamp(rng):
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"


def webhook(rng):
    status = rng.choice(STATUSES)
    body = {"id": f"{rng.getrandbits(64):016x}{rng.getrandbits(32):08x}"}
    if rng.random() < 0.7:
        body["clientId"] = f"order-{rng.randint(1, 10**9)}"
    body["status"] = status
    body["code"] = rng.choice(FAIL_CODES) if status in ("failed", "error", "rejected", "expired") else 0
    body["eventAt"] = stamp(rng)
    if status in ("inbound", "stop"):
        body["message"] = "STOP" if status == "stop" else rng.choice(["Sí, confirmo 👍", "Gracias!", "Can I change the time?"])
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def smpp(rng):
    stat = rng.choice(SMPP_STATS)
    err = 0 if stat in ("DELIVRD", "ACCEPTD") else rng.choice(FAIL_CODES)
    submit = f"26{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
    return (f"id:{rng.randint(10**17, 10**18)} sub:001 dlvrd:{'001' if stat == 'DELIVRD' else '000'} "
            f"submit date:{submit} done date:{submit[:-2]}{rng.randint(0, 59):02d} stat:{stat} err:{err:03d} text:none")


def main():
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(4212026)
    with open(out / "webhooks.jsonl", "w", encoding="utf-8") as f:
        f.writelines(webhook(rng) + "\n" for _ in range(count))
    with open(out / "smpp.txt", "w", encoding="utf-8") as f:
        f.writelines(smpp(rng) + "\n" for _ in range(count))


if __name__ == "__main__":
    main()
