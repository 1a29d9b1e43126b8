#!/usr/bin/env bash
# Runs every test suite of the project — Rust, Python, Node, C, PHP, the examples — against
# sandboxes on loopback ports. Installs what it needs first, so it works on a fresh machine
# (rustc/cargo, python3, node/npm and a C compiler assumed; cmake, pkg-config, valgrind,
# python3-venv and php-cli are installed from Debian's packages when missing, see need.sh).
# Usage: scripts/test-all.sh [suite…]   suites: rust python node c examples (default: all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Nothing here may reach the production API: every client points at a local sandbox.
unset INSTASENT_BASE_URL INSTASENT_TOKEN

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(rust python node c examples)

passed=0
failed=0
failures=()
run_suite() {
  local name="$1"; shift
  echo
  echo "=== suite: $name ==="
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== suite $name: ok ($((SECONDS - t0)) s) ==="
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== suite $name: FAILED ($((SECONDS - t0)) s) ==="
  fi
}

rust_suite() {
  # Release binaries first: the bindings, examples and CLI tests use them. Tests run in the
  # release profile too, so the dependency tree is compiled once for everything.
  cargo build --release -p instasent-sandbox -p instasent-cli
  cargo test --release -p instasent -p instasent-sandbox -p instasent-cli
  # The bindings' own Rust unit tests (their suites in each language run below).
  cargo test --release -p instasent-c -p instasent-node --lib
}

for suite in "${suites[@]}"; do
  case "$suite" in
    rust) run_suite rust rust_suite ;;
    python) run_suite python bash bindings-python/run-tests.sh ;;
    node) run_suite node bash bindings-node/run-tests.sh ;;
    c) run_suite c-php bash bindings-c/run-tests.sh ;;
    examples) run_suite examples bash examples/run-all.sh ;;
    *) echo "unknown suite: $suite" >&2; exit 2 ;;
  esac
done

echo
if [ "$failed" -gt 0 ]; then
  echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
