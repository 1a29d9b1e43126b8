#!/usr/bin/env bash
# Segment analysis throughput, all in one run on the same deterministic texts (segments_gen.py):
#   gsm7     ~1 MB of GSM-7 SMS sentences, one call          (MB/s of UTF-8 input)
#   ucs2     ~1 MB of Spanish accents, emoji and Cyrillic     (MB/s)
#   corpus   100,000 SMS of 60-200 characters, one call each  (messages/s), as users call it
# across the Python binding instasent.segments, a pure-Python StackOverflow-style counter
# (segments_naive.py), the Node binding segments() and Twilio's npm sms-segments-calculator,
# plus the Rust core's own criterion figures (core/benches/encoding.rs, its own 1 MB texts;
# SEGMENTS_CRITERION=0 skips them). Twilio's calculator is super-linear in the text length, so on
# the 1 MB texts it (and ours, for its ratio) runs on a 16K-unit prefix. Checks that every implementation gives the same segment
# count per corpus message as ours and shows where they differ.
# Usage: bench/segments.sh [MESSAGES]   Prints a table with ratios to ours in the same runtime.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
N="${1:-100000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

python_bin="$root/bindings-python/.venv/bin/python"
[ -x "$python_bin" ] || python_bin=python3
[ -d bench/node_modules/sms-segments-calculator ] || (cd bench && npm install --no-audit --no-fund --silent)

"$python_bin" bench/segments_gen.py "$out" "$N"
results="$out/results.jsonl"
if "$python_bin" -c "import instasent" 2>/dev/null; then
  "$python_bin" bench/segments_py.py "$out" >> "$results"
else echo '{"impl":"python","skipped":"binding not installed (bindings-python/run-tests.sh)"}' >> "$results"; fi
if ls bindings-node/*.node >/dev/null 2>&1; then
  node bench/segments_node.mjs "$out" >> "$results"
else echo '{"impl":"node","skipped":"binding not built (bindings-node/run-tests.sh)"}' >> "$results"; fi
if [ "${SEGMENTS_CRITERION:-1}" != 0 ]; then
  cargo bench -q -p instasent --bench encoding -- --warm-up-time 1 --measurement-time 3 \
    'analyze/(gsm7_spanish_1MB|ucs2_1MB|gsm7_sms_160)' 2>/dev/null > "$out/criterion.txt" || true
fi

"$python_bin" - "$out" <<'PY'
import json, re, sys
from pathlib import Path
d = Path(sys.argv[1])
rows = [json.loads(l) for l in open(d / "results.jsonl")]
for r in rows:
    if "skipped" in r:
        print(f"{r['impl']}: skipped, {r['skipped']}")
res = {(r["impl"], r["case"]): r for r in rows if "skipped" not in r}
impls = list(dict.fromkeys(r["impl"] for r in rows if "skipped" not in r))
ours = {r["runtime"]: r["impl"] for r in rows if r.get("impl", "").startswith("instasent")}
def cell(impl, case, per):
    r = res[(impl, case)]
    v = (r["calls"] if per == "msg" else r["bytes"] / 1e6) / r["seconds"]
    base = res[(ours[r["runtime"]], case)]
    b = (base["calls"] if per == "msg" else base["bytes"] / 1e6) / base["seconds"]
    ratio = f"{v / b:.2f}x" if v / b >= 0.1 else f"{v / b:.2g}x"
    return f"{v:>10,.0f} {ratio:>7}" if per == "msg" else f"{v:>8,.1f} {ratio:>7}" if v >= 10 else f"{v:>8.3g} {ratio:>7}"
def big(impl, case):
    if (impl, case) in res:
        return cell(impl, case, "mb")
    return f"{cell(impl, case + '-prefix', 'mb')}*"
print(f"{'implementation':44} {'GSM-7 1MB MB/s':>16} {'UCS-2 1MB MB/s':>16} {'corpus msgs/s':>18} {'corpus MB/s':>11}")
for impl in impls:
    c = res[(impl, "corpus")]
    print(f"{impl:44} {big(impl, 'gsm7'):>16} {big(impl, 'ucs2'):>16} {cell(impl, 'corpus', 'msg'):>18}"
          f" {c['bytes'] / 1e6 / c['seconds']:>11.3g}")
crit = (d / "criterion.txt").read_text() if (d / "criterion.txt").exists() else ""
for m in re.finditer(r"analyze/(\S+)[\s\S]*?thrpt:\s*\[\s*\S+ \S+\s+(\S+) (\S+)/s", crit):
    name, value, unit = m.group(1), float(m.group(2)), m.group(3)
    scale = {"GiB": 1024**3, "MiB": 1024**2, "KiB": 1024, "B": 1}[unit] / 1e6
    print(f"{'rust core, criterion ' + name:44} {value * scale:>8,.1f} MB/s (core/benches/encoding.rs text, no binding)")
print("(ratio: to instasent in the same runtime; corpus MB/s counts the UTF-8 bytes of the 100,000 texts)")
for (impl, case), r in res.items():
    if case.endswith("-prefix") and (impl, case[:-7]) not in res:
        print(f"* {impl}: too slow for 1 MB (super-linear), measured on the first {r['textBytes']:,} bytes of the {case[:-7]}"
              f" text; the ratio is to ours on that same prefix ({r['seconds'] / r['calls'] * 1e3:,.0f} ms a call)")

corpus = [json.loads(l) for l in open(d / "corpus.jsonl", encoding="utf-8")]
counts = {p.stem[len("counts-"):]: [int(x) for x in p.read_text().split()] for p in sorted(d.glob("counts-*.txt"))}
ref = counts.get("instasent-python") or counts.get("instasent-node")
print(f"\nsegment counts per corpus message vs ours ({len(corpus):,} messages):")
for key, got in counts.items():
    diff = [i for i, (a, b) in enumerate(zip(ref, got)) if a != b]
    print(f"  {key:16} {len(diff):>6} differ" + (f" (ours more: {sum(ref[i] > got[i] for i in diff)}, fewer: {sum(ref[i] < got[i] for i in diff)})" if diff else ""))
    for i in diff[:3]:
        t = corpus[i]
        print(f"      #{i}: ours {ref[i]}, theirs {got[i]}, {len(t)} chars, {len(t.encode('utf-16-le')) // 2} UTF-16 units: {t!r}")
PY
