// Every error code, each from the situation that produces it, with its status and details.
import test from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { Instasent, clientFor, msisdn, rejection } from './helpers.mjs'

const { Sandbox, SmsClient, InstasentError } = Instasent
const sb = await Sandbox.start()
test.after(() => sb.stop())
test.afterEach(() => sb.setFaults({}))

function assertCode(e, code, status = null) {
  assert.ok(e instanceof InstasentError, `not an InstasentError: ${e}`)
  assert.ok(e instanceof Error)
  assert.equal(e.code, code, e.message)
  assert.equal(e.status, status)
}

test('the codes are the core ErrorKind codes', () => {
  assert.deepEqual(Instasent.errorCodes(), [
    'VALIDATION', 'UNAUTHORIZED', 'PAYMENT_REQUIRED', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED',
    'SERVER', 'TIMEOUT', 'TRANSPORT', 'DECODE', 'INVALID_ARGUMENT', 'AMBIGUOUS_OUTCOME',
  ])
})

test('a fault seed replays the same 500s, request by request', async () => {
  const c = clientFor(sb, { maxRetries: 0 })
  const statuses = async () => {
    const out = []
    for (let i = 0; i < 24; i++) out.push((await c.getAccountBalance()).response_code)
    return out
  }
  sb.setFaults({ errorRate: 0.5, seed: 11 })
  const first = await statuses()
  sb.setFaults({ errorRate: 0.5, seed: 11 })
  assert.deepEqual(await statuses(), first)
  assert.ok(first.includes(200) && first.includes(500), String(first))
})

test('UNAUTHORIZED: 401 for a wrong token', async () => {
  const e = await rejection(new SmsClient('wrong', { baseUrl: sb.baseUrl }).send({ from: 'Acme', to: msisdn(1), text: 'x' }))
  assertCode(e, 'UNAUTHORIZED', 401)
  assert.ok(e.body.includes('nauthorized'))
})

test('PAYMENT_REQUIRED: 402 when the balance is out', async () => {
  const poor = await Sandbox.start({ balance: 0.0001 })
  try {
    const c = clientFor(poor)
    assertCode(await rejection(c.send({ from: 'Acme', to: msisdn(2), text: 'x' })), 'PAYMENT_REQUIRED', 402)
    assert.equal((await c.sendSms('Acme', msisdn(2), 'x')).response_code, 402)
    assert.equal(poor.messages().length, 0)
  } finally {
    poor.stop()
  }
})

test('NOT_FOUND: 404 for an unknown id', async () => {
  const e = await rejection(clientFor(sb).getMessage('nope'))
  assertCode(e, 'NOT_FOUND', 404)
  // The answer reported its rate-limit window; waiting for it would not find the message.
  assert.ok(e.rateLimit && e.resetAt)
  assert.equal(e.retryAfter, null)
  assert.equal(e.maybeCommitted, false)
  assertCode(await rejection(clientFor(sb).getLookup('nope')), 'NOT_FOUND', 404)
})

test('PAYLOAD_TOO_LARGE: 413 for 101 bulk items', async () => {
  const items = Array.from({ length: 101 }, (_, i) => ({ from: 'Acme', to: msisdn(i), text: 'x' }))
  assertCode(await rejection(clientFor(sb).request('POST', '/sms/bulk', items)), 'PAYLOAD_TOO_LARGE', 413)
  // Locally the documented call refuses it before sending.
  assertCode(await rejection(clientFor(sb).sendBulkSms(items)), 'INVALID_ARGUMENT')
})

test('RATE_LIMITED: 429 with the reset time when retries are off', async () => {
  sb.setFaults({ rateLimitBurst: 5 })
  const e = await rejection(clientFor(sb, { maxRetries: 0 }).account())
  assertCode(e, 'RATE_LIMITED', 429)
  assert.equal(typeof e.resetAt, 'number')
  assert.ok(e.resetAt > Date.now() / 1000 - 1)
  const r = await clientFor(sb, { maxRetries: 0 }).getAccountBalance()
  assert.equal(r.response_code, 429)
  // faults() counts the forced 429s still to send.
  assert.equal(sb.faults().rateLimitBurst, 3)
})

test('faults() reads back what setFaults set; a refused setFaults leaves them as they were', () => {
  sb.setFaults({ latencyMs: 1, seed: 7 })
  const set = { errorRate: 0, latencyMs: 1, dropAfterCommitRate: 0, rateLimitBurst: 0, seed: 7 }
  assert.deepEqual(sb.faults(), set)
  for (const bad of [{ errorRate: 2 }, { errorRate: 'all' }, { errorRat: 1 }]) {
    assert.throws(() => sb.setFaults(bad), (e) => e.code === 'INVALID_ARGUMENT', JSON.stringify(bad))
  }
  assert.deepEqual(sb.faults(), set)
  sb.setFaults({})
  assert.deepEqual(sb.faults(), { errorRate: 0, latencyMs: 0, dropAfterCommitRate: 0, rateLimitBurst: 0 })
})

test('SERVER: 5xx once retries are spent', async () => {
  sb.setFaults({ errorRate: 1 })
  assertCode(await rejection(clientFor(sb, { maxRetries: 0 }).account()), 'SERVER', 500)
})

test('TIMEOUT: a response slower than timeoutMs', async () => {
  sb.setFaults({ latencyMs: 1000 })
  assertCode(await rejection(clientFor(sb, { maxRetries: 0, timeoutMs: 100 }).account()), 'TIMEOUT')
})

