"""Writes a wrk script of the campaign benchmark: it replays one 100-item bulk body.

    python3 bench/bulk-body.py OUT TOKEN [--client-ids]

Without --client-ids the body has no clientId, so the sandbox accepts every copy: the issue's
ceiling, byte for byte the same request each time. With --client-ids every item carries a
unique clientId, as every message the SDK sends does (it adds one so that a retry can never
deliver twice); the sandbox then also checks and records each one. The body is otherwise the
same; only the clientId values change from request to request, spliced into the body by
table.concat so that wrk's side stays cheap."""
import json
import sys

out, token = sys.argv[1], sys.argv[2]
client_ids = sys.argv[3:] == ["--client-ids"]
items = [
    {"from": "Acme", "to": f"+3461{i:07d}", "text": f"Hola {i}, tu pedido ha salido hoy."}
    for i in range(100)
]
head = (
    'wrk.method = "POST"\n'
    'wrk.headers["Content-Type"] = "application/json"\n'
    f'wrk.headers["Authorization"] = "Bearer {token}"\n'
)
with open(out, "w") as f:
    f.write(head)
    if not client_ids:
        f.write(f"wrk.body = {json.dumps(json.dumps(items))}\n")
        sys.exit()
    # The body cut around each clientId value: parts[k] .. id_k .. parts[k + 1] ...
    marker = "\0"
    body = json.dumps([dict(item, clientId=marker) for item in items])
    parts = body.split(json.dumps(marker))
    assert len(parts) == len(items) + 1
    f.write("local parts = {" + ", ".join(json.dumps(p) for p in parts) + "}\n")
    f.write(
        """
-- Each wrk thread draws its own random prefix, so two threads never send the same id (the
-- benchmark resets the sandbox's ledger between runs).
-- 32 characters, like the SDK's: "w" thread "-" 10 random digits "-" request number (14 digits)
-- "-" item number (3 digits).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
local prefix, sent, pieces, suffix
function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0))
  prefix = string.format("w%d-%010d-", (thread_number or 0) % 10, math.random(0, 999999999))
  sent = 0
  pieces = {}
  suffix = {}
  for k = 1, #parts - 1 do suffix[k] = string.format('%03d"', k) end
end
function request()
  sent = sent + 1
  local request_prefix = string.format('"%s%014d-', prefix, sent)
  local n = #parts - 1
  for k = 1, n do
    pieces[2 * k - 1] = parts[k]
    pieces[2 * k] = request_prefix .. suffix[k]
  end
  pieces[2 * n + 1] = parts[n + 1]
  return wrk.format(nil, nil, nil, table.concat(pieces))
end
"""
    )
