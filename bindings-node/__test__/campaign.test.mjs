// client.campaign: sendBulk streamed — results as they settle (in input order), the input read
// only as fast as the caller takes results, failures raised after the batches in flight.
import test from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { Instasent, clientFor, msisdn, settledCount, waitFor } from './helpers.mjs'

const sb = await Instasent.Sandbox.start({ balance: 1e7 })
test.after(() => sb.stop())
test.beforeEach(() => sb.reset())

function* numbered(n, counter, prefix = 's') {
  for (let i = 0; i < n; i++) {
    counter.pulled++
    yield { from: 'Acme', to: msisdn(i), text: `Streamed ${i}`, clientId: `${prefix}-${i}` }
  }
}

test('every input gets one result, in input order, as batches settle', async () => {
  const counter = { pulled: 0 }
  const seen = []
  let pulledAtFirst = null
  for await (const r of clientFor(sb).campaign(numbered(5_000, counter), { concurrency: 2 })) {
    if (pulledAtFirst === null) pulledAtFirst = counter.pulled
    seen.push(r)
  }
  assert.equal(seen.length, 5_000)
  assert.ok(seen.every((r, i) => r.index === i && r.status === 'accepted' && r.id && r.clientId === `s-${i}`))
  assert.ok(pulledAtFirst < 2_000, `${pulledAtFirst} inputs read before the first result`)
  assert.equal(sb.messages().length, 5_000)
})

test('a slow consumer holds the input back: memory stays flat', async () => {
  const counter = { pulled: 0 }
  let taken = 0
  let ahead = 0
  for await (const r of clientFor(sb).campaign(numbered(3_000, counter), { concurrency: 2, batchSize: 50 })) {
    taken++
    ahead = Math.max(ahead, counter.pulled - taken)
    if (r.index % 500 === 0) await sleep(20) // a consumer slower than the API
  }
  assert.equal(taken, 3_000)
  // The core feed's bound: 50 × (2 × 2 + 2) = 300 read ahead of what was taken, plus the batch
  // being read.
  assert.ok(ahead <= 350, `${ahead} inputs read ahead of the results taken`)
})

test('a consumer that stops taking results stops the reading at the documented bound', async () => {
  for (const concurrency of [1, 2]) {
    const counter = { pulled: 0 }
    const batchSize = 10
    const bound = batchSize * (2 * concurrency + 2)
    let taken = 0
    for await (const _ of clientFor(sb).campaign(numbered(1_000, counter, `stall-${concurrency}`), { concurrency, batchSize })) {
      taken++
      // The feed fills up behind this one result, then stops: it must still be at the bound
      // a while later.
      await waitFor(() => counter.pulled - taken >= bound - batchSize, `concurrency ${concurrency}: the feed to fill up`)
      await sleep(200)
      break
    }
    assert.equal(taken, 1)
    assert.ok(counter.pulled - taken <= bound, `concurrency ${concurrency}: ${counter.pulled - taken} read ahead, bound ${bound}`)
    assert.ok(counter.pulled - taken >= bound - batchSize, `concurrency ${concurrency}: the feed did fill up (${counter.pulled})`)
  }
})

test('rejections and local refusals are streamed with their index', async () => {
  const messages = [
    { from: 'Acme', to: msisdn(1), text: 'fine' },
    { from: 'Acme', to: 'bad', text: 'refused locally' },
    { from: 'Acme', to: msisdn(2), text: 'fine too' },
  ]
  const seen = []
  for await (const r of clientFor(sb).campaign(messages)) seen.push(r)
  assert.deepEqual(seen.map((r) => [r.index, r.status]), [[0, 'accepted'], [1, 'rejected'], [2, 'accepted']])
  assert.equal(sb.messages().length, 2)
})

test('a bad input mid-campaign: the results of what was sent come first, then the error', async () => {
  function* source() {
    for (let i = 0; i < 5_000; i++) yield { from: 'Acme', to: msisdn(i), text: i === 2_500 ? 42 : `m ${i}` }
  }
  const seen = []
  await assert.rejects(
    async () => {
      for await (const r of clientFor(sb).campaign(source(), { concurrency: 2 })) seen.push(r)
    },
    (e) => e instanceof Instasent.InstasentError && e.code === 'INVALID_ARGUMENT' && /message 2500/.test(e.message),
  )
  const ledger = sb.messages()
  assert.equal(seen.length, ledger.length)
  // Nothing from the bad input on (a stop can cut short the batch being formed; what went out
  // is in the results, as the ledger check below shows).
  assert.ok(seen.length <= 2_500 && seen.every((r) => r.index < 2_500), `${seen.length} results`)
  assert.deepEqual(new Set(seen.map((r) => r.clientId)), new Set(ledger.map((m) => m.clientId)))
})

test('leaving the loop early sends nothing more', async () => {
  const counter = { pulled: 0 }
  for await (const r of clientFor(sb).campaign(numbered(50_000, counter), { concurrency: 2 })) {
    assert.equal(r.index, 0)
    break
  }
  const read = counter.pulled
  const sent = await settledCount(sb) // the batches in flight land; nothing else may follow
  assert.equal(counter.pulled, read)
  assert.ok(sent > 0 && sent <= read && read < 50_000, `${sent} sent of ${read} read`)
})

test('a throwing onProgress stops the campaign after the batches in flight', async () => {
  const onProgress = (p) => {
    if (p.requests >= 3) throw new Error('stop here')
  }
  const seen = []
  await assert.rejects(async () => {
    for await (const r of clientFor(sb).campaign(numbered(20_000, { pulled: 0 }), { concurrency: 2, onProgress })) {
      seen.push(r)
    }
  }, /stop here/)
  const ledger = sb.messages()
  assert.equal(seen.length, ledger.length)
  assert.ok(seen.length < 20_000)
})

test('bad arguments are refused before anything is read or sent', async () => {
  const client = clientFor(sb)
  assert.throws(() => client.campaign(42), (e) => e.code === 'INVALID_ARGUMENT')
  assert.throws(() => client.campaign([], { batchSize: 0 }), (e) => e.code === 'INVALID_ARGUMENT')
  // Over the API's 100 per request, refused as in every other binding rather than capped;
  // 2³² + 50 would wrap to 50 on its way through a u32.
  for (const batchSize of [101, 2 ** 32 + 50]) {
    assert.throws(
      () => client.campaign([{ from: 'Acme', to: '+34600000001', text: 'x' }], { batchSize }),
      (e) => e.code === 'INVALID_ARGUMENT' && /batch size must be between 1 and 100/.test(e.message),
      String(batchSize),
    )
  }
  assert.equal(sb.messages().length, 0)
})

test('leaving early does not wait for an async source that has nothing more to give', { timeout: 10_000 }, async () => {
  let release
  const blocked = new Promise((resolve) => {
    release = resolve
  })
  async function* source() {
    for (let i = 0; i < 150; i++) yield { from: 'Acme', to: msisdn(i), text: `q ${i}` }
    await blocked // a queue with nothing more in it, for now
  }
  const started = Date.now()
  for await (const r of clientFor(sb).campaign(source(), { concurrency: 2 })) {
    assert.equal(r.index, 0)
    break
  }
  assert.ok(Date.now() - started < 5_000, 'the loop was left without waiting for the source')
  release()
})
