#!/usr/bin/env bash
# Campaign throughput, all in one run against one sandbox process (release build):
#   ceiling      wrk replaying one 100-item POST /sms/bulk body until the sandbox has accepted as
#                many messages as each client sends (bench/wrk_ceiling.py): the sandbox's own
#                limit for the same job, start-up included; wrk's 10 s steady state is listed too
#   wrk, clientIds  the same, with a unique clientId in every item as the SDK sends them (the
#                sandbox checks and records each): how much of a client's gap is that extra work
#   rust         instasent::Client::campaign, 100,000 messages, on a current-thread runtime and
#                on a multi-thread one (`#[tokio::main]`'s default)
#   python       instasent.Client.send_bulk (the Python binding), 100,000 messages from a
#                generator; again with the messages built into a list before the clock starts
#                (the SDK's share alone)
#   node         client.sendBulk (the Node binding), 100,000 messages, the same two ways
#   streamed     Python Client.campaign / Node client.campaign: results taken as they settle
#                instead of collected (from a generator)
#   php          SmsClient::campaign (the PHP package over libinstasent's streamed campaign),
#                100,000 messages from a generator, when php-cli is installed
#   floors       the Python and Node rows' own generators and loops with no SDK in between (mode
#                `floor` of bench/python_campaign.py and bench/node_campaign.mjs): the caller's
#                share of a row, which no SDK can go below; listed apart, with the CPU budget a
#                client has per message at 85% of the ceiling
#   docs-bulk    the Python snippet of the bulk docs page: requests, one batch after another
#   per-message  one POST /sms per message, as Instasent's old SDKs do
# and the peak RSS of a streamed 1,000,000-message campaign in Rust, Python, Node and PHP. ROUNDS
# (default 5) runs of each
# 100,000-message row; the table shows medians, and (per round) the lowest and highest of a row's
# ratios to the ceiling of the same round.
# Two placements, one table each (PLACEMENTS, default "separate shared"):
#   separate  the sandbox on CPU 0, every client (and wrk) on CPU 1: a server that does not
#             share the client's CPU, as the real API does not
#   shared    both on both cores, as the scheduler pleases
# Usage: bench/campaign.sh [MESSAGES]   Prints the tables of messages/s and ratios to the ceiling.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
N="${1:-100000}"
out="$(mktemp -d)"
sandbox_pid=
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$out"' EXIT

. scripts/need.sh && need wrk wrk
. bench/lib.sh
bench_bin=$(build_campaign_bench)
command -v php >/dev/null && cargo build --release -q -p instasent-c

