#!/usr/bin/env bash
# DLR parsing throughput, all in one run on the same deterministic inputs (dlr_gen.py):
#   webhook  100,000 Instasent DLR webhook bodies (every status, codes, clientId, inbound text)
#   smpp     100,000 SMPP delivery receipts
# Python: instasent.parse_dlr / parse_smpp_receipt vs json.loads + a dict mapping (also with
# datetime.fromisoformat, since ours parses eventAt) and a regex (dlr_baseline.py).
# Node: parseDlr / parseSmppReceipt vs JSON.parse + an object mapping and a RegExp.
# Every result is also checked against ours on status, code and finality.
# Usage: bench/dlr.sh [COUNT]   Prints a table of parses/s and ratios to ours in the same runtime.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
N="${1:-100000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
"$python_bin" bench/dlr_gen.py "$out" "$N"
results="$out/results.jsonl"
if "$python_bin" -c "import instasent" 2>/dev/null; then
  "$python_bin" bench/dlr_py.py "$out" >> "$results"
else echo '{"impl":"python","skipped":"binding not installed (bindings-python/run-tests.sh)"}' >> "$results"; fi
if ls bindings-node/*.node >/dev/null 2>&1; then
  node bench/dlr_node.mjs "$out" >> "$results"
else echo '{"impl":"node","skipped":"binding not built (bindings-node/run-tests.sh)"}' >> "$results"; fi

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ours = {}
print(f"{'runtime':8} {'input':8} {'implementation':38} {'parses/s':>10} {'vs ours':>8} {'disagree':>8}")
for r in rows:
    if "skipped" in r:
        print(f"{r['impl']:8} skipped: {r['skipped']}")
        continue
    rate = r["items"] / r["seconds"]
    base = ours.setdefault((r["runtime"], r["input"]), rate)
    print(f"{r['runtime']:8} {r['input']:8} {r['impl']:38} {rate:>10,.0f} {rate / base:>7.2f}x {r['disagree']:>8}")
print("(vs ours: parses/s relative to the instasent row of the same runtime and input; disagree: results whose\n"
      " status, code or finality differ from ours)")
PY
