// Bad input from JS (wrong types, undefined, null, huge text) is refused with an InstasentError:
// a rejection for async methods, a throw for sync ones; the process never crashes.
import test from 'node:test'
import assert from 'node:assert/strict'
import { Instasent, clientFor, msisdn } from './helpers.mjs'

const { InstasentError, SmsClient } = Instasent
const sb = await Instasent.Sandbox.start()
const client = clientFor(sb)
test.after(() => sb.stop())

async function refused(call, code = 'INVALID_ARGUMENT') {
  let e
  try {
    await call()
  } catch (x) {
    e = x
  }
  assert.ok(e instanceof InstasentError, `expected an InstasentError, got ${e}`)
  assert.equal(e.code, code, e.message)
  return e
}

test('documented methods with wrong types, undefined or null', async () => {
  await refused(() => client.sendSms())
  await refused(() => client.sendSms(null, null, null))
  await refused(() => client.sendSms(1, 2, 3))
  await refused(() => client.sendSms('Acme', msisdn(1), { text: 'x' }))
  await refused(() => client.getSmsById(undefined))
  await refused(() => client.getSmsById(''))
  await refused(() => client.getSms('one', 'ten'))
  await refused(() => client.sendBulkSms('not an array'))
  await refused(() => client.sendBulkSms([null]))
  await refused(() => client.requestVerify('Acme', msisdn(1), 'no placeholder', 6, 60))
  await refused(() => client.requestVerify('Acme', msisdn(1), '%token%', 'six', 60))
  await refused(() => client.doLookup(42))
})

test('an argument of the wrong type is named in JS terms, with the call it was given to', async () => {
  const says = async (call, pattern) => {
    const e = await refused(call)
    assert.match(e.message, pattern)
    assert.doesNotMatch(e.message, /rust type|napi value/)
  }
  await says(() => client.sendSms(1, 2, 3), /^INVALID_ARGUMENT: SmsClient\.sendSms: expected a string, got number 1$/)
  await says(() => client.getSms('2'), /^INVALID_ARGUMENT: SmsClient\.getSms: expected a number, got string$/)
  await says(() => client.sendBulkSms(null), /^INVALID_ARGUMENT: SmsClient\.sendBulkSms: expected an array$/)
  // A message of a bulk request is named by its index, as its result would be; none is sent.
  const before = sb.messages().length
  const ok = { from: 'Acme', to: msisdn(2), text: 'fine' }
  for (const call of [(m) => client.sendBulkSms(m), (m) => client.sendBatch(m), (m) => client.sendBulk(m)]) {
    await says(() => call([ok, { from: 'Acme', text: 'x' }]), /message 1\b.*`to`/)
    await says(() => call([ok, ok, 5]), /message 2\b/)
  }
  await says(() => client.sendBatch([ok, { ...ok, clientId: 3 }]), /^INVALID_ARGUMENT: message 1: clientId: invalid type: integer `3`, expected a string$/)
  assert.equal(sb.messages().length, before)
  assert.throws(() => Instasent.parseDlr(42), (e) => e.code === 'INVALID_ARGUMENT' && /^INVALID_ARGUMENT: parseDlr: expected a string or a Buffer or an object$/.test(e.message))
})

test('an InstasentError can be built by hand, as a test standing in for the SDK would', () => {
  const plain = new InstasentError('boom')
  assert.equal(plain.message, 'boom')
  assert.equal(plain.code, 'INVALID_ARGUMENT')
  const e = new InstasentError({ code: 'NOT_FOUND', message: 'no such message', status: 404 })
  assert.equal(e.code, 'NOT_FOUND')
  assert.equal(e.status, 404)
  assert.equal(e.clientId, null)
  assert.equal(e.maybeCommitted, false)
})

test('typed methods with wrong shapes', async () => {
  await refused(() => client.send())
  await refused(() => client.send(null))
  await refused(() => client.send({ from: 'Acme' }))
  await refused(() => client.send('text'))
  await refused(() => client.sendBatch([]))
  await refused(() => client.request('GET', 'no-slash'))
  await refused(() => client.request('NOT A METHOD', '/sms'))
})

