// The documented surface: every method resolves to { response_code, response_body }, as in
// Instasent's own libraries; HTTP error statuses resolve too.
import test from 'node:test'
import assert from 'node:assert/strict'
import Instasent, { SmsClient, Sandbox, InstasentError } from '../index.mjs'
import { clientFor, msisdn } from './helpers.mjs'

const sb = await Sandbox.start()
const client = clientFor(sb)
test.after(() => sb.stop())

test('ESM default and named exports are the CommonJS objects', async () => {
  const { createRequire } = await import('node:module')
  const cjs = createRequire(import.meta.url)('../index.js')
  assert.equal(Instasent, cjs)
  assert.equal(SmsClient, cjs.SmsClient)
  assert.equal(InstasentError, cjs.InstasentError)
  assert.ok(new Instasent.SmsClient('tok', { baseUrl: sb.baseUrl }) instanceof SmsClient)
})

test('sendSms resolves to response_code 201 and the entity', async () => {
  const r = await client.sendSms('Acme', msisdn(1), 'Hello from Node', 'node-doc-1')
  assert.equal(r.response_code, 201)
  assert.equal(r.response_body.entity.clientId, 'node-doc-1')
  assert.equal(r.response_body.entity.to, msisdn(1))
  const byId = await client.getSmsById(r.response_body.entity.id)
  assert.equal(byId.response_code, 200)
  assert.equal(byId.response_body.entity.id, r.response_body.entity.id)
})

test('sendUnicodeSms sends UCS-2', async () => {
  const r = await client.sendUnicodeSms('Acme', msisdn(2), 'Hola 😀')
  assert.equal(r.response_code, 201)
  assert.equal(r.response_body.entity.encoding, 'UCS-2')
})

test('sendBulkSms sends up to 100 messages and reports per-item errors', async () => {
  const r = await client.sendBulkSms([
    { from: 'Acme', to: msisdn(3), text: 'one' },
    { from: 'Acme', to: 'not-a-number', text: 'two' },
  ])
  assert.equal(r.response_code, 201)
  assert.equal(r.response_body.entities.length, 1)
  assert.ok(Object.keys(r.response_body.errors[0].fields).includes('to'))
})

test('getSms pages with defaults page=1, perPage=10', async () => {
  for (let i = 0; i < 12; i++) await client.sendSms('Acme', msisdn(100 + i), `page ${i}`)
  const first = await client.getSms()
  assert.equal(first.response_code, 200)
  assert.equal(first.response_body.entities.length, 10)
  const second = await client.getSms(2, 5)
  assert.equal(second.response_body.entities.length, 5)
})

test('doLookup, getLookupById, getLookups', async () => {
  const r = await client.doLookup(msisdn(4))
  assert.equal(r.response_code, 201)
  const id = r.response_body.entity.id
  assert.equal((await client.getLookupById(id)).response_body.entity.id, id)
  const list = await client.getLookups(1, 10)
  assert.equal(list.response_code, 200)
  assert.ok(list.response_body.entities.some((l) => l.id === id))
})

test('getAccountBalance, getSmsPriceProfile, getLookupPriceProfile', async () => {
  const b = await client.getAccountBalance()
  assert.equal(b.response_code, 200)
  assert.equal(typeof b.response_body.entity.available, 'number')
  assert.equal(b.response_body.entity.currency, 'EUR')
  const sms = await client.getSmsPriceProfile()
  assert.equal(sms.response_code, 200)
  assert.ok(sms.response_body.entities.some((p) => p.country === 'ES'))
  const lookup = await client.getLookupPriceProfile()
  assert.equal(lookup.response_code, 200)
  assert.ok(lookup.response_body.entities.length > 0)
})

test('verify flow: requestVerify, checkVerify with the sandbox code, getVerifyById, getVerify', async () => {
  const r = await client.requestVerify('Acme', msisdn(5), 'Your code is %token%', 6, 300)
  assert.equal(r.response_code, 201)
  const id = r.response_body.entity.id
  assert.equal(r.response_body.entity.status, 'pending')
  const code = sb.verifyCode(id)
  assert.match(code, /^\d{6}$/)
  const wrong = await client.checkVerify(id, code === '000000' ? '111111' : '000000')
  assert.notEqual(wrong.response_body?.entity?.status, 'verified')
  const ok = await client.checkVerify(id, code)
  assert.equal(ok.response_body.entity.status, 'verified')
  assert.equal((await client.getVerifyById(id)).response_body.entity.status, 'verified')
  const list = await client.getVerify(1, 10)
  assert.ok(list.response_body.entities.some((v) => v.id === id))
  assert.equal(sb.verifyCode('no-such-verify'), null)
})

test('requestVerify without tokenLength and timeout: a 6-digit code valid 300 s, as in Instasent\'s libraries', async () => {
  const r = await client.requestVerify('Acme', msisdn(6), 'Your code is %token%')
  assert.equal(r.response_code, 201)
  assert.equal(r.response_body.entity.tokenLength, 6)
  assert.equal(r.response_body.entity.timeout, 300)
  assert.match(sb.verifyCode(r.response_body.entity.id), /^\d{6}$/)
  // Left out before a clientId, they keep their defaults too.
  const withId = await client.requestVerify('Acme', msisdn(7), 'Code %token%', undefined, null, 'verify-defaults')
  assert.equal(withId.response_code, 201)
  assert.deepEqual(
    [withId.response_body.entity.tokenLength, withId.response_body.entity.timeout, withId.response_body.entity.clientId],
    [6, 300, 'verify-defaults'],
  )
  const typed = await client.verify({ from: 'Acme', to: msisdn(8), text: 'Code %token%' })
  assert.match(sb.verifyCode(typed.id), /^\d{6}$/)
})

test('HTTP error statuses resolve with their code and body', async () => {
  const nf = await client.getSmsById('does-not-exist')
  assert.equal(nf.response_code, 404)
  const unauth = await new SmsClient('wrong-token', { baseUrl: sb.baseUrl }).getAccountBalance()
  assert.equal(unauth.response_code, 401)
  assert.ok(unauth.response_body.message)
})

test('failures without an HTTP status reject with an InstasentError', async () => {
  const local = await client.sendSms('Acme', 'nope', 'x').catch((e) => e)
  assert.ok(local instanceof InstasentError)
  assert.equal(local.code, 'VALIDATION')
  assert.ok(local.fields.to)
})
