// sendBulk: any (async) iterable, bounded memory, one result per input, progress; a 10,000
// message campaign lands exactly once in the sandbox ledger; a 402 halts the whole campaign;
// 2,000 concurrent sends.
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
  // One report per drain of settled results (whole batches, so at most one per batch), the
  // totals only grow, and the last one is the whole campaign.
  assert.ok(progress.length > 1 && progress.length <= 100, `${progress.length} progress reports`)
  assert.deepEqual(progress.at(-1).read, 10_000)
  assert.equal(progress.at(-1).accepted, 10_000)
  assert.equal(progress.at(-1).requests, 100)
  const grows = (k) => progress.every((p, i) => i === 0 || p[k] >= progress[i - 1][k])
  assert.ok(['read', 'accepted', 'requests', 'elapsedSecs'].every(grows))
})

test('an async iterable is pulled as the campaign goes, never all at once', async () => {
  // Held = pulled but not yet committed by the sandbox. At most one batch being gathered,
  // `concurrency` batches queued and `concurrency` in flight: 50 × (2 × 2 + 1) = 250.
  let pulled = 0
  let maxHeld = 0
  async function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled++
      maxHeld = Math.max(maxHeld, pulled - sb.stats().acceptedMessages)
      yield { from: 'Acme', to: msisdn(i), text: `async ${i}` }
    }
  }
  const results = await clientFor(sb).sendBulk(source(), { concurrency: 2, batchSize: 50 })
  assert.equal(results.length, 1000)
  assert.ok(maxHeld <= 250, `held ${maxHeld} inputs not yet sent`)
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

test('validate: false leaves the judging to the API, in sendBulk and campaign', async () => {
  const c = clientFor(sb)
  const inputs = () => [
    { from: 'Acme', to: msisdn(1), text: 'fine' },
    { from: 'Acme', to: '12', text: 'bad number' },
  ]
  const sent = await c.sendBulk(inputs(), { validate: false })
  assert.deepEqual(sent.map((r) => r.status), ['accepted', 'rejected'])
  assert.equal(sent[1].stage, 'server')
  assert.ok(sent[1].fields.to.length > 0, JSON.stringify(sent[1]))
  const streamed = []
  for await (const r of c.campaign(inputs(), { validate: false })) streamed.push(r)
  assert.deepEqual(streamed.map((r) => [r.status, r.stage]), [['accepted', undefined], ['rejected', 'server']])
  const checked = await c.sendBulk(inputs(), { validate: null })
  assert.equal(checked[1].stage, 'local', 'null keeps the default')
  for (const validate of ['false', 0]) {
    await assert.rejects(c.sendBulk(inputs(), { validate }), (e) => e.code === 'INVALID_ARGUMENT' && /validate must be true or false/.test(e.message))
  }
})

