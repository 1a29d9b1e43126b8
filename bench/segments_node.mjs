// Node side of bench/segments.sh: segments() of the instasent binding and Twilio's
// sms-segments-calculator (installed into bench/node_modules) on the texts of segments_gen.py.
//   node bench/segments_node.mjs DIR
// Prints one JSON line per implementation and case; writes DIR/counts-<impl>.txt.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
const require = createRequire(import.meta.url);
const Instasent = require("../bindings-node");
const { SegmentedMessage } = require("sms-segments-calculator");
const twilioVersion = require("sms-segments-calculator/package.json").version;

// Twilio's calculator grows super-linearly with the text (measured here: 16 KB ~1 s, 64 KB ~27 s,
// 256 KB ~440 s a call), so on the 1 MB texts it runs on a prefix of PREFIX UTF-16 units, and ours
// runs on that same prefix too for a like-for-like ratio.
const PREFIX = 16384;
const impls = [
  ["instasent (Node binding)", "instasent-node", (t) => Instasent.segments(t).segments, false],
  [`sms-segments-calculator ${twilioVersion} (Twilio, npm)`, "twilio-node", (t) => new SegmentedMessage(t).segmentsCount, true],
];
function prefix(text) {
  const code = text.charCodeAt(PREFIX - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? PREFIX - 1 : PREFIX);
}
const dir = process.argv[2];
const utf8 = (t) => Buffer.byteLength(t, "utf8");
const corpus = readFileSync(`${dir}/corpus.jsonl`, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const corpusBytes = corpus.reduce((n, t) => n + utf8(t), 0);

function timedBig(count, text) {
  count(text);
  let calls = 0, segs = 0;
  const started = performance.now();
  for (;;) {
    segs = count(text);
    calls++;
    const secs = (performance.now() - started) / 1000;
    if (calls >= 3 && secs >= 1) return { segs, calls, secs };
  }
}

for (const [name, key, count, capped] of impls) {
  for (const kase of ["gsm7", "ucs2"]) {
    const full = readFileSync(`${dir}/${kase}.txt`, "utf8");
    for (const [text, label] of capped ? [[prefix(full), `${kase}-prefix`]] : [[full, kase], [prefix(full), `${kase}-prefix`]]) {
      const { segs, calls, secs } = timedBig(count, text);
      console.log(JSON.stringify({ impl: name, runtime: "node", case: label, bytes: utf8(text) * calls, calls, seconds: secs,
        segments: segs, textBytes: utf8(text) }));
    }
  }
  for (const t of corpus.slice(0, 10000)) count(t);
  const started = performance.now();
  const counts = corpus.map(count);
  const secs = (performance.now() - started) / 1000;
  writeFileSync(`${dir}/counts-${key}.txt`, counts.map((c) => `${c}\n`).join(""));
  console.log(JSON.stringify({ impl: name, runtime: "node", case: "corpus", bytes: corpusBytes, calls: corpus.length, seconds: secs,
    segments: counts.reduce((a, b) => a + b, 0) }));
}
