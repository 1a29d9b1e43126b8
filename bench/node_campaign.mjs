// Campaign throughput of the Node binding: SmsClient.sendBulk over a generator or an array, or
// client.campaign (the streamed form) over a generator.
//   node bench/node_campaign.mjs MESSAGES [prebuilt|stream|floor|bare]   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
// With `prebuilt` the messages are built into an array before the clock starts (the SDK's share
// of the job alone); without it a generator builds them as they are sent. `stream` takes each
// result as it settles instead of an array of them all (flat memory). `floor` sends nothing: the
// same generator, and a stand-in async generator that yields one result object per message
// (reusing the message's strings) to the same `for await` loop: the caller's share of a streamed
// row, a lower bound for any SDK that hands results out this way. `bare` loads nothing (no SDK,
// no addon) and drains the generator with a synchronous `for…of`: what Node alone holds for
// the messages of a campaign. Prints one JSON line,
// with the process's peak RSS and its RSS once the SDK is loaded; under `node --expose-gc`, a
// streamed run also lists the heap in use after a collection at every 250,000 results.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const total = Number(process.argv[2] ?? 100000);
const mode = process.argv[3] ?? "generator";
const Instasent = mode === "bare" ? null : require("../bindings-node");
const startRssMiB = Number((process.resourceUsage().maxRSS / 1024).toFixed(1));
const names = {
  generator: "node (instasent binding)",
  prebuilt: "node, messages built beforehand",
  stream: "node, streamed (client.campaign)",
  floor: "node floor: generator + for await, no SDK",
  bare: "node bare: generator + for…of, nothing loaded",
};
if (!(mode in names)) throw new Error(`mode is prebuilt, stream, floor or bare, not ${mode}`);
const client = Instasent && new Instasent.SmsClient(process.env.INSTASENT_TOKEN, { concurrency: 8 });
function* messages() {
  for (let i = 0; i < total; i++) {
    yield { from: "Acme", to: `+3464${String(i).padStart(7, "0")}`, text: `Hola ${i}, tu pedido ha salido hoy.` };
  }
}
// What an SDK's stream must do at the least: one result object per message, through `for await`.
async function* standInCampaign(input) {
  let index = 0;
  for (const m of input) {
    yield { index: index++, status: "accepted", acceptedEarlier: false, id: m.to, clientId: m.text };
  }
}
const input = mode === "prebuilt" ? [...messages()] : messages();
const started = performance.now();
let accepted = 0;
const heapAfterGcMiB = [];
if (mode === "bare") {
  for (const m of input) if (m.to) accepted++;
} else if (mode === "stream" || mode === "floor") {
  let n = 0;
  for await (const r of mode === "stream" ? client.campaign(input) : standInCampaign(input)) {
    if (r.status === "accepted") accepted++;
    if (globalThis.gc && ++n % 250000 === 0) {
      globalThis.gc();
      heapAfterGcMiB.push(Number((process.memoryUsage().heapUsed / 1048576).toFixed(1)));
    }
  }
} else {
  const results = await client.sendBulk(input);
  accepted = results.filter((r) => r.status === "accepted").length;
}
const secs = (performance.now() - started) / 1000;
// maxRSS is in KiB.
console.log(JSON.stringify({ client: names[mode], messages: total, accepted,
  seconds: Number(secs.toFixed(3)), messagesPerSec: Math.round(total / secs),
  peakRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)), startRssMiB,
  ...(heapAfterGcMiB.length ? { heapAfterGcMiB } : {}) }));