test('TRANSPORT: nothing listens on the port', async () => {
  // Node cannot bind a port without listening on it. The local end of a connection is bound and
  // not listening, and stays taken while the connection is open: no other process can start
  // listening there before the client connects, as one could on a closed listener's port.
  const server = net.createServer()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const held = net.connect(server.address().port, '127.0.0.1')
  await new Promise((r) => held.once('connect', r))
  try {
    const c = new SmsClient('t', { baseUrl: `http://127.0.0.1:${held.localPort}/transactional/v1`, maxRetries: 0 })
    assertCode(await rejection(c.account()), 'TRANSPORT')
    assertCode(await rejection(c.getAccountBalance()), 'TRANSPORT')
  } finally {
    held.destroy()
    server.close()
  }
})

test('VALIDATION: local check (nothing sent) and server 422 with fields', async () => {
  const before = sb.stats().requests
  const local = await rejection(clientFor(sb).send({ from: 'Acme', to: '600000000', text: 'x' }))
  assertCode(local, 'VALIDATION')
  assert.ok(local.fields.to.length > 0)
  assert.equal(sb.stats().requests, before)
  const server = await rejection(clientFor(sb).request('POST', '/sms', { from: 'Acme', to: 'bad', text: '' }))
  assertCode(server, 'VALIDATION', 422)
  assert.ok(server.fields.to)
})

test('AMBIGUOUS_OUTCOME: the connection drops after the send was committed and no retry is left', async () => {
  sb.setFaults({ dropAfterCommitRate: 1 })
  const e = await rejection(clientFor(sb, { maxRetries: 0 }).send({ from: 'Acme', to: msisdn(9), text: 'maybe' }))
  assertCode(e, 'AMBIGUOUS_OUTCOME')
  assert.match(e.message, /clientId/)
  // The SDK generated the clientId: the error is where the caller learns what to look up.
  assert.equal(e.maybeCommitted, true)
  assert.ok(e.clientId && e.message.includes(e.clientId), e.message)
  assert.ok(sb.messages().some((m) => m.clientId === e.clientId))
})

test('a retry after a dropped-but-committed send settles it as accepted earlier, never twice', async () => {
  sb.setFaults({ dropAfterCommitRate: 1 })
  const before = sb.messages().length
  const sms = await clientFor(sb, { maxRetries: 2 }).send({ from: 'Acme', to: msisdn(10), text: 'once', clientId: 'node-once-1' })
  assert.equal(sms.status, 'accepted_earlier')
  assert.equal(sms.clientId, 'node-once-1')
  const copies = sb.messages().filter((m) => m.clientId === 'node-once-1')
  assert.equal(copies.length, 1)
  assert.equal(sb.messages().length, before + 1)
})

test('DECODE: a DLR payload that cannot be parsed', () => {
  assert.throws(() => Instasent.parseDlr('{not json'), (e) => e instanceof InstasentError && e.code === 'DECODE')
})

test('INVALID_ARGUMENT: empty token, insecure base URL, page 0, unknown shift table', async () => {
  assert.throws(() => new SmsClient(''), (e) => e.code === 'INVALID_ARGUMENT')
  assert.throws(() => new SmsClient('t', { baseUrl: 'http://api.example.com/x' }), (e) => e.code === 'INVALID_ARGUMENT')
  assertCode(await rejection(clientFor(sb).getSms(0, 10)), 'INVALID_ARGUMENT')
  assertCode(await rejection(clientFor(sb).getSms(-1)), 'INVALID_ARGUMENT')
  // Whole numbers only: N-API would have cut 1.5 to 1 and wrapped -1 into 4294967295.
  assert.match((await rejection(clientFor(sb).getSms(1.5))).message, /page must be a whole number from 1 to 4294967295, got 1.5/)
  assert.match((await rejection(clientFor(sb).getSms(0))).message, /page must be a whole number from 1 to/)
  assert.match((await rejection(clientFor(sb).listMessages(1, 2.5))).message, /perPage must be a whole number/)
  const before = sb.messages().length
  const verify = { from: 'Acme', to: '+34600000001', text: 'code %token%', timeout: 60 }
  assert.match((await rejection(clientFor(sb).verify({ ...verify, tokenLength: -1 }))).message, /tokenLength must be a whole number/)
  assert.match((await rejection(clientFor(sb).requestVerify('Acme', '+34600000001', 'code %token%', 4, -60))).message, /timeout must be a whole number/)
  assert.equal(sb.messages().length, before)
  assert.throws(() => Instasent.segments('x', { shiftTable: 'klingon' }), (e) => e.code === 'INVALID_ARGUMENT')
})

test('the error message never contains the token', async () => {
  const secret = 'tok_secret_value_123'
  const e = await rejection(new SmsClient(secret, { baseUrl: sb.baseUrl, tokenInQuery: true }).account())
  assert.ok(!e.message.includes(secret) && !String(e.body).includes(secret))
})

test('JSON.stringify of an error keeps its message and code, for JSON loggers', async () => {
  const c = clientFor(sb)
  const e = await rejection(c.getMessage('no-such-message'))
  const json = JSON.parse(JSON.stringify(e))
  assert.equal(json.name, 'InstasentError')
  assert.equal(json.code, 'NOT_FOUND')
  assert.equal(json.status, 404)
  assert.equal(json.message, e.message)
  assert.ok(json.message.length > 0)
  assert.equal('results' in json, false)
})

test('the package says its version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  assert.match(Instasent.version, /^\d+\.\d+\.\d+/)
  assert.equal(Instasent.version, pkg.version)
})
