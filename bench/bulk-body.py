"""Writes the wrk scripts of the campaign benchmark:
  OUT        replays one 100-item bulk body (no clientId, so the sandbox accepts every copy):
             the ceiling the issue defines;
  OUT.ids    builds each 100-item body with fresh clientIds, as the SDK sends them: the same
             server-side work per message as the SDK's campaigns (clientId uniqueness, longer
             answers), at some cost in wrk's own CPU."""
import json
import sys

out = sys.argv[1]
items = [
    {"from": "Acme", "to": f"+3461{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(100)
]
body = json.dumps(items)
token = sys.argv[2]
common = (
    'wrk.method = "POST"\n'
    'wrk.headers["Content-Type"] = "application/json"\n'
    f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    "done = function(summary, latency, requests)\n"
    '  io.write(string.format("WRK_RESULT %d %d %d\\n", summary.requests, summary.duration, '
    "summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
    "end\n"
)
with open(out, "w") as f:
    f.write(common + f"wrk.body = {json.dumps(body)}\n")
with open(out + ".ids", "w") as f:
    f.write(
        common
        + "local threads = 0\n"
        + 'setup = function(thread) threads = threads + 1; thread:set("tid", threads) end\n'
        + "local sent = 0\n"
        + "request = function()\n"
        + "  sent = sent + 1\n"
        + "  local items = {}\n"
        + "  for i = 1, 100 do\n"
        + "    items[i] = string.format('{\"from\":\"Acme\",\"to\":\"+3461%07d\",\"text\":\"Hola %d, tu pedido ha salido hoy.\",\"clientId\":\"wrk%d-%d-%d\"}', i, i, tid, sent, i)\n"
        + "  end\n"
        + '  return wrk.format(nil, nil, nil, "[" .. table.concat(items, ",") .. "]")\n'
        + "end\n"
    )
