// sendBulk: any (async) iterable, bounded chunks, one result per input, progress; a 10,000
// message campaign lands exactly once in the sandbox ledger; 2,000 concurrent sends.
import test from 'node:test'
import assert from 'node:assert/strict'
import { Instasent, clientFor, msisdn } from './helpers.mjs'

const sb = await Instasent.Sandbox.start({ balance: 1e7 })
test.after(() => sb.stop())
test.beforeEach(() => sb.reset())

function* campaign(n, prefix) {
  for (let i = 0; i < n; i++) yield { from: 'Acme', to: msisdn(i), text: `Campaign message ${i}`, clientId: `${prefix}-${i}` }
}

test('a 10,000-message campaign: 10,000 accepted, the ledger holds exactly them', async () => {
  const progress = []
  const results = await clientFor(sb).sendBulk(campaign(10_000, 'c10k'), {
    concurrency: 4,
    onProgress: (p) => progress.push(p),
  })
  assert.equal(results.length, 10_000)
  assert.ok(results.every((r, i) => r.index === i && r.status === 'accepted' && r.id))
  const ledger = sb.messages()
  assert.equal(ledger.length, 10_000)
  assert.deepEqual(new Set(ledger.map((m) => m.clientId)), new Set(results.map((r) => r.clientId)))
  assert.deepEqual(new Set(ledger.map((m) => m.id)), new Set(results.map((r) => r.id)))
  // Chunks of batchSize × concurrency = 400 inputs: 25 progress calls, totals only grow.
  assert.equal(progress.length, 25)
  assert.deepEqual(progress.at(-1).read, 10_000)
  assert.equal(progress.at(-1).accepted, 10_000)
  assert.equal(progress.at(-1).requests, 100)
  assert.ok(progress.every((p, i) => i === 0 || p.read > progress[i - 1].read))
})

test('an async iterable is pulled chunk by chunk, never all at once', async () => {
  let pulled = 0
  let maxAhead = 0
  let settled = 0
  async function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled++
      maxAhead = Math.max(maxAhead, pulled - settled)
      yield { from: 'Acme', to: msisdn(i), text: `async ${i}` }
    }
  }
  const results = await clientFor(sb).sendBulk(source(), {
    concurrency: 2,
    batchSize: 50,
    onProgress: (p) => {
      settled = p.read
    },
  })
  assert.equal(results.length, 1000)
  assert.ok(maxAhead <= 100, `read ${maxAhead} inputs ahead of the results`)
  assert.equal(sb.messages().length, 1000)
})

test('invalid inputs are rejected locally or by the server, per input', async () => {
  const results = await clientFor(sb).sendBulk([
    { from: 'Acme', to: msisdn(1), text: 'fine' },
    { from: 'Acme', to: '12', text: 'bad number' },
    { from: 'Acme', to: msisdn(3), text: 'fine too' },
  ])
  assert.deepEqual(results.map((r) => r.status), ['accepted', 'rejected', 'accepted'])
  assert.equal(results[1].stage, 'local')
  assert.ok(results[1].fields.to.length > 0)
  assert.equal(sb.messages().length, 2)
})

test('resume: re-running a campaign with the same clientIds sends nothing twice', async () => {
  const c = clientFor(sb)
  await c.sendBulk(campaign(250, 'resume'))
  const again = await c.sendBulk(campaign(300, 'resume'), { resume: true })
  assert.equal(again.filter((r) => r.status === 'accepted').length, 300)
  assert.equal(again.filter((r) => r.acceptedEarlier).length, 250)
  assert.equal(sb.messages().length, 300)
})

test('a campaign against an empty balance fails every input with PAYMENT_REQUIRED', async () => {
  const poor = await Instasent.Sandbox.start({ balance: 0.0001 })
  try {
    const results = await clientFor(poor).sendBulk(campaign(150, 'poor'))
    assert.equal(results.length, 150)
    assert.ok(results.every((r) => r.status === 'failed' && r.code === 'PAYMENT_REQUIRED'))
  } finally {
    poor.stop()
  }
})

test('sendBatch: one bulk request, results in input order', async () => {
  const results = await clientFor(sb).sendBatch([
    { from: 'Acme', to: msisdn(1), text: 'a' },
    { from: 'Acme', to: 'x', text: 'b' },
  ])
  assert.deepEqual(results.map((r) => [r.index, r.status]), [[0, 'accepted'], [1, 'rejected']])
  assert.equal(results[1].stage, 'server')
})

test('bad campaign inputs reject with INVALID_ARGUMENT, never crash', async () => {
  const c = clientFor(sb)
  for (const bad of [null, undefined, 42, 'text', { from: 'a' }]) {
    const e = await c.sendBulk(bad).catch((x) => x)
    assert.equal(e.code, 'INVALID_ARGUMENT', String(bad))
  }
  const e = await c.sendBulk([{ from: 'Acme', to: msisdn(1), text: 'ok' }, null]).catch((x) => x)
  assert.equal(e.code, 'INVALID_ARGUMENT')
  assert.match(e.message, /message 1/)
  assert.equal((await c.sendBulk([], {})).length, 0)
  assert.equal((await c.sendBulk([{ from: 'Acme', to: msisdn(1), text: 'x' }], { batchSize: 0 }).catch((x) => x)).code, 'INVALID_ARGUMENT')
  assert.equal((await c.sendBulk([], { onProgress: 'no' }).catch((x) => x)).code, 'INVALID_ARGUMENT')
})

test('2,000 concurrent sendSms from one event loop', async (t) => {
  const c = clientFor(sb)
  const started = Date.now()
  const all = await Promise.all(Array.from({ length: 2000 }, (_, i) => c.sendSms('Acme', msisdn(i), `concurrent ${i}`)))
  assert.ok(all.every((r) => r.response_code === 201))
  assert.equal(new Set(all.map((r) => r.response_body.entity.id)).size, 2000)
  assert.equal(sb.messages().length, 2000)
  t.diagnostic(`2,000 concurrent sends in ${Date.now() - started} ms`)
})
