"""What users do today, for comparison: the Python snippet of the bulk docs page (requests,
one batch of 100 after another) and one POST per message as Instasent's old SDKs do.

    python bench/baselines.py docs-bulk|per-message MESSAGES   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
Prints one JSON line."""
import json
import os
import sys
import time

import requests

mode, total = sys.argv[1], int(sys.argv[2])
base = os.environ["INSTASENT_BASE_URL"]
headers = {"Authorization": f"Bearer {os.environ['INSTASENT_TOKEN']}"}


def message(i):
    return {"from": "Acme", "to": f"+3462{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}


accepted = 0
started = time.perf_counter()
if mode == "docs-bulk":
    for start in range(0, total, 100):
        messages = [message(i) for i in range(start, min(start + 100, total))]
        res = requests.post(f"{base}/sms/bulk", headers=headers, json=messages)
        data = res.json()
        accepted += len(data["entities"])
elif mode == "per-message":
    for i in range(total):
        res = requests.post(f"{base}/sms", headers=headers, json=message(i))
        accepted += res.status_code == 201
else:
    sys.exit(f"unknown mode {mode}")
secs = time.perf_counter() - started
print(json.dumps({"client": f"python-requests-{mode}", "messages": total, "accepted": accepted,
                  "seconds": round(secs, 3), "messagesPerSec": round(total / secs)}))
