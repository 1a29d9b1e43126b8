"""Campaign throughput of the Python binding: Client.send_bulk over a lazy generator.

    python bench/python_campaign.py MESSAGES   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
Prints one JSON line."""
import json
import os
import sys
import time

import instasent

total = int(sys.argv[1])
client = instasent.Client(os.environ["INSTASENT_TOKEN"], concurrency=8)
messages = (
    {"from": "Acme", "to": f"+3463{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(total)
)
started = time.perf_counter()
results = client.send_bulk(messages)
secs = time.perf_counter() - started
accepted = sum(1 for r in results if r.status == "accepted")
print(json.dumps({"client": "python (instasent binding)", "messages": total, "accepted": accepted,
                  "seconds": round(secs, 3), "messagesPerSec": round(total / secs)}))