test('constructor and helpers with wrong types', async () => {
  for (const args of [[], [null], [123], ['t', 'options'], ['t', { timeoutMs: 'soon' }], ['t', { baseUrl: 'ftp://x' }]]) {
    assert.throws(() => new SmsClient(...args), (e) => e instanceof InstasentError && e.code === 'INVALID_ARGUMENT', JSON.stringify(args))
  }
  // Counts out of range are refused, not wrapped or adjusted (N-API's u32 made -1 4294967295).
  const local = { baseUrl: 'http://127.0.0.1:9/transactional/v1' }
  for (const [option, why] of [
    [{ concurrency: -1 }, /concurrency must be a whole number/],
    [{ concurrency: 1.5 }, /concurrency must be a whole number/],
    [{ concurrency: 0 }, /concurrency must be at least 1/],
    [{ timeoutMs: -5 }, /timeoutMs must be a whole number/],
    [{ timeoutMs: 0 }, /timeout must be longer than zero/],
    [{ connectTimeoutMs: 0 }, /connect timeout must be longer than zero/],
    [{ maxRetries: -1 }, /maxRetries must be a whole number/],
    [{ maxRetries: 2 ** 32 }, /maxRetries must be a whole number/],
  ]) {
    assert.throws(
      () => new SmsClient('t', { ...local, ...option }),
      (e) => e.code === 'INVALID_ARGUMENT' && why.test(e.message),
      JSON.stringify(option),
    )
  }
  assert.equal(new SmsClient('t', { ...local, concurrency: 3, maxRetries: 0 }).concurrency, 3)
  assert.throws(() => Instasent.segments(), InstasentError)
  assert.throws(() => Instasent.segments(null), InstasentError)
  assert.throws(() => Instasent.segments('x', 'smart'), InstasentError)
  assert.throws(() => Instasent.parseDlr(), InstasentError)
  assert.throws(() => Instasent.parseDlr(42), InstasentError)
  assert.throws(() => Instasent.parseDlr(''), (e) => e.code === 'DECODE')
  assert.throws(() => Instasent.parseDlr([1, 2]), InstasentError)
  assert.throws(() => Instasent.parseSmppReceipt({}), InstasentError)
  assert.throws(() => new Instasent.DeliveryTracker().record(null), InstasentError)
  assert.throws(() => new Instasent.Sandbox({ port: 'x' }), InstasentError)
  for (const options of [{ port: -1 }, { port: 70000 }, { dlrDelayMs: -5 }, { faults: { latencyMs: 1.5 } }, { limits: { bulk: -1 } }, { webhook: 'not a url' }, { webhook: 'ftp://x/dlr' }, { token: '' }, { balance: -1 }]) {
    assert.throws(() => new Instasent.Sandbox(options), (e) => e.code === 'INVALID_ARGUMENT', JSON.stringify(options))
  }
  assert.throws(() => sb.setFaults(null), InstasentError)
  assert.throws(() => sb.setFaults({ errorRate: 1.5 }), (e) => e.code === 'INVALID_ARGUMENT' && /`errorRate` must be between 0 and 1/.test(e.message))
  assert.throws(() => new Instasent.Sandbox({ faults: { dropAfterCommitRate: -1 } }), (e) => e.code === 'INVALID_ARGUMENT' && /dropAfterCommitRate/.test(e.message))
  // A value of the wrong type is named by its key, nested ones by their path.
  assert.throws(() => sb.setFaults({ errorRate: 'all' }), (e) => e.code === 'INVALID_ARGUMENT' && /Faults: errorRate: invalid type: string "all"/.test(e.message))
  assert.throws(() => new Instasent.Sandbox({ limits: { windowSecs: '1s' } }), (e) => e.code === 'INVALID_ARGUMENT' && /limits\.windowSecs: invalid type/.test(e.message))
  assert.throws(() => new SmsClient('t', { timeoutMs: '5s' }), (e) => e.code === 'INVALID_ARGUMENT' && /ClientOptions: timeoutMs: invalid type/.test(e.message))
  // A port already taken is the machine's failure, not a bad argument.
  const taken = Number(new URL(sb.baseUrl).port)
  assert.throws(() => new Instasent.Sandbox({ port: taken }), (e) => e.code === 'TRANSPORT' && /the sandbox could not start/.test(e.message))
  // Methods called on something that is not an instance.
  await refused(() => SmsClient.prototype.sendSms.call({}, 'a', 'b', 'c'))
})

