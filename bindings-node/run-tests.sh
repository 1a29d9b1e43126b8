#!/usr/bin/env bash
# Everything CI checks for the Node package, from a fresh clone:
#   1. dev dependencies (npm), 2. the addon built with the workspace's target dir,
#   3. index.d.ts / native.js identical to what `napi build` generates (committed, no drift),
#   4. the TypeScript example compiles with --strict, 5. the node:test suite against the sandbox,
#   6. `npm install ./bindings-node` from another folder builds the addon and works,
#   7. the tarball `npm pack` makes, installed elsewhere, works (its `files` hold what it needs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cd "$here"

step() { printf '\n== %s\n' "$*"; }

step "npm install (dev dependencies)"
npm install --ignore-scripts --no-audit --no-fund

step "napi build --platform --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
npx napi build --platform --release --js native.js --dts index.d.ts

step "generated bindings match the committed ones"
git -C "$repo" diff --exit-code -- bindings-node/index.d.ts bindings-node/native.js bindings-node/index.js

step "tsc --strict on the TypeScript example"
npx tsc -p examples --noEmit --strict

step "node --test __test__/"
node --test __test__/

step "npm install ./bindings-node from another folder (the install script builds the addon)"
addon="$(ls "$here"/instasent.*.node)"
mv "$addon" "$addon.bak"
restore() { [ -f "$addon" ] || mv "$addon.bak" "$addon"; rm -f "$addon.bak"; }
trap restore EXIT
tmp="$(mktemp -d)"
(
  cd "$tmp"
  npm init -y >/dev/null
  npm install --no-audit --no-fund "$here"
  test -f "$addon" || { echo "the install script did not build $addon" >&2; exit 1; }
  node -e '
    const t0 = process.hrtime.bigint()
    const Instasent = require("instasent")
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    console.log(`require("instasent") from an installed package: ${ms.toFixed(1)} ms`)
    Instasent.Sandbox.start().then(async (sb) => {
      const client = new Instasent.SmsClient(sb.token, { baseUrl: sb.baseUrl })
      const r = await client.sendSms("Acme", "+34600000000", "installed")
      if (r.response_code !== 201) throw new Error(`unexpected ${r.response_code}`)
      sb.stop()
      console.log("installed package sends: ok")
    })'
  node --input-type=module -e 'import Instasent, { SmsClient } from "instasent"; if (Instasent.SmsClient !== SmsClient) process.exit(1); console.log("ESM import: ok")'
  # The TypeScript example, compiled and run against the installed package.
  "$here/node_modules/.bin/tsc" -p "$here/examples" --outDir "$tmp/dist"
  NODE_PATH="$tmp/node_modules" node "$tmp/dist/campaign.js"
)
rm -rf "$tmp"
restore
trap - EXIT

step "npm pack, installed from the tarball (what a registry would serve: only package.json's files)"
tmp="$(mktemp -d)"
npm pack --silent --pack-destination "$tmp" >/dev/null
(
  cd "$tmp"
  npm init -y >/dev/null
  npm install --no-audit --no-fund ./instasent-*.tgz
  # A copy, not a link to this folder: a file missing from `files` is missing here.
  test ! -L node_modules/instasent
  node -e '
    const Instasent = require("instasent")
    Instasent.Sandbox.start().then(async (sb) => {
      const r = await new Instasent.SmsClient(sb.token, { baseUrl: sb.baseUrl }).sendSms("Acme", "+34600000000", "packed")
      if (r.response_code !== 201) throw new Error(`unexpected ${r.response_code}`)
      sb.stop()
      console.log("packed package sends: ok")
    })'
  node --input-type=module -e 'import { SmsClient, segments } from "instasent"; if (segments("hi").segments !== 1) process.exit(1); console.log("packed ESM import: ok")'
  cat > typed.ts <<'TS'
import { SmsClient, InstasentError, type ErrorCode } from 'instasent'
const code: ErrorCode = 'AMBIGUOUS_OUTCOME'
const client: SmsClient = new SmsClient('token')
export { code, client, InstasentError }
TS
  "$here/node_modules/.bin/tsc" --strict --noEmit --module nodenext --moduleResolution nodenext --types node --typeRoots "$here/node_modules/@types" typed.ts
  echo "packed types: ok"
)
rm -rf "$tmp"
echo
echo "bindings-node: all checks passed"
