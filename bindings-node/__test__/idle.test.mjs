// A campaign over an async source that is idle (a queue with nothing in it) must not wait for
// the source's next item to report a failure or to settle an early `break`: the pending
// `next()` is abandoned and the source closed at once.
import test from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter, on } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Instasent, clientFor, msisdn, waitFor } from './helpers.mjs'

const sb = await Instasent.Sandbox.start({ balance: 1e7 })
test.after(() => sb.stop())
test.beforeEach(() => sb.reset())

test('sendBulk: onProgress throwing while the async source is idle rejects at once, with the results', { timeout: 10_000 }, async () => {
  const unhandled = []
  const onUnhandled = (e) => unhandled.push(e)
  process.on('unhandledRejection', onUnhandled)
  const idle = new AbortController()
  let closed = false
  async function* source() {
    try {
      for (let i = 0; i < 3; i++) yield { from: 'Acme', to: msisdn(i), text: `m ${i}`, clientId: `idle-fail-${i}` }
      await sleep(5_000, undefined, { signal: idle.signal }) // idle; aborted below so the file ends
      yield { from: 'Acme', to: msisdn(9), text: 'late', clientId: 'idle-fail-late' }
    } finally {
      closed = true
    }
  }
  try {
    const boom = new Error('boom from onProgress')
    const started = Date.now()
    const e = await clientFor(sb)
      .sendBulk(source(), { onProgress: () => { throw boom } })
      .then(() => null, (x) => x)
    const took = Date.now() - started
    assert.equal(e, boom)
    assert.ok(took < 1_000, `rejected after ${took} ms`)
    assert.deepEqual(e.results.map((r) => [r.index, r.status, r.clientId]), [0, 1, 2].map((i) => [i, 'accepted', `idle-fail-${i}`]))
    // The source's pending step settles (with an error) only now: its generator then runs its
    // `finally`, the abandoned step and `return()` leave no unhandled rejection, and nothing
    // more is sent.
    idle.abort()
    await waitFor(() => closed, 'the source closed', 2_000)
    await sleep(50)
    assert.deepEqual(unhandled, [])
    assert.equal(sb.messages().length, 3)
  } finally {
    idle.abort()
    process.off('unhandledRejection', onUnhandled)
  }
})

test('campaign: break over an events.on source closes it at once; a later event is not taken', { timeout: 10_000 }, async () => {
  const em = new EventEmitter()
  let returned = false
  // `on(em, 'msg')` yields each event's arguments: the source hands on the first, and passes
  // `return()` through to it.
  const source = {
    [Symbol.asyncIterator]() {
      const events = on(em, 'msg')
      return {
        async next() {
          const step = await events.next()
          return step.done ? step : { done: false, value: step.value[0] }
        },
        return() {
          returned = true
          return events.return()
        },
      }
    },
  }
  const emitted = (i) => ({ from: 'Acme', to: msisdn(i), text: `otp ${i}`, clientId: `on-${i}` })
  setTimeout(() => em.emit('msg', emitted(1)), 10)
  const seen = []
  const started = Date.now()
  for await (const r of clientFor(sb).campaign(source)) {
    seen.push(r)
    break
  }
  assert.deepEqual(seen.map((r) => [r.index, r.status, r.clientId]), [[0, 'accepted', 'on-1']])
  await waitFor(() => em.listenerCount('msg') === 0, 'the listener removed', 500)
  assert.ok(returned, 'the source\'s return() was called')
  assert.ok(Date.now() - started < 1_000)
  em.emit('msg', emitted(2))
  await sleep(100)
  assert.equal(em.listenerCount('msg'), 0)
  assert.deepEqual(sb.messages().map((m) => m.clientId), ['on-1'])
})
