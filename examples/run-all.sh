#!/usr/bin/env bash
# Runs every example (Rust, Python, Node, C, PHP) against ONE sandbox on 127.0.0.1 and checks
# that each exits 0 and prints its key lines. Builds or installs what is missing first.
# Usage: examples/run-all.sh [rust|python|node|c|php …]   (default: all). Logs: target/examples/logs/
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
release="$CARGO_TARGET_DIR/release"
work="$CARGO_TARGET_DIR/examples"
logs="$work/logs"
mkdir -p "$logs"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(rust python node c php)
for lang in "${langs[@]}"; do
  case "$lang" in rust | python | node | c | php) ;; *) echo "unknown language: $lang" >&2; exit 2 ;; esac
done
wants() { [[ " ${langs[*]} " == *" $1 "* ]]; }
die() { echo "run-all: $*" >&2; exit 1; }
source "$root/scripts/need.sh"

# ---- what the examples need --------------------------------------------------------------
# Always built (cargo does nothing when they are up to date): a stale sandbox or library would
# test the examples against old code.
cargo build --release -p instasent-sandbox -p instasent-c || die "cargo build failed"
if wants rust; then
  # Compiled up front so that `cargo run` below only runs them.
  cargo build --release -p instasent --example send --example campaign --example segments \
    --example dlr_webhook --example ambiguous_send || die "the Rust examples do not build"
  # The README's main job (scripts/demo.sh) runs the CLI.
  cargo build --release -p instasent-cli || die "the CLI does not build"
fi
py="$root/bindings-python/.venv/bin/python"
if wants python && ! "$py" -c 'import instasent' 2>/dev/null; then
  # bindings-python/run-tests.sh normally made this venv; it has no install-only mode.
  [ -x "$py" ] || python3 -m venv "$root/bindings-python/.venv" || die "cannot create the venv"
  "$py" -m pip install --quiet --disable-pip-version-check "$root/bindings-python" \
    || die "pip install ./bindings-python failed"
fi
if wants node && ! compgen -G "$root/bindings-node/*.node" >/dev/null; then
  # bindings-node/run-tests.sh normally built it; npm install builds the addon when missing.
  (cd "$root/bindings-node" && npm install --no-audit --no-fund) || die "the Node addon does not build"
fi
if wants php; then
  need php php-cli || die "cannot install php-cli"
fi

# ---- the sandbox -------------------------------------------------------------------------
token="examples-$RANDOM$RANDOM"
"$release/instasent-sandbox" --addr 127.0.0.1:0 --token "$token" >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do
  grep -q '^INSTASENT_BASE_URL=' "$work/sandbox.out" && break
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
base_url="$(sed -n 's/^INSTASENT_BASE_URL=//p' "$work/sandbox.out" | head -n1)"
[ -n "$base_url" ] || { cat "$work/sandbox.err" >&2; die "the sandbox did not start"; }
export INSTASENT_BASE_URL="$base_url" INSTASENT_TOKEN="$token"
export INSTASENT_LIB="$release/libinstasent.so"
echo "sandbox: $base_url"

# ---- running and checking ----------------------------------------------------------------
passed=0
failed=0
failures=()
# check NAME 'PATTERN[|PATTERN…]' COMMAND…: COMMAND exits 0 and its stdout has a line matching
# each extended regex PATTERN (split on ' || ').
check() {
  local name="$1" patterns="$2"; shift 2
  local log="$logs/${name//\//-}.log" t0=$SECONDS ok=1 missing=""
  timeout 300 "$@" >"$log" 2>"$log.err" || { missing="exit status $?"; ok=0; }
  if [ $ok = 1 ]; then
    local pattern
    while IFS= read -r pattern; do
      grep -Eq -- "$pattern" "$log" || { ok=0; missing="no line matching /$pattern/"; break; }
    done < <(printf '%s\n' "${patterns// || /$'\n'}")
  fi
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
    printf 'ok    %-22s %3d s  %s\n' "$name" $((SECONDS - t0)) "$(grep -Em1 -- "${patterns%% || *}" "$log" | cut -c1-70)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL  %-22s %3d s  %s\n' "$name" $((SECONDS - t0)) "$missing"
    tail -n 15 "$log" "$log.err" | sed 's/^/      /'
  fi
}
# refused NAME 'PATTERN' COMMAND…: COMMAND, sent with a token the sandbox refuses, exits
# non-zero and says why (stdout or stderr matches PATTERN): an example must not look like a
# success when the API said no.
refused() {
  local name="$1" pattern="$2"; shift 2
  local log="$logs/${name//\//-}.refused.log"
  local rc=0
  INSTASENT_TOKEN=not-the-token timeout 120 "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    failed=$((failed + 1)); failures+=("$name")
    printf 'FAIL  %-22s exit status 0 with a refused token\n' "$name"
  elif ! grep -Eq -- "$pattern" "$log"; then
    failed=$((failed + 1)); failures+=("$name")
    printf 'FAIL  %-22s no line matching /%s/\n' "$name" "$pattern"
    tail -n 15 "$log" | sed 's/^/      /'
  else
    passed=$((passed + 1))
    printf 'ok    %-22s exits %s with a refused token\n' "$name" "$rc"
  fi
}
# The refusal itself, not any line with 401 in it ("input 401 not sent" is a row number).
unauthorized='UNAUTHORIZED|Unauthorized|response_code: 401|HTTP 401'

check readme/quickstarts '^ok   README quickstarts' python3 scripts/check-quickstarts.py

