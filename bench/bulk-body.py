"""Writes the wrk script of the campaign benchmark: it replays one 100-item bulk body (no
clientId, so the sandbox accepts every copy).

    python3 bench/bulk-body.py OUT TOKEN"""
import json
import sys

out, token = sys.argv[1], sys.argv[2]
items = [
    {"from": "Acme", "to": f"+3461{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(100)
]
with open(out, "w") as f:
    f.write(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        f"wrk.body = {json.dumps(json.dumps(items))}\n"
    )
