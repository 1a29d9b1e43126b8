// Time to the first result of a campaign fed by an async source that gives 3 messages and then
// has nothing ready (a service's queue): the core's 20 ms linger plus one round trip to the
// sandbox, with nothing else waiting in between. Median of 7 runs, in ms.
//   node bench/idle_source.mjs   (INSTASENT_BASE_URL, INSTASENT_TOKEN: a running sandbox)
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { SmsClient } = require('../bindings-node')
const RUNS = 7

async function firstResult() {
  const client = new SmsClient(process.env.INSTASENT_TOKEN, { baseUrl: process.env.INSTASENT_BASE_URL })
  async function* source() {
    for (let i = 0; i < 3; i++) yield { from: 'Acme', to: `+3466000000${i}`, text: 'otp' }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const started = performance.now()
  for await (const _ of client.campaign(source())) return performance.now() - started
}

const runs = []
for (let i = 0; i < RUNS; i++) runs.push(await firstResult())
const sorted = [...runs].sort((a, b) => a - b)
console.log(`node: first result after ${sorted[RUNS >> 1].toFixed(1)} ms (median of ${RUNS}; runs ${runs.map(Math.round).join(', ')})`)
