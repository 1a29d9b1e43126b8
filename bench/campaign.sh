#!/usr/bin/env bash
# Campaign throughput, all in one run against one sandbox process (release build):
#   ceiling      wrk replaying one 100-item POST /sms/bulk body (the sandbox's own limit)
#   rust         instasent::Client::campaign, 100,000 messages, on a current-thread runtime and
#                on a multi-thread one (`#[tokio::main]`'s default)
#   python       instasent.Client.send_bulk (the Python binding), 100,000 messages
#   node         client.sendBulk (the Node binding), 100,000 messages
#   docs-bulk    the Python snippet of the bulk docs page: requests, one batch after another
#   per-message  one POST /sms per message, as Instasent's old SDKs do
# and the peak RSS of a streamed 1,000,000-message Rust campaign. A second wrk row builds every
# body with fresh clientIds, as the SDK does, so that the server does the same work per message
# as for the clients (clientId uniqueness, longer answers): the "same-work" column.
# Usage: bench/campaign.sh [MESSAGES]   Prints a table of messages/s and ratios to the ceiling.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
N="${1:-100000}"
token="bench-token-$$"
out="$(mktemp -d)"
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$out"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p instasent-sandbox
cargo bench -q -p instasent --bench campaign --no-run 2>/dev/null
bench_bin=$(ls -t "$CARGO_TARGET_DIR"/release/deps/campaign-* | grep -v '\.d$' | head -1)

"$CARGO_TARGET_DIR/release/instasent-sandbox" --addr 127.0.0.1:0 --token "$token" \
  --limit-bulk 100000000 --limit-sms 100000000 --balance 1000000000 > "$out/sandbox.out" &
sandbox_pid=$!
for _ in $(seq 100); do grep -q INSTASENT_BASE_URL "$out/sandbox.out" 2>/dev/null && break; sleep 0.1; done
export INSTASENT_BASE_URL="$(sed -n 's/^INSTASENT_BASE_URL=//p' "$out/sandbox.out")"
export INSTASENT_TOKEN="$token"
admin="${INSTASENT_BASE_URL%/transactional/v1}/_sandbox"
# Between runs: empty the ledger and let the DLRs of the previous run drain, so that each
# client starts from the same idle sandbox.
reset() { curl -fsS -X POST "$admin/reset" >/dev/null; sleep 3; }

python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
"$python_bin" -m pip install -q requests >/dev/null 2>&1 || true

results="$out/results.jsonl"
"$bench_bin" "$N" 8 current >> "$results"; reset
"$bench_bin" "$N" 8 multi >> "$results"; reset
if "$python_bin" -c "import instasent" 2>/dev/null; then
  "$python_bin" bench/python_campaign.py "$N" >> "$results"; reset
else echo '{"client":"python","skipped":"binding not installed (bindings-python/run-tests.sh)"}' >> "$results"; fi
if [ -d bindings-node/node_modules ] && ls bindings-node/*.node >/dev/null 2>&1; then
  node bench/node_campaign.mjs "$N" >> "$results"; reset
else echo '{"client":"node","skipped":"binding not built (bindings-node/run-tests.sh)"}' >> "$results"; fi
"$python_bin" bench/baselines.py docs-bulk "$N" >> "$results"; reset
"$python_bin" bench/baselines.py per-message $((N / 20)) >> "$results"; reset
"$bench_bin" 1000000 8 current | sed 's/"client":"rust (current-thread runtime)"/"client":"rust, 1,000,000 streamed"/' >> "$results"; reset

# The ceiling last: its millions of accepted messages leave DLR work behind in the sandbox that
# would slow whichever client ran next.
python3 bench/bulk-body.py "$out/bulk.lua" "$token"
wrk_row() {  # NAME SCRIPT
  wrk -t2 -c16 -d10s -s "$2" "$INSTASENT_BASE_URL/sms/bulk" > "$out/wrk.txt"
  read -r _ reqs micros errors < <(grep WRK_RESULT "$out/wrk.txt")
  python3 -c "import json; print(json.dumps({'client':'$1','messages':$reqs*100,'errors':$errors,'seconds':round($micros/1e6,3),'messagesPerSec':round($reqs*100/($micros/1e6))}))"
}
wrk_row "ceiling, same work: fresh clientIds" "$out/bulk.lua.ids" > "$out/same-work.jsonl"; reset
wrk_row "ceiling (wrk, 16 connections)" "$out/bulk.lua" >> "$results"
cat "$out/same-work.jsonl" >> "$results"

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
same_work = rows.pop()          # wrk building bodies with fresh clientIds, as the SDK sends
rows.insert(0, rows.pop())      # the ceiling, measured last, is shown first
rows.insert(1, same_work)
ceiling = rows[0]["messagesPerSec"]
same = same_work["messagesPerSec"]
print(f"{'client':44} {'messages':>9} {'msg/s':>9} {'of ceiling':>10} {'of same-work':>12} {'peak RSS':>9}")
for r in rows:
    if "skipped" in r:
        print(f"{r['client']:44} skipped: {r['skipped']}")
        continue
    rss = f"{r['peakRssMiB']:.1f} MiB" if "peakRssMiB" in r else ""
    print(f"{r['client']:44} {r['messages']:>9} {r['messagesPerSec']:>9} {r['messagesPerSec']/ceiling:>10.0%} {r['messagesPerSec']/same:>12.0%} {rss:>9}")
PY
