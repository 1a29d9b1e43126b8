#!/usr/bin/env bash
# libinstasent + PHP package, from a fresh clone: release build, header drift check, C tests
# under ASan/UBSan (CTest), the installed library found by a CMake example through pkg-config and
# run under valgrind, then the PHP suite over FFI. Everything talks to sandboxes on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HERE="$ROOT/bindings-c"
export CARGO_TARGET_DIR="$ROOT/target"
LIB_DIR="$CARGO_TARGET_DIR/release"
WORK="$CARGO_TARGET_DIR/bindings-c"
mkdir -p "$WORK"

step() { printf '\n== %s\n' "$*"; }
source "$ROOT/scripts/need.sh"
need cmake cmake
need pkg-config pkg-config
need valgrind valgrind

step "cargo build (release): libinstasent + the sandbox binary"
cargo build -p instasent-c --release
cargo build -p instasent-sandbox --release --bin instasent-sandbox

step "generated headers match the committed ones"
# build.rs regenerated include/*.h; a difference means someone changed the ABI without
# committing the header.
git -C "$ROOT" diff --exit-code -- bindings-c/include
if [ -n "$(git -C "$ROOT" status --porcelain -- bindings-c/include)" ]; then
  echo "uncommitted files in bindings-c/include" >&2
  git -C "$ROOT" status --porcelain -- bindings-c/include >&2
  exit 1
fi

step "C tests with -fsanitize=address,undefined (CTest)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
cmake -S "$HERE" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Debug \
  -DINSTASENT_LIB_DIR="$LIB_DIR" -DCMAKE_C_FLAGS="$SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$WORK/build" -j 2
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# No LeakSanitizer suppressions: the process-wide tokio runtime lives in a static (reachable),
# and every handle the tests receive is freed.
(cd "$WORK/build" && ctest --output-on-failure)

step "install, then the CMake example finds it with pkg-config"
rm -rf "$WORK/prefix" "$WORK/example"
cmake --install "$WORK/build" --prefix "$WORK/prefix" >/dev/null
PC_DIR="$(dirname "$(find "$WORK/prefix" -name instasent.pc | head -n1)")"
PKG_CONFIG_PATH="$PC_DIR" cmake -S "$HERE/examples" -B "$WORK/example" >/dev/null
cmake --build "$WORK/example"

step "the example under valgrind, against the sandbox binary"
SANDBOX_OUT="$WORK/sandbox.out"
INSTASENT_TOKEN=sandbox-token "$LIB_DIR/instasent-sandbox" --addr 127.0.0.1:0 >"$SANDBOX_OUT" 2>"$WORK/sandbox.err" &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^INSTASENT_BASE_URL=' "$SANDBOX_OUT" && break
  sleep 0.1
done
BASE_URL="$(sed -n 's/^INSTASENT_BASE_URL=//p' "$SANDBOX_OUT" | head -n1)"
[ -n "$BASE_URL" ] || { echo "the sandbox did not start:" >&2; cat "$WORK/sandbox.err" >&2; exit 1; }
LD_LIBRARY_PATH="$(dirname "$PC_DIR")" INSTASENT_BASE_URL="$BASE_URL" INSTASENT_TOKEN=sandbox-token \
  valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
  --suppressions="$HERE/tests/valgrind.supp" --quiet "$WORK/example/send_sms"
kill "$SANDBOX_PID" 2>/dev/null || true

step "PHP package over FFI"
need php php-cli
INSTASENT_LIB="$LIB_DIR/libinstasent.so" php -d ffi.enable=1 "$HERE/php/tests/run.php"
