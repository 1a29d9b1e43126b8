"""Campaign throughput of the Python binding: Client.send_bulk over a generator or a list, or
Client.campaign (the streamed form) over a generator.

    python bench/python_campaign.py MESSAGES [prebuilt|stream|floor]   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
With `prebuilt` the messages are built into a list before the clock starts, which measures the
SDK's share of the job alone; without it a generator builds them as they are sent, the way a
campaign usually runs. `stream` takes each result as it settles instead of a list of them all
(flat memory). `floor` sends nothing: the same generator drained by the same loop, with no SDK
in between, which is the caller's own share of a row and a lower bound for any SDK's. Prints
one JSON line, with the process's peak RSS and its RSS once the SDK is imported."""
import json
import os
import resource
import sys
import time

import instasent

# ru_maxrss is in KiB on Linux.
start_rss_mib = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
total = int(sys.argv[1])
mode = sys.argv[2] if len(sys.argv) > 2 else "generator"
if mode not in ("generator", "prebuilt", "stream", "floor"):
    sys.exit(f"mode is prebuilt, stream or floor, not {mode}")
name = {
    "generator": "python (instasent binding)",
    "prebuilt": "python, messages built beforehand",
    "stream": "python, streamed (Client.campaign)",
    "floor": "python floor: generator + loop, no SDK",
}[mode]
client = instasent.Client(os.environ["INSTASENT_TOKEN"], concurrency=8)
messages = (
    {"from": "Acme", "to": f"+3463{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(total)
)
if mode == "prebuilt":
    messages = list(messages)
started = time.perf_counter()
if mode == "stream":
    accepted = 0
    for r in client.campaign(messages):
        if r.status == "accepted":
            accepted += 1
elif mode == "floor":
    # The caller's generator and loop, with nothing in between: any SDK adds to this.
    accepted = 0
    for m in messages:
        if m is not None:
            accepted += 1
else:
    results = client.send_bulk(messages)
secs = time.perf_counter() - started
if mode not in ("stream", "floor"):
    accepted = sum(1 for r in results if r.status == "accepted")
line = {"client": name, "messages": total, "accepted": accepted,
        "seconds": round(secs, 3), "messagesPerSec": round(total / secs)}
line["peakRssMiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
line["startRssMiB"] = start_rss_mib
print(json.dumps(line))
