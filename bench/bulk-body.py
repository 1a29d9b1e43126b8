"""Writes the one 100-item bulk body the HTTP load generator replays (no clientId, so the
sandbox accepts every copy), and the wrk script that posts it."""
import json
import sys

out = sys.argv[1]
items = [
    {"from": "Acme", "to": f"+3461{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(100)
]
body = json.dumps(items)
token = sys.argv[2]
with open(out, "w") as f:
    f.write(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("WRK_RESULT %d %d %d\\n", summary.requests, summary.duration, '
        "summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
        "end\n"
    )
