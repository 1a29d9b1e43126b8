// The typed surface: typed objects, auto-paging iterators, DLR helpers, the tracker.
import test from 'node:test'
import assert from 'node:assert/strict'
import { Instasent, clientFor, msisdn } from './helpers.mjs'

const sb = await Instasent.Sandbox.start()
const client = clientFor(sb)
test.after(() => sb.stop())

test('send returns a typed Sms; getMessage reads it back', async () => {
  const sms = await client.send({ from: 'Acme', to: msisdn(1), text: 'typed', clientId: 'typed-1' })
  assert.equal(sms.clientId, 'typed-1')
  assert.equal(sms.encoding, 'GSM-7')
  assert.equal(sms.segments, 1)
  assert.equal(typeof sms.price, 'number')
  assert.equal(typeof sms.extra, 'object')
  const again = await client.getMessage(sms.id)
  assert.equal(again.id, sms.id)
  assert.equal(again.text, 'typed')
})

test('findMessage reads the history for a clientId, past the first page', async () => {
  const messages = Array.from({ length: 130 }, (_, i) => ({ from: 'Acme', to: msisdn(i), text: `n${i}`, clientId: `find-${i}` }))
  const results = await client.sendBulk(messages)
  assert.ok(results.every((r) => r.status === 'accepted'))
  // The last message of the history (this file's sandbox holds other tests' messages too),
  // past the first page of 100; concurrent batches may land in either order.
  const history = []
  for await (const sms of client.iterSms({ perPage: 100 })) history.push(sms)
  assert.ok(history.length > 100)
  const wanted = history[history.length - 1]
  assert.match(wanted.clientId, /^find-\d+$/)
  const found = await client.findMessage(wanted.clientId)
  const index = Number(wanted.clientId.slice('find-'.length))
  assert.deepEqual([found.id, found.clientId, found.text], [results[index].id, wanted.clientId, `n${index}`])
  assert.equal(await client.findMessage('find-130'), null)
  for (const bad of ['', 'x'.repeat(41)]) {
    await assert.rejects(client.findMessage(bad), (e) => e.code === 'INVALID_ARGUMENT' && /clientId/.test(e.message))
  }
  await assert.rejects(client.findMessage(42), (e) => e.code === 'INVALID_ARGUMENT' && /findMessage/.test(e.message))
})

test('allowUnicode sends UCS-2', async () => {
  const sms = await client.send({ from: 'Acme', to: msisdn(2), text: 'Ça va? 😀', allowUnicode: true })
  assert.equal(sms.encoding, 'UCS-2')
})

test('lookup, account, prices, verification', async () => {
  const l = await client.lookup(msisdn(3))
  assert.equal((await client.getLookup(l.id)).id, l.id)
  assert.ok((await client.listLookups(1, 10)).some((x) => x.id === l.id))
  const account = await client.account()
  assert.equal(account.currency, 'EUR')
  assert.ok(account.available > 0)
  assert.ok((await client.smsPrices()).some((p) => p.country === 'ES' && p.price > 0))
  assert.ok((await client.lookupPrices()).length > 0)
  const v = await client.verify({ from: 'Acme', to: msisdn(4), text: 'Code %token%', tokenLength: 4, timeout: 60 })
  assert.equal(v.status, 'pending')
  const checked = await client.checkVerification(v.id, sb.verifyCode(v.id))
  assert.equal(checked.status, 'verified')
  assert.equal((await client.getVerification(v.id)).status, 'verified')
  assert.equal((await client.verify({ from: 'Acme', to: msisdn(4), text: 'no placeholder', tokenLength: 4, timeout: 60 }).catch((e) => e)).code, 'INVALID_ARGUMENT')
})

test('rateLimit() exposes the latest X-RateLimit-* window', async () => {
  await client.account()
  const rl = client.rateLimit()
  assert.ok(rl && rl.limit > 0 && rl.remaining <= rl.limit && rl.reset > 0)
})

test('iterSms walks every page; iterLookups too', async () => {
  sb.reset()
  await client.sendBulk(Array.from({ length: 25 }, (_, i) => ({ from: 'Acme', to: msisdn(i), text: `it ${i}` })))
  const seen = []
  for await (const sms of client.iterSms({ perPage: 10 })) seen.push(sms.id)
  assert.equal(seen.length, 25)
  assert.equal(new Set(seen).size, 25)
  for (let i = 0; i < 3; i++) await client.lookup(msisdn(i))
  const lookups = []
  for await (const l of client.iterLookups({ perPage: 2 })) lookups.push(l)
  assert.equal(lookups.length, 3)
  // Breaking out early is fine.
  for await (const _ of client.iterSms({ perPage: 5 })) break
})

test('a page size out of range is refused, not adjusted', async () => {
  // Below or over the API's range, the refusal states it.
  for (const [perPage, why] of [[0, /perPage must be a whole number from 1 to 100, got 0/], [101, /perPage must be a whole number from 1 to 100, got 101/]]) {
    await assert.rejects(
      async () => {
        for await (const _ of client.iterSms({ perPage })) assert.fail('no item expected')
      },
      (e) => e.code === 'INVALID_ARGUMENT' && why.test(e.message),
    )
  }
  await assert.rejects(async () => {
    for await (const _ of client.iterLookups({ perPage: 500 })) assert.fail('no item expected')
  }, (e) => e.code === 'INVALID_ARGUMENT')
})

