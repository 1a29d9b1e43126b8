#!/usr/bin/env bash
# Client instructions per message of a campaign, counted by callgrind: the work each client does,
# free of the noise that moves the timings of bench/campaign.sh by ±30% on a shared VM. Each
# client sends SMALL and then LARGE messages (default 10,000 and 60,000) to a sandbox; the
# difference divided by LARGE − SMALL leaves start-up out. User-space instructions only (the
# kernel's share of the HTTP work is not counted); instructions are not time, but a change
# that removes work shows here to the percent. The Rust and Python counts repeat to within
# 0.5%; Node's move by up to ±15% between runs (V8 compiles and collects on its own schedule),
# so its row is the median of three.
#   rust     instasent::Client::campaign, current-thread runtime, concurrency 8 (core/benches)
#   python   Client.send_bulk over a generator, and Client.campaign (streamed) over one
#            (bench/python_campaign.py)
#   node     sendBulk over a generator, and client.campaign (streamed) over one
#            (bench/node_campaign.mjs)
# Every client builds its messages (f-strings, dicts, format!) inside the count, as in
# bench/campaign.sh. Usage: bench/instructions.sh   (~5 min; installs valgrind if missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
SMALL="${SMALL:-10000}"
LARGE="${LARGE:-60000}"
out="$(mktemp -d)"
sandbox_pid=
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$out"' EXIT

. scripts/need.sh && need valgrind valgrind
. bench/lib.sh
bench_bin=$(build_campaign_bench)
start_sandbox

# Instructions of one run of "$@" with N messages ({N} in the command stands for it).
count() {
  local n=$1; shift
  local cmd=("${@//\{N\}/$n}")
  curl -fsS -X POST "$admin/reset" >/dev/null
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "${cmd[@]}" 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p' | tail -1
}

per_message() {
  local small large
  small=$(count "$SMALL" "$@")
  large=$(count "$LARGE" "$@")
  echo $(( (large - small) / (LARGE - SMALL) ))
}

python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
printf '%-52s %s\n' "client" "instructions per message"
printf '%-52s %s\n' "rust (current-thread runtime, concurrency 8)" "$(per_message "$bench_bin" '{N}' 8 current)"
if "$python_bin" -c "import instasent" 2>/dev/null; then
  printf '%-52s %s\n' "python, messages from a generator" "$(per_message "$python_bin" bench/python_campaign.py '{N}')"
  printf '%-52s %s\n' "python streamed, messages from a generator" "$(per_message "$python_bin" bench/python_campaign.py '{N}' stream)"
else
  echo "python: skipped (binding not installed: bindings-python/run-tests.sh)"
fi
if ls bindings-node/*.node >/dev/null 2>&1; then
  runs=$(for _ in 1 2 3; do per_message node bench/node_campaign.mjs '{N}'; done | sort -n | tr '\n' ' ')
  printf '%-52s %s\n' "node, messages from a generator (median of 3)" "$(echo "$runs" | awk '{print $2}')  (runs: $runs)"
  runs=$(for _ in 1 2 3; do per_message node bench/node_campaign.mjs '{N}' stream; done | sort -n | tr '\n' ' ')
  printf '%-52s %s\n' "node streamed, from a generator (median of 3)" "$(echo "$runs" | awk '{print $2}')  (runs: $runs)"
else
  echo "node: skipped (addon not built: bindings-node/run-tests.sh)"
fi
