#!/usr/bin/env bash
# The main job: a 5,000-row personalised campaign (examples/campaign.csv, some rows invalid on
# purpose) sent through an embedded sandbox with a live progress bar, delivery reports coming
# back over HTTP to a local webhook, and a closing summary. Needs only cargo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec cargo run --release -q -p instasent-cli -- --sandbox campaign examples/campaign.csv \
  --template "Hola {name}, tu pedido {order} llega a {city} el {date}.{note}" \
  --results target/demo-results.jsonl --wait-dlr "$@"
