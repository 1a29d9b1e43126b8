// Node side of bench/dlr.sh: parseDlr / parseSmppReceipt of the instasent binding against
// JSON.parse + an object mapping and a regex (the Node twin of dlr_baseline.py), on the inputs
// of dlr_gen.py (webhook bodies as strings, as a raw-body handler hands them over).
//   node bench/dlr_node.mjs DIR
// Prints one JSON line per implementation and input.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const require = createRequire(import.meta.url);
const Instasent = require("../bindings-node");

const CODES = { 0: "OK", 1: "Unknown", 2: "Absent temporarily", 3: "Absent permanently", 4: "Blocked subscriber",
  5: "Portability error", 6: "Antispam reject", 7: "Line busy", 8: "Network error", 9: "Illegal number",
  10: "Invalid message", 11: "Unroutable", 12: "Unreachable", 13: "Age restriction", 14: "Blocked carrier",
  15: "Insufficient funds", 16: "Flooded", 99: "Unknown error", 100: "Reject" };
const FINAL = new Set(["delivered", "error", "failed", "expired", "canceled", "rejected", "stop", "inbound"]);
const SMPP_STATUS = { DELIVRD: "delivered", EXPIRED: "expired", DELETED: "deleted", ACCEPTD: "accepted",
  UNDELIV: "failed", UNKNOWN: "unknown", REJECTD: "rejected" };
const SMPP_FINAL = new Set(["delivered", "expired", "deleted", "failed", "rejected"]);
const RECEIPT = /^id:(\S+) sub:(\d+) dlvrd:(\d+) submit date:(\d+) done date:(\d+) stat:(\w+) err:(\d+)/;

function parseWebhook(body) {
  const d = JSON.parse(body);
  return { id: d.id, clientId: d.clientId, status: d.status, code: d.code, codeMeaning: CODES[d.code],
    isFinal: FINAL.has(d.status), eventAt: d.eventAt, message: d.message };
}
function parseSmpp(text) {
  const m = RECEIPT.exec(text);
  if (!m) throw new Error("not an SMPP receipt");
  const status = SMPP_STATUS[m[6]] ?? "unknown";
  const code = Number(m[7]);
  return { id: m[1], status, code, codeMeaning: CODES[code], isFinal: SMPP_FINAL.has(status),
    delivered: m[3] === "001", doneDate: m[5] };
}

const dir = process.argv[2];
const lines = (f) => readFileSync(`${dir}/${f}`, "utf8").split("\n").filter(Boolean);
const key = (r) => `${r.status}|${r.code}|${r.isFinal}`;
for (const [input, items, cases] of [
  ["webhook", lines("webhooks.jsonl"), [["parseDlr", Instasent.parseDlr], ["JSON.parse + object mapping", parseWebhook]]],
  ["smpp", lines("smpp.txt"), [["parseSmppReceipt", Instasent.parseSmppReceipt], ["RegExp + object mapping", parseSmpp]]],
]) {
  let reference;
  for (const [name, parse] of cases) {
    for (const item of items.slice(0, 10000)) parse(item);
    const started = performance.now();
    const results = items.map((item) => parse(item));
    const seconds = (performance.now() - started) / 1000;
    const keys = results.map(key);
    reference ??= keys;
    const disagree = keys.reduce((n, k, i) => n + (k !== reference[i]), 0);
    console.log(JSON.stringify({ impl: name, runtime: "node", input, items: items.length, seconds, disagree }));
  }
}