# The one sandbox has no webhook (a webhook nobody listens on would stall its delivery queue
# behind retries), so the dlr_webhook examples start their own, pointed at their receiver.
embedded=(env -u INSTASENT_BASE_URL -u INSTASENT_TOKEN)
# Per language: the key lines of send, campaign, segments, the DLR example and ambiguous_send.
send_ok='^response_code: 201 || "status": ?"enqueued"'
campaign_ok='^accepted: 297, rejected: 3, failed: 0$ || No route to this destination'
segments_ok='^needs UCS-2: encoding=UCS-2 || ^smart encoding: encoding=GSM-7 segments=1'
webhook_ok='failed code 3 \(Absent permanently\) || ^final statuses: .*delivered.?: ?2'
parse_ok='failed \(raw failed\) code 3 \(Absent permanently\) || raw DELIVRD'
# Each provokes AMBIGUOUS_OUTCOME twice in a sandbox of its own: a send committed and then
# dropped is found and not resent; one answered 500 is not in the history and is resent. Each
# ends up in the ledger once.
ambiguous_send_ok='^ledger: order-1001 x1, order-1002 x1$ || ^order-1001: AMBIGUOUS_OUTCOME, may have been sent: ([Tt]rue)$ || ^order-1001: already sent as [0-9a-f]+, not sent again$ || ^order-1002: not in the history, sent again as [0-9a-f]+$'

if wants rust; then
  rust=(cargo run -q --release -p instasent --example)
  check rust/send '^HTTP 201: id= || ^documented: response_code=404' "${rust[@]}" send
  refused rust/send "$unauthorized" "${rust[@]}" send
  refused rust/campaign "$unauthorized" "${rust[@]}" campaign
  check rust/campaign '^accepted 1996, rejected 4, not sent 0$' "${rust[@]}" campaign
  check rust/segments 'UCS-2 || ^smart: .* GSM-7 1$' "${rust[@]}" segments
  check rust/dlr_webhook 'failed code Some\(3\) \(Absent permanently\)' "${embedded[@]}" "${rust[@]}" dlr_webhook
  check rust/ambiguous_send "$ambiguous_send_ok" "${rust[@]}" ambiguous_send
  # The README's first command: the 5,000-row campaign with its own sandbox, and the summary the
  # README shows (examples/campaign.csv and the sandbox's outcomes are fixed, so are the counts).
  # The counts need every report in: a loaded CI machine gets longer than the default 30 s.
  check readme/demo '^delivery reports for 4960 messages || ^  accepted +4960$ || ^  rejected +40 +\(34 by local checks, 6 by the API\)$ || ^  segments +7357 || ^  delivered +4889$ || ^  undelivered +61$' \
    "${embedded[@]}" scripts/demo.sh --dlr-timeout 300
fi
if wants python; then
  for ex in send campaign segments ambiguous_send; do
    ok_var="${ex}_ok"
    check "python/$ex" "${!ok_var}" "$py" "examples/python/$ex.py"
  done
  refused python/send "$unauthorized" "$py" examples/python/send.py
  refused python/campaign "$unauthorized" "$py" examples/python/campaign.py
  check python/dlr_webhook "$webhook_ok" "${embedded[@]}" "$py" examples/python/dlr_webhook.py
fi
if wants node; then
  for ex in send campaign segments ambiguous_send; do
    ok_var="${ex}_ok"
    check "node/$ex" "${!ok_var}" node "examples/node/$ex.js"
  done
  refused node/send "$unauthorized" node examples/node/send.js
  refused node/campaign "$unauthorized" node examples/node/campaign.js
  check node/dlr_webhook "$webhook_ok" "${embedded[@]}" node examples/node/dlr_webhook.js
fi
if wants c; then
  mkdir -p "$work/c"
  for ex in send campaign segments dlr_parse dlr_webhook ambiguous_send; do
    # No warnings allowed: the examples are what users copy.
    if cc -std=c11 -Wall -Wextra -Werror -O2 -I bindings-c/include "examples/c/$ex.c" \
      -L "$release" -linstasent -Wl,-rpath,"$release" -o "$work/c/$ex" 2>"$logs/c-$ex.cc.err"; then
      ok_var="${ex}_ok"
      run=("$work/c/$ex")
      case "$ex" in
        dlr_parse) ok_var=parse_ok ;;
        dlr_webhook) ok_var=webhook_ok; run=("${embedded[@]}" "$work/c/$ex") ;;
      esac
      check "c/$ex" "${!ok_var}" "${run[@]}"
      case "$ex" in send | campaign) refused "c/$ex" "$unauthorized" "${run[@]}" ;; esac
    else
      failed=$((failed + 1))
      failures+=("c/$ex")
      printf 'FAIL  %-22s does not compile\n' "c/$ex"
      sed 's/^/      /' "$logs/c-$ex.cc.err"
    fi
  done
fi
if wants php; then
  for ex in send campaign segments dlr_parse ambiguous_send; do
    ok_var="${ex}_ok"
    [ "$ex" = dlr_parse ] && ok_var=parse_ok
    check "php/$ex" "${!ok_var}" php -d ffi.enable=1 "examples/php/$ex.php"
  done
  refused php/send "$unauthorized" php -d ffi.enable=1 examples/php/send.php
  refused php/campaign "$unauthorized" php -d ffi.enable=1 examples/php/campaign.php
  # Its receiver is `php -S` running examples/php/dlr_webhook_receiver.php, started by the example.
  check php/dlr_webhook "$webhook_ok" "${embedded[@]}" php -d ffi.enable=1 examples/php/dlr_webhook.php
fi

stats="$(curl -fsS "${base_url%/transactional/v1}/_sandbox/stats" 2>/dev/null)" && echo "sandbox stats: $stats"
[ "$failed" -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
