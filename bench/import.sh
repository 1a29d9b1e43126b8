#!/usr/bin/env bash
# Cold import cost, median of fresh processes (default 20):
#   python  `import instasent` (the binding), timed with perf_counter inside a fresh interpreter,
#           with `import json` as the baseline; plus python -X importtime's cumulative figure
#   node    require("instasent") (bindings-node), timed with performance.now() around require in
#           `node -e`, with require("node:fs") as the baseline (and Twilio's sms-segments-calculator
#           when bench/segments.sh installed it)
# and the wall time of the whole fresh process (python -c / node -e) for scale; and building a
# client with the default (https) base URL: the first one of a fresh process, then the next one
#   python  instasent.Client(token)        node  new SmsClient(token)
# Usage: bench/import.sh [RUNS]   Prints a table of medians in milliseconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
RUNS="${1:-20}"
python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

py() {  # module -> ms of one fresh import
  "$python_bin" -c "import time; t = time.perf_counter(); import $1; print((time.perf_counter() - t) * 1e3)"
}
importtime() {  # module -> ms, cumulative -X importtime line of the top-level module
  "$python_bin" -X importtime -c "import $1" 2>&1 | awk -F'|' -v m="$1" '$3 ~ "^ *"m" *$" {gsub(/ /, "", $2); print $2 / 1000}' | tail -1
}
nd() {  # specifier -> ms of one fresh require
  node -e "const t = performance.now(); require(process.argv[1]); console.log(performance.now() - t)" "$1"
}
pyclients() {  # ms of a fresh process's first instasent.Client, then of its second
  "$python_bin" -c "import time, instasent
t0 = time.perf_counter(); instasent.Client('t'); t1 = time.perf_counter(); instasent.Client('t')
print((t1 - t0) * 1e3, (time.perf_counter() - t1) * 1e3)"
}
ndclients() {  # the same for new SmsClient
  node -e "const { SmsClient } = require(process.argv[1])
const t0 = performance.now(); new SmsClient('t'); const t1 = performance.now(); new SmsClient('t')
console.log(t1 - t0, performance.now() - t1)" "$1"
}
procs() {  # whole-process wall time of a command, ms
  local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
}

for _ in $(seq "$RUNS"); do
  if "$python_bin" -c "import instasent" 2>/dev/null; then
    echo "python|import instasent|$(py instasent)" >> "$out"
    echo "python|import instasent (-X importtime, cumulative)|$(importtime instasent)" >> "$out"
    echo "python|process: python -c 'import instasent'|$(procs "$python_bin" -c 'import instasent')" >> "$out"
    read -r first next < <(pyclients)
    echo "python|first instasent.Client(token) of a process|$first" >> "$out"
    echo "python|second instasent.Client(token)|$next" >> "$out"
  fi
  echo "python|import json (baseline)|$(py json)" >> "$out"
  echo "python|process: python -c 'import json'|$(procs "$python_bin" -c 'import json')" >> "$out"
  if ls bindings-node/*.node >/dev/null 2>&1; then
    echo "node|require(\"instasent\")|$(nd "$root/bindings-node")" >> "$out"
    echo "node|process: node -e 'require(\"instasent\")'|$(procs node -e "require('$root/bindings-node')")" >> "$out"
    read -r first next < <(ndclients "$root/bindings-node")
    echo "node|first new SmsClient(token) of a process|$first" >> "$out"
    echo "node|second new SmsClient(token)|$next" >> "$out"
  fi
  echo "node|require(\"node:fs\") (baseline)|$(nd node:fs)" >> "$out"
  [ -d bench/node_modules/sms-segments-calculator ] &&
    echo "node|require(\"sms-segments-calculator\") (npm)|$(nd "$root/bench/node_modules/sms-segments-calculator")" >> "$out"
  echo "node|process: node -e 'require(\"node:fs\")'|$(procs node -e "require('node:fs')")" >> "$out"
done

python3 - "$out" "$RUNS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    runtime, what, ms = line.rstrip("\n").split("|")
    rows.setdefault((runtime, what), []).append(float(ms))
print(f"{'runtime':8} {'what':46} {'median ms':>10} {'min':>7} {'max':>7}   (fresh processes: {sys.argv[2]})")
for (runtime, what), v in rows.items():
    print(f"{runtime:8} {what:46} {statistics.median(v):>10.3f} {min(v):>7.3f} {max(v):>7.3f}")
PY
