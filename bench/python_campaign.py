"""Campaign throughput of the Python binding: Client.send_bulk over a generator or a list.

    python bench/python_campaign.py MESSAGES [prebuilt]   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
With `prebuilt` the messages are built into a list before the clock starts, which measures the
SDK's share of the job alone; without it a generator builds them as they are sent, the way a
campaign usually runs. Prints one JSON line."""
import json
import os
import sys
import time

import instasent

total = int(sys.argv[1])
prebuilt = sys.argv[2:] == ["prebuilt"]
name = "python, messages built beforehand" if prebuilt else "python (instasent binding)"
client = instasent.Client(os.environ["INSTASENT_TOKEN"], concurrency=8)
messages = (
    {"from": "Acme", "to": f"+3463{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(total)
)
if prebuilt:
    messages = list(messages)
started = time.perf_counter()
results = client.send_bulk(messages)
secs = time.perf_counter() - started
accepted = sum(1 for r in results if r.status == "accepted")
print(json.dumps({"client": name, "messages": total, "accepted": accepted,
                  "seconds": round(secs, 3), "messagesPerSec": round(total / secs)}))
