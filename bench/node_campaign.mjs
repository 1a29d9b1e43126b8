// Campaign throughput of the Node binding: SmsClient.sendBulk over a generator or an array.
//   node bench/node_campaign.mjs MESSAGES [prebuilt]   (INSTASENT_BASE_URL, INSTASENT_TOKEN)
// With `prebuilt` the messages are built into an array before the clock starts (the SDK's share
// of the job alone); without it a generator builds them as they are sent. Prints one JSON line.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const Instasent = require("../bindings-node");

const total = Number(process.argv[2] ?? 100000);
const prebuilt = process.argv[3] === "prebuilt";
const client = new Instasent.SmsClient(process.env.INSTASENT_TOKEN, { concurrency: 8 });
function* messages() {
  for (let i = 0; i < total; i++) {
    yield { from: "Acme", to: `+3464${String(i).padStart(7, "0")}`, text: `Hola ${i}, tu pedido ha salido hoy.` };
  }
}
const input = prebuilt ? [...messages()] : messages();
const started = performance.now();
const results = await client.sendBulk(input);
const secs = (performance.now() - started) / 1000;
const accepted = results.filter((r) => r.status === "accepted").length;
const name = prebuilt ? "node, messages built beforehand" : "node (instasent binding)";
console.log(JSON.stringify({ client: name, messages: total, accepted,
  seconds: Number(secs.toFixed(3)), messagesPerSec: Math.round(total / secs) }));