# One table: its own sandbox process, every row against it. (Not indented: heredocs inside.)
run_placement() {
local placement=$1
start_sandbox $on_server
# Between runs: empty the ledger and let the DLRs of the previous run drain, so that each
# client starts from the same idle sandbox.
reset() { curl -fsS -X POST "$admin/reset" >/dev/null; sleep 3; }

python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
"$python_bin" -m pip install -q requests >/dev/null 2>&1 || true

results="$out/results-$placement.jsonl"
cpu() { $on_client python3 bench/cpu.py "$sandbox_pid" "$@"; }
python3 bench/bulk-body.py "$out/bulk.lua" "$token"
python3 bench/bulk-body.py "$out/bulk-client-ids.lua" "$token" --client-ids
have_python=0; "$python_bin" -c "import instasent" 2>/dev/null && have_python=1
have_node=0; [ -d bindings-node/node_modules ] && ls bindings-node/*.node >/dev/null 2>&1 && have_node=1
have_php=0; command -v php >/dev/null && [ -f "$CARGO_TARGET_DIR/release/libinstasent.so" ] && have_php=1
export INSTASENT_LIB="$CARGO_TARGET_DIR/release/libinstasent.so"
# Rounds of every 100,000-message row, interleaved so that a passing disturbance of the machine
# hits one round of each rather than every run of one row; the table shows each row's median.
for round in $(seq "${ROUNDS:-5}"); do
  cpu python3 bench/wrk_ceiling.py "ceiling: wrk replaying one body" "$out/bulk.lua" "$N" >> "$results"; reset
  cpu python3 bench/wrk_ceiling.py "wrk, a unique clientId per item" "$out/bulk-client-ids.lua" "$N" >> "$results"; reset
  cpu "$bench_bin" "$N" 8 current >> "$results"; reset
  # As many requests in flight as wrk's 16 connections.
  cpu "$bench_bin" "$N" 16 current | sed 's/"client": *"rust (current-thread runtime)"/"client": "rust (current-thread, concurrency 16)"/' >> "$results"; reset
  cpu "$bench_bin" "$N" 8 multi >> "$results"; reset
  if [ $have_python = 1 ]; then
    cpu "$python_bin" bench/python_campaign.py "$N" >> "$results" \
      || echo '{"client":"python (instasent binding)","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu "$python_bin" bench/python_campaign.py "$N" prebuilt >> "$results" \
      || echo '{"client":"python, messages built beforehand","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu "$python_bin" bench/python_campaign.py "$N" stream >> "$results" \
      || echo '{"client":"python, streamed (Client.campaign)","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu "$python_bin" bench/python_campaign.py "$N" floor >> "$results"
  fi
  if [ $have_node = 1 ]; then
    cpu node bench/node_campaign.mjs "$N" >> "$results" \
      || echo '{"client":"node (instasent binding)","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu node bench/node_campaign.mjs "$N" prebuilt >> "$results" \
      || echo '{"client":"node, messages built beforehand","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu node bench/node_campaign.mjs "$N" stream >> "$results" \
      || echo '{"client":"node, streamed (client.campaign)","skipped":"the run failed (its error is above)"}' >> "$results"; reset
    cpu node bench/node_campaign.mjs "$N" floor >> "$results"
  fi
  if [ $have_php = 1 ]; then
    cpu php -d ffi.enable=1 bench/php_campaign.php "$N" stream >> "$results" \
      || echo '{"client":"php, streamed (campaign())","skipped":"the run failed (its error is above)"}' >> "$results"; reset
  fi
  cpu "$python_bin" bench/baselines.py docs-bulk "$N" >> "$results"; reset
done
[ $have_python = 1 ] || echo '{"client":"python (instasent binding)","skipped":"binding not installed (bindings-python/run-tests.sh)"}' >> "$results"
[ $have_node = 1 ] || echo '{"client":"node (instasent binding)","skipped":"binding not built (bindings-node/run-tests.sh)"}' >> "$results"
[ $have_php = 1 ] || echo '{"client":"php, streamed (campaign())","skipped":"php-cli not installed"}' >> "$results"
cpu "$python_bin" bench/baselines.py per-message $((N / 20)) >> "$results"; reset
cpu "$bench_bin" 1000000 8 current | sed 's/"client": *"rust (current-thread runtime)"/"client": "rust, 1,000,000 streamed"/' >> "$results"; reset
if [ $have_python = 1 ]; then
  cpu "$python_bin" bench/python_campaign.py 1000000 stream | sed 's/"client": *"[^"]*"/"client": "python, 1,000,000 streamed"/' >> "$results"; reset
  cpu "$python_bin" bench/python_campaign.py 1000000 floor | sed 's/"client": *"[^"]*"/"client": "python floor, 1,000,000"/' >> "$results"
fi
if [ $have_node = 1 ]; then
  cpu node bench/node_campaign.mjs 1000000 stream | sed 's/"client": *"[^"]*"/"client": "node, 1,000,000 streamed"/' >> "$results"; reset
  cpu node bench/node_campaign.mjs 1000000 floor | sed 's/"client": *"[^"]*"/"client": "node floor, 1,000,000"/' >> "$results"
fi
if [ $have_php = 1 ]; then
  cpu php -d ffi.enable=1 bench/php_campaign.php 1000000 stream | sed 's/"client": *"[^"]*"/"client": "php, 1,000,000 streamed"/' >> "$results"; reset
fi
# For reference, last (its millions of messages leave DLR work behind): wrk's steady state
# over 10 s, start-up not in the figure.
$on_client wrk -t2 -c16 -d10s -s "$out/bulk.lua" "$INSTASENT_BASE_URL/sms/bulk" > "$out/wrk.txt"
python3 - "$out/wrk.txt" >> "$results" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
reqs = int(re.search(r"(\d+) requests in", text).group(1))
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(json.dumps({"client": "wrk steady state, 10 s (reference)", "messages": reqs * 100,
                  "messagesPerSec": round(rate * 100)}))
PY

echo
echo "== placement: $placement =="
python3 - "$results" "$placement" <<'PY'
import json, sys
placement = sys.argv[2]
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["client"], []).append(r)
def median(rs):
    ok = [r for r in rs if "skipped" not in r]
    if not ok:
        return rs[0]
    ok.sort(key=lambda r: r["messagesPerSec"])
    return ok[len(ok) // 2]
ceiling_name = "ceiling: wrk replaying one body"
rows = {name: median(rs) for name, rs in runs.items()}
ceiling = rows[ceiling_name]["messagesPerSec"]
# The k-th run of a row belongs to round k, as does the k-th ceiling: the spread of a row's
# ratio to its own round's ceiling shows how far one run of this table can move.
def spread(name):
    if name == ceiling_name:
        return ""
    pairs = [(r, c) for r, c in zip(runs[name], runs[ceiling_name]) if "skipped" not in r]
    if len(pairs) < 2:
        return ""
    ratios = [r["messagesPerSec"] / c["messagesPerSec"] for r, c in pairs]
    return f"{min(ratios):.0%}–{max(ratios):.0%}"
print(f"{'client':40} {'messages':>9} {'msg/s (median)':>14} {'runs':>4} {'of ceiling':>10} {'per round':>10} {'peak RSS':>9} {'client µs/msg':>13} {'sandbox µs/msg':>14}")
floors = {name: r for name, r in rows.items() if "floor" in name}
for name in floors:
    del rows[name]
for name, r in rows.items():
    if "skipped" in r:
        print(f"{name:40} skipped: {r['skipped']}")
        continue
    rss = f"{r['peakRssMiB']:.1f} MiB" if "peakRssMiB" in r else ""
    cpu = f"{r['clientCpuUsPerMsg']:>13} {r['sandboxCpuUsPerMsg']:>14}" if "clientCpuUsPerMsg" in r else ""
    print(f"{name:40} {r['messages']:>9} {r['messagesPerSec']:>14} {len(runs[name]):>4} {r['messagesPerSec']/ceiling:>10.0%} {spread(name):>10} {rss:>9} {cpu}")
if floors:
    # A floor runs on the client's core alone and sends nothing: its time per message is CPU.
    print()
    print(f"{'floor (no SDK: the row’s own generator and loop)':52} {'µs/msg':>7} {'peak RSS':>9}")
    for name, r in floors.items():
        print(f"{name:52} {1e6 / r['messagesPerSec']:>7.2f} {r['peakRssMiB']:>5.1f} MiB")
if floors and placement == "separate":
    # Only a client with a core of its own has the whole of it to spend.
    budget = 1e6 / (0.85 * ceiling)
    print(f"at 85% of this ceiling a client has {budget:.2f} µs of its core per message")
    core = rows.get("rust (current-thread runtime)", {}).get("clientCpuUsPerMsg")
    if core is not None:
        print(f"  the Rust client spends {core:.2f} of it (the core's work, plus building its messages)")
        for lang, row in (("python", "python (instasent binding)"), ("node", "node (instasent binding)")):
            floor = next((1e6 / r["messagesPerSec"] for n, r in floors.items() if n.startswith(f"{lang} floor:")), None)
            spent = rows.get(row, {}).get("clientCpuUsPerMsg")
            if floor is not None and spent is not None:
                print(f"  {lang}: {budget:.2f} − floor {floor:.2f} − Rust client {core:.2f} = {budget - floor - core:.2f} µs "
                      f"left for the binding's own work; the {lang} row spends {spent:.2f} in all")
PY
kill "$sandbox_pid" 2>/dev/null || true
wait "$sandbox_pid" 2>/dev/null || true
}

for placement in ${PLACEMENTS:-separate shared}; do
  case $placement in
    separate)
      if [ "$(nproc)" -lt 2 ]; then echo "separate placement needs 2 CPUs; skipped"; continue; fi
      on_server="taskset -c 0"; on_client="taskset -c 1" ;;
    shared) on_server=""; on_client="" ;;
    *) echo "unknown placement $placement (separate, shared)" >&2; exit 2 ;;
  esac
  run_placement "$placement"
done