test('resume: re-running a campaign with the same clientIds sends nothing twice', async () => {
  const c = clientFor(sb)
  await c.sendBulk(campaign(250, 'resume'))
  const again = await c.sendBulk(campaign(300, 'resume'), { resume: true })
  assert.equal(again.filter((r) => r.status === 'accepted').length, 300)
  assert.equal(again.filter((r) => r.acceptedEarlier).length, 250)
  assert.equal(sb.messages().length, 300)
  // Read by truth, 'false' turned resume on, and the refused duplicates read as sent earlier.
  for (const resume of ['false', 'no', 0, 1]) {
    await assert.rejects(c.sendBulk(campaign(1, 'resume'), { resume }), (e) => e.code === 'INVALID_ARGUMENT' && /resume must be true or false/.test(e.message))
    assert.throws(() => c.campaign(campaign(1, 'resume'), { resume }), (e) => e.code === 'INVALID_ARGUMENT')
  }
  const refused = await c.sendBulk(campaign(1, 'resume'), { resume: false })
  assert.equal(refused[0].status, 'rejected')
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

test('a 402 mid-campaign halts it: the later batches fail without being sent', async () => {
  const { price } = (await clientFor(sb).smsPrices()).find((p) => p.country === 'ES')
  // Enough for two batches of 100 one-segment messages, not three.
  const balance = 250 * price
  const short = await Instasent.Sandbox.start({ balance })
  try {
    const c = clientFor(short)
    const concurrency = 2
    const results = await c.sendBulk(campaign(1000, 'halt'), { concurrency })
    assert.equal(results.length, 1000)
    assert.ok(results.every((r, i) => r.index === i))
    const accepted = results.filter((r) => r.status === 'accepted')
    const failed = results.filter((r) => r.status === 'failed')
    assert.equal(accepted.length, 200)
    assert.equal(failed.length, 800)
    assert.ok(failed.every((r) => r.code === 'PAYMENT_REQUIRED'), 'every other input failed with PAYMENT_REQUIRED')
    // Two paid batches, then at most the `concurrency` batches in flight when the first 402
    // came back; nothing after (a campaign per chunk would have sent all 10).
    assert.ok(short.stats().requests <= 2 + concurrency, `${short.stats().requests} bulk requests`)
    const ledger = short.messages()
    assert.deepEqual(new Set(ledger.map((m) => m.id)), new Set(accepted.map((r) => r.id)))
    const charged = ledger.reduce((sum, m) => sum + m.price, 0)
    const { available } = await c.account()
    assert.ok(charged <= balance + 1e-9 && available >= 0)
    assert.ok(Math.abs(balance - available - charged) < 1e-6, `charged ${charged}, balance went ${balance} → ${available}`)
  } finally {
    short.stop()
  }
})

test('a bad input mid-campaign: INVALID_ARGUMENT naming it, nothing after it sent, the iterator closed', async () => {
  let closed = false
  function* source() {
    try {
      for (let i = 0; i < 5000; i++) yield i === 2500 ? { from: 'Acme', to: msisdn(i) } : { from: 'Acme', to: msisdn(i), text: `m ${i}` }
    } finally {
      closed = true
    }
  }
  const e = await clientFor(sb).sendBulk(source(), { concurrency: 2 }).catch((x) => x)
  assert.equal(e.code, 'INVALID_ARGUMENT')
  assert.match(e.message, /message 2500 .*`text` must be a string/)
  assert.ok(closed, 'iterator.return() was called')
  // Only inputs before it could have gone (a stop can cut short the batch being formed), and
  // sendBulk settled after they did.
  const sent = sb.messages().length
  assert.ok(sent <= 2500 && e.results.every((r) => r.index < 2500), `${sent} sent`)
  assertResultsCoverTheLedger(e.results)
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(sb.messages().length, sent, 'nothing is sent after sendBulk settled')
})

// Every message that reached the API has its result on the error, so nothing sent is unknown.
function assertResultsCoverTheLedger(results) {
  const ledger = sb.messages()
  assert.ok(Array.isArray(results), 'error.results is an array')
  assert.equal(results.length, ledger.length)
  assert.deepEqual(results.map((r) => r.index), results.map((_, i) => i))
  assert.ok(results.every((r) => r.status === 'accepted' && r.clientId))
  assert.deepEqual(new Set(results.map((r) => r.clientId)), new Set(ledger.map((m) => m.clientId)))
}

test('the iterable throwing: the error carries the result of every message sent', async () => {
  function* source() {
    yield* campaign(1_050, 'source-throws')
    throw new Error('source broke')
  }
  const e = await clientFor(sb).sendBulk(source(), { concurrency: 2 }).catch((x) => x)
  assert.equal(e.message, 'source broke')
  assertResultsCoverTheLedger(e.results)
  assert.ok(e.results.length <= 1_000, 'the unfinished batch is not sent')
})

test('onProgress throwing stops the campaign and rejects with its error', async () => {
  let closed = false
  function* source() {
    try {
      yield* campaign(20_000, 'throws')
    } finally {
      closed = true
    }
  }
  const boom = new Error('progress display failed')
  const e = await clientFor(sb)
    .sendBulk(source(), { concurrency: 2, onProgress: () => { throw boom } })
    .catch((x) => x)
  assert.equal(e, boom)
  assert.ok(closed, 'iterator.return() was called')
  assert.ok(sb.messages().length < 20_000)
  assertResultsCoverTheLedger(e.results)
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

test('clientId and allowUnicode may be spelled client_id and allow_unicode in every message input, not both at once', async () => {
  // Rows from snake_case columns: a clientId read past would be replaced by a generated one and
  // a re-run would send the message again.
  const own = await Instasent.Sandbox.start()
  try {
    const c = clientFor(own)
    const row = (n, tag) => ({ from: 'Acme', to: msisdn(n), text: 'ñandú', client_id: `${tag}-${n}`, allow_unicode: true })
    const streamed = await c.sendBulk([row(1, 'bulk'), row(2, 'bulk')])
    assert.deepEqual(streamed.map((r) => [r.status, r.clientId]), [['accepted', 'bulk-1'], ['accepted', 'bulk-2']])
    const again = await c.sendBulk([row(1, 'bulk')], { resume: true })
    assert.equal(again[0].acceptedEarlier, true)
    const batch = await c.sendBatch([row(3, 'batch')])
    assert.deepEqual([batch[0].status, batch[0].clientId], ['accepted', 'batch-3'])
    const typed = await c.send(row(4, 'typed'))
    assert.equal(typed.clientId, 'typed-4')
    const documented = await c.sendBulkSms([row(5, 'documented')])
    assert.equal(documented.response_code, 201)
    const sent = own.messages().map((m) => [m.clientId, m.encoding]).sort()
    assert.deepEqual(sent, [['batch-3', 'UCS-2'], ['bulk-1', 'UCS-2'], ['bulk-2', 'UCS-2'], ['documented-5', 'UCS-2'], ['typed-4', 'UCS-2']])

    const both = { from: 'Acme', to: msisdn(6), text: 'x', clientId: 'a', client_id: 'b' }
    for (const call of [() => c.sendBulk([both]), () => c.sendBatch([both]), () => c.send(both), () => c.sendBulkSms([both])]) {
      const e = await call().catch((x) => x)
      assert.equal(e.code, 'INVALID_ARGUMENT', String(call))
      assert.match(e.message, /both `clientId` and `client_id` are given/)
    }
    assert.equal(own.messages().length, 5)

    // A key whose value is undefined is absent, as in JSON.stringify: objects built as
    // { clientId: row.clientId, client_id: row.client_id } must not read as both spellings.
    const spread = (n) => ({ from: 'Acme', to: msisdn(n), text: 'x', clientId: undefined, client_id: `spread-${n}`, allowUnicode: undefined })
    assert.equal((await c.sendBulk([spread(7)]))[0].clientId, 'spread-7')
    assert.equal((await c.sendBatch([spread(8)]))[0].clientId, 'spread-8')
    assert.equal((await c.send(spread(9))).clientId, 'spread-9')
    assert.equal((await c.sendBulkSms([spread(10)])).response_code, 201)
    const spreadSent = own.messages().map((m) => m.clientId).filter((id) => id.startsWith('spread-')).sort()
    assert.deepEqual(spreadSent, ['spread-10', 'spread-7', 'spread-8', 'spread-9'])
    // An own `__proto__` key (JSON.parse makes one) is data, never the prototype of what is read.
    const parsed = { ...JSON.parse('{"__proto__": {"clientId": "from-proto"}}'), from: 'Acme', to: msisdn(11), text: 'x', allowUnicode: undefined }
    assert.notEqual((await c.send(parsed)).clientId, 'from-proto')
  } finally {
    await own.stop()
  }
})
