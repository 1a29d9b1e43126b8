// A part-filled batch from an async input goes once the input has had nothing ready for 20 ms
// (the core's LINGER): a campaign fed by a long-lived queue sends each message promptly. An
// input that is always ready still goes out in full batches.
import test from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Instasent, clientFor, msisdn, waitFor } from './helpers.mjs'

// The addon lib/client.js starts campaigns with (the same module instance).
const native = createRequire(import.meta.url)('../native.js')

const sb = await Instasent.Sandbox.start({ balance: 1e7 })
test.after(() => sb.stop())
test.beforeEach(() => sb.reset())

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const IDLE_MS = 1500

/** Three messages, then nothing for IDLE_MS (a queue with nothing in it), then the end. */
function idleSource(prefix) {
  const state = { ended: false }
  async function* source() {
    for (let i = 0; i < 3; i++) yield { from: 'Acme', to: msisdn(i), text: `otp ${i}`, clientId: `${prefix}-${i}` }
    await pause(IDLE_MS)
    state.ended = true
    yield { from: 'Acme', to: msisdn(3), text: 'otp 3', clientId: `${prefix}-3` }
  }
  return { source: source(), state }
}

test('sendBulk: three messages from an idle async source go out before it yields again', async () => {
  const { source, state } = idleSource('idle-bulk')
  const started = Date.now()
  const sending = clientFor(sb).sendBulk(source)
  await waitFor(() => sb.stats().acceptedMessages === 3, 'the first three in the sandbox', 700)
  assert.equal(state.ended, false)
  assert.ok(Date.now() - started < 700)
  const results = await sending
  assert.deepEqual(results.map((r) => [r.index, r.status, r.clientId]), [0, 1, 2, 3].map((i) => [i, 'accepted', `idle-bulk-${i}`]))
  assert.equal(sb.messages().length, 4)
  assert.equal(sb.stats().requests, 2)
})

test('campaign: the results of three messages from an idle async source come before it yields again', async () => {
  const { source, state } = idleSource('idle-stream')
  const started = Date.now()
  const seen = []
  for await (const r of clientFor(sb).campaign(source)) {
    seen.push({ r, at: Date.now() - started, ended: state.ended })
  }
  assert.deepEqual(seen.map(({ r }) => [r.index, r.status, r.clientId]), [0, 1, 2, 3].map((i) => [i, 'accepted', `idle-stream-${i}`]))
  for (const { at, ended } of seen.slice(0, 3)) {
    assert.equal(ended, false)
    assert.ok(at < 700, `a first result after ${at} ms`)
  }
  assert.equal(sb.messages().length, 4)
})

test('a trickling async source: no message lost, repeated or reordered across lingered batches', async () => {
  async function* source() {
    for (let i = 0; i < 60; i++) {
      if (i % 7 === 3) await pause(i % 2 ? 40 : 5)
      yield { from: 'Acme', to: msisdn(i), text: `trickle ${i}`, clientId: `trickle-${i}` }
    }
  }
  const results = await clientFor(sb).sendBulk(source(), { batchSize: 10, concurrency: 2 })
  assert.deepEqual(results.map((r) => r.index), [...Array(60).keys()])
  assert.ok(results.every((r, i) => r.status === 'accepted' && r.clientId === `trickle-${i}`))
  assert.equal(sb.messages().length, 60)
  assert.ok(sb.stats().requests > 6, `${sb.stats().requests} requests: lingered batches went part-filled`)
})

test('an async source that fails while a lingered batch is out: the failure surfaces, what went out is reported', async () => {
  async function* source() {
    for (let i = 0; i < 3; i++) yield { from: 'Acme', to: msisdn(i), text: `m ${i}` }
    await pause(200)
    throw new Error('queue broke')
  }
  const e = await clientFor(sb).sendBulk(source()).then(() => null, (err) => err)
  assert.ok(e instanceof Error && e.message === 'queue broke', String(e))
  assert.deepEqual(e.results.map((r) => [r.index, r.status]), [[0, 'accepted'], [1, 'accepted'], [2, 'accepted']])
  assert.equal(sb.messages().length, 3)
})

test('an always-ready async source of 1,000 goes out in full batches of 100', async () => {
  async function* source() {
    for (let i = 0; i < 1000; i++) {
      await null
      yield { from: 'Acme', to: msisdn(i), text: `ready ${i}` }
    }
  }
  // Nor is a part-filled batch ever pushed for it: every push carries 100 messages (the core
  // would merge part-filled pushes into the same requests, so the requests alone cannot tell).
  let pushes = 0
  const realStart = native.startCampaign
  native.startCampaign = (...args) => {
    const campaign = realStart(...args)
    const realPush = campaign.push.bind(campaign)
    campaign.push = (...pushed) => {
      pushes++
      return realPush(...pushed)
    }
    return campaign
  }
  try {
    const results = await clientFor(sb).sendBulk(source(), { concurrency: 2 })
    assert.equal(results.length, 1000)
    assert.equal(sb.stats().requests, 10)
    sb.reset()
    let n = 0
    for await (const r of clientFor(sb).campaign(source(), { concurrency: 2 })) assert.equal(r.index, n++)
    assert.equal(n, 1000)
    assert.equal(sb.stats().requests, 10)
  } finally {
    native.startCampaign = realStart
  }
  assert.equal(pushes, 20, `${pushes} pushes for 2 × 1,000 messages`)
})
