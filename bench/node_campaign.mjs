// Campaign throughput of the Node binding: SmsClient.sendBulk over a generator or an array, or
// client.campaign (the streamed form) over a generator.
//   node bench/node_campaign.mjs MESSAGES [prebuilt|stream]   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
// With `prebuilt` the messages are built into an array before the clock starts (the SDK's share
// of the job alone); without it a generator builds them as they are sent. `stream` takes each
// result as it settles instead of an array of them all (flat memory). Prints one JSON line,
// with the process's peak RSS and its RSS once the SDK is loaded; under `node --expose-gc`, a
// streamed run also lists the heap in use after a collection at every 250,000 results.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const Instasent = require("../bindings-node");
const startRssMiB = Number((process.resourceUsage().maxRSS / 1024).toFixed(1));

const total = Number(process.argv[2] ?? 100000);
const mode = process.argv[3] ?? "generator";
const names = {
  generator: "node (instasent binding)",
  prebuilt: "node, messages built beforehand",
  stream: "node, streamed (client.campaign)",
};
if (!(mode in names)) throw new Error(`mode is prebuilt or stream, not ${mode}`);
const client = new Instasent.SmsClient(process.env.INSTASENT_TOKEN, { concurrency: 8 });
function* messages() {
  for (let i = 0; i < total; i++) {
    yield { from: "Acme", to: `+3464${String(i).padStart(7, "0")}`, text: `Hola ${i}, tu pedido ha salido hoy.` };
  }
}
const input = mode === "prebuilt" ? [...messages()] : messages();
const started = performance.now();
let accepted = 0;
const heapAfterGcMiB = [];
if (mode === "stream") {
  let n = 0;
  for await (const r of client.campaign(input)) {
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
