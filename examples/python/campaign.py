# A campaign of 300 personalised messages (three of them bad) through send_bulk, with progress.
# Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… python examples/python/campaign.py
import os
import sys
from typing import Iterator

import instasent


def messages() -> Iterator[instasent.Message]:
    for i in range(300):
        to = f"+3460{1_000_000 + i:07d}"
        text = f"Hi customer {i}, your order P-{i:05d} has shipped"
        if i == 17:
            to = "600123456"  # not E.164: rejected locally, never sent
        elif i == 42:
            text = ""  # blank: rejected locally
        elif i == 99:
            to = "+99912345678"  # +999 is no country's calling code: rejected by the API (no route)
        # Your own clientIds make the campaign resumable: with resume=True a re-run counts
        # the ones accepted earlier instead of sending them twice.
        yield instasent.Message("Acme", to, text, client_id=f"py-campaign-{i}")


def show(p: instasent.Progress) -> None:
    print(f"progress: {p.done} done ({p.accepted} accepted) after {p.requests} requests")


client = instasent.Client(os.environ["INSTASENT_TOKEN"])  # base URL: $INSTASENT_BASE_URL
results = client.send_bulk(messages(), resume=True, on_progress=show)
for r in results:
    if r.status == "rejected":  # stage "local": never sent; "server": refused by the API
        print(f"input {r.index} rejected ({r.stage}): {r.fields}")
    elif r.status == "failed":  # no answer for its request (after retries): safe to resume
        print(f"input {r.index} not sent ({r.error_code}): {r.message}")
count = {s: sum(r.status == s for r in results) for s in ("accepted", "rejected", "failed")}
print(f"accepted: {count['accepted']}, rejected: {count['rejected']}, failed: {count['failed']}")
sys.exit(1 if count["failed"] else 0)  # not sent: the same run again (resume=True) sends them
