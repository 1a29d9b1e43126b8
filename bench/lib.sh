# Sourced by the campaign benchmarks (campaign.sh, instructions.sh): building what they run and
# starting the sandbox they run against. Expects `out` and CARGO_TARGET_DIR set.

token="bench-token-$$"

# Builds the release sandbox and the Rust campaign bench; prints the bench's executable
# (core/tests/campaign.rs builds a `campaign-*` binary too, so it is picked by target kind).
build_campaign_bench() {
  cargo build --release -q -p instasent-sandbox
  cargo bench -q -p instasent --bench campaign --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["kind"] == ["bench"] and m.get("executable"):
        print(m["executable"])'
}

# start_sandbox [LAUNCHER...]: a release sandbox with limits out of the way, started through
# LAUNCHER (e.g. `taskset -c 0`) if given. Sets sandbox_pid, INSTASENT_BASE_URL,
# INSTASENT_TOKEN (= $token) and admin (the sandbox's control URL).
start_sandbox() {
  "$@" "$CARGO_TARGET_DIR/release/instasent-sandbox" --addr 127.0.0.1:0 --token "$token" \
    --limit-bulk 100000000 --limit-sms 100000000 --balance 1000000000 > "$out/sandbox.out" &
  sandbox_pid=$!
  for _ in $(seq 100); do grep -q INSTASENT_BASE_URL "$out/sandbox.out" 2>/dev/null && break; sleep 0.1; done
  INSTASENT_BASE_URL="$(sed -n 's/^INSTASENT_BASE_URL=//p' "$out/sandbox.out")"
  export INSTASENT_BASE_URL
  export INSTASENT_TOKEN="$token"
  admin="${INSTASENT_BASE_URL%/transactional/v1}/_sandbox"
}