test('segments and smartEncode', () => {
  const gsm = Instasent.segments('a'.repeat(161))
  assert.equal(gsm.encoding, 'GSM-7')
  assert.equal(gsm.segments, 2)
  assert.deepEqual(gsm.partUnits, [153, 8])
  const ucs = Instasent.segments('“Hola” — ¿qué tal?')
  assert.equal(ucs.encoding, 'UCS-2')
  const smart = Instasent.segments('“Hola” — ¿qué tal?', { smart: true })
  assert.equal(smart.encoding, 'GSM-7')
  assert.equal(smart.smartApplied, true)
  assert.equal(smart.text, Instasent.smartEncode('“Hola” — ¿qué tal?'))
  const es = Instasent.segments('ç'.repeat(10), { shiftTable: 'spanish' })
  assert.equal(es.encoding, 'GSM-7')
})

// index.js rebuilds parts and characters from offsets and code points (src/encoding.rs `pack`):
// each must come back whole, whatever the text, and in the keys' documented order.
test('segments rebuilds parts, text and characters exactly', () => {
  const mixed = 'Tu código 😀 es 1234 — 你好 '.repeat(12)
  const a = Instasent.segments(mixed)
  assert.equal(a.text, mixed)
  assert.equal(a.parts.join(''), mixed)
  assert.equal(a.parts.length, a.segments)
  assert.deepEqual(a.parts.map((p) => p.length), a.partUnits)
  assert.deepEqual(a.unicodeChars, ['ó', '😀', '—', '你', '好'])
  assert.deepEqual(Object.keys(a), ['encoding', 'segments', 'units', 'parts', 'unicodeChars', 'text',
    'singleCapacity', 'perPartCapacity', 'partUnits', 'remaining', 'smartApplied', 'replaced'])
  // Smart encoding changes the text: the parts are of the text as sent, not of the input.
  const smart = Instasent.segments('“Hola” — ¿qué tal?'.repeat(10), { smart: true })
  assert.notEqual(smart.text, '“Hola” — ¿qué tal?'.repeat(10))
  assert.equal(smart.parts.join(''), smart.text)
  assert.deepEqual(smart.replaced.map((r) => r.from).sort(), ['—', '“', '”'].sort())
  // A lone surrogate cannot travel: it is analysed (and shown) as U+FFFD.
  const lone = Instasent.segments('a\ud800b')
  assert.equal(lone.text, 'a\ufffdb')
  assert.deepEqual(lone.parts, ['a\ufffdb'])
  const es = Instasent.segments('ç'.repeat(200), { shiftTable: 'spanish' })
  assert.equal(es.parts.join(''), 'ç'.repeat(200))
  assert.ok(Object.keys(es).at(-1) === 'lockingShift' || Object.keys(es).at(-1) === 'singleShift')
})

test('DeliveryTracker keeps the latest state and ignores stale reports', () => {
  const tracker = new Instasent.DeliveryTracker()
  const sent = { id: 'm1', status: 'sent', code: 0, eventAt: '2026-01-01T10:00:00Z' }
  const delivered = { id: 'm1', status: 'delivered', code: 0, eventAt: '2026-01-01T10:00:05Z' }
  assert.equal(tracker.record(Instasent.parseDlr(sent)), 'applied')
  assert.equal(tracker.record(JSON.stringify(delivered)), 'applied')
  assert.equal(tracker.record(Buffer.from(JSON.stringify(delivered))), 'duplicate')
  assert.equal(tracker.record(Instasent.parseDlr(sent)), 'stale')
  assert.equal(tracker.get('m1').status, 'delivered')
  assert.equal(tracker.get('nope'), null)
  assert.equal(tracker.size, 1)
  assert.deepEqual(tracker.counts(), { delivered: 1 })
  assert.equal(Instasent.parseSmppReceipt('id:abc sub:001 dlvrd:001 submit date:2601011000 done date:2601011001 stat:DELIVRD err:000 text:hi').status, 'delivered')
})

test('DeliveryTracker lists what is in flight and forgets what was stored elsewhere', () => {
  const tracker = new Instasent.DeliveryTracker()
  const report = (id, status, at) => JSON.stringify({ id, status, code: 0, eventAt: `2026-01-01T10:00:0${at}Z` })
  tracker.record(report('m1', 'delivered', 5))
  tracker.record(report('m2', 'sent', 1))
  tracker.record(report('m3', 'buffered', 2))
  assert.deepEqual(tracker.pending().map((r) => r.id), ['m2', 'm3'])
  const removed = tracker.remove('m2')
  assert.deepEqual([removed.id, removed.status, removed.isFinal], ['m2', 'sent', false])
  assert.equal(tracker.remove('m2'), null, 'removed once')
  assert.equal(tracker.get('m2'), null)
  assert.deepEqual(tracker.pending().map((r) => r.id), ['m3'])
  assert.equal(tracker.remove('m1').status, 'delivered')
  assert.equal(tracker.size, 1)
})

test('a stopped sandbox refuses further calls; stopping twice is harmless', async () => {
  const other = await Instasent.Sandbox.start()
  const sandbox2 = new Instasent.Sandbox({ token: 'custom' })
  assert.equal(sandbox2.token, 'custom')
  sandbox2.stop()
  other.stop()
  other.stop()
  assert.throws(() => other.messages(), (e) => e.code === 'INVALID_ARGUMENT')
})