test('an options key nobody reads is refused, naming it and the accepted ones', async () => {
  // `base_url` for `baseUrl` used to fall back to $INSTASENT_BASE_URL or production, unnoticed.
  const unknown = (key, accepted) => (e) =>
    e instanceof InstasentError &&
    e.code === 'INVALID_ARGUMENT' &&
    e.message.includes(`unknown field \`${key}\``) &&
    e.message.includes(`\`${accepted}\``) &&
    // Named once: a path before serde's message would say the key again ("prot: unknown field `prot`").
    !e.message.includes(`${key}: `)
  const local = { baseUrl: 'http://127.0.0.1:9/transactional/v1' }
  assert.throws(() => new SmsClient('t', { base_url: sb.baseUrl }), unknown('base_url', 'baseUrl'))
  assert.throws(() => new SmsClient('t', { ...local, timeout: 5 }), unknown('timeout', 'timeoutMs'))
  assert.throws(() => new Instasent.Sandbox({ prot: 0 }), unknown('prot', 'port'))
  assert.ok((await refused(() => Instasent.Sandbox.start({ dlrDelay: 5 }))).message.includes('`dlrDelayMs`'))
  assert.throws(() => new Instasent.Sandbox({ faults: { error_rate: 1 } }), unknown('error_rate', 'errorRate'))
  assert.throws(() => new Instasent.Sandbox({ limits: { window: 1 } }), (e) => unknown('window', 'windowSecs')(e) && /limits: unknown field `window`/.test(e.message))
  assert.throws(() => sb.setFaults({ latency: 5 }), unknown('latency', 'latencyMs'))
  assert.throws(() => Instasent.segments('x', { shift_table: 'spanish' }), unknown('shift_table', 'shiftTable'))
  const quiet = new SmsClient('t', local)
  assert.throws(() => quiet.campaign([], { batch_size: 10 }), unknown('batch_size', 'batchSize'))
  await refused(() => quiet.sendBulk([], { onprogress: () => {} }))
  assert.throws(() => quiet.iterSms({ per_page: 10 }), unknown('per_page', 'perPage'))
  assert.throws(() => quiet.iterLookups({ pageSize: 10 }), unknown('pageSize', 'perPage'))
  // Arrays are not read as options either (they would be taken field by field, in order).
  assert.throws(() => new SmsClient('t', [sb.baseUrl]), (e) => e.code === 'INVALID_ARGUMENT')
  // Every key the types declare is still taken.
  const all = { ...local, timeoutMs: 1000, connectTimeoutMs: 1000, maxRetries: 0, concurrency: 2, userAgent: 'x', tokenInQuery: false, allowInsecureHttp: false, pacing: true }
  assert.equal(new SmsClient('t', all).concurrency, 2)
  const options = { concurrency: 1, batchSize: 10, onProgress: () => {}, resume: false }
  assert.deepEqual(await clientFor(sb).sendBulk([], options), [])
  assert.equal(Instasent.segments('x', { smart: true, shiftTable: 'spanish' }).segments, 1)
})

test('text that is not valid Unicode (a lone surrogate) is refused and nothing is sent', async () => {
  // Half an emoji, as slicing by UTF-16 units leaves it: napi would pass it on as U+FFFD.
  const half = '\u{1F600}'.slice(0, 1)
  const before = sb.messages().length
  const one = await refused(() => client.sendSms('Acme', msisdn(31), `Hi ${half}`))
  assert.match(one.message, /sendSms: argument 3 is not valid Unicode/)
  await refused(() => client.sendUnicodeSms('Acme', msisdn(31), half))
  const typed = await refused(() => client.send({ from: 'Acme', to: msisdn(31), text: half, allowUnicode: true }))
  assert.match(typed.message, /send: argument 1 `text` is not valid Unicode/)
  const documentedBulk = await refused(() =>
    client.sendBulkSms([{ from: 'Acme', to: msisdn(31), text: 'ok' }, { from: 'Acme', to: msisdn(32), text: half }]),
  )
  assert.match(documentedBulk.message, /item 1 `text` is not valid Unicode/)
  const bulk = await refused(() =>
    client.sendBulk([{ from: 'Acme', to: msisdn(31), text: 'ok' }, { from: 'Acme', to: msisdn(32), text: `x${half}y`, allowUnicode: true }]),
  )
  assert.match(bulk.message, /message 1 `text` is not valid Unicode/)
  assert.equal(sb.messages().length, before, 'nothing was sent')
  const whole = await client.sendUnicodeSms('Acme', msisdn(33), 'a whole one: \u{1F600}')
  assert.equal(whole.response_code, 201)
})

test('a 10 MB text is refused locally, not sent and not a crash', async () => {
  const huge = 'a'.repeat(10 * 1024 * 1024)
  const before = sb.stats().requests
  const e = await refused(() => client.send({ from: 'Acme', to: msisdn(1), text: huge }), 'VALIDATION')
  assert.ok(e.fields.text)
  await refused(() => client.sendSms('Acme', msisdn(1), huge), 'VALIDATION')
  assert.equal(sb.stats().requests, before)
  // Segment counting of a huge text works and agrees with the rules.
  const a = Instasent.segments(huge)
  assert.equal(a.segments, Math.ceil(huge.length / 153))
})

test('the process is still healthy after all of the above', async () => {
  const r = await client.sendSms('Acme', msisdn(2), 'still alive')
  assert.equal(r.response_code, 201)
})
