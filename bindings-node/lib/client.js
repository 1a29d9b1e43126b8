'use strict'
// SmsClient: the native client's methods (wrapped for errors) plus the parts that must live on
// the JS side because they consume JS iterables: `sendBulk` and `campaign` feed one native
// campaign (src/bulk.rs over the core's `bulk::Feed`, which bounds how far the input runs ahead
// of the results taken) from the iterable while they drain the results; `iterSms`/`iterLookups`
// adapt the core's pagers. The campaign and the pagers come from native functions that
// index.js does not export (`startCampaign`, `smsPager`, `lookupPager`).

const native = require('../native.js')
const { InstasentError, fromNative } = require('./errors.js')
const { wrapClass, nativeOf, callAsync, callSync } = require('./wrap.js')

const ASYNC = Object.getOwnPropertyNames(native.SmsClient.prototype).filter(
  (k) => !['constructor', 'rateLimit', 'baseUrl', 'concurrency'].includes(k),
)

const SmsClient = wrapClass(native.SmsClient, { asyncMethods: ASYNC, checkText: true })

function invalid(message) {
  return new InstasentError({ code: 'INVALID_ARGUMENT', message: `INVALID_ARGUMENT: ${message}` })
}

/** The caller's options object, {} when there is none. */
function optionsOf(options) {
  const o = options ?? {}
  if (typeof o !== 'object' || Array.isArray(o)) throw invalid('options must be an object')
  return o
}

function positiveInt(name, value, fallback) {
  if (value === undefined || value === null) return fallback
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer`)
  return value
}

// The packed form `Campaign.push` takes (see src/bulk.rs): the strings of a batch back to back
// in one string, and per message the UTF-16 lengths of from, to, text and clientId
// (NO_CLIENT_ID when absent) and allowUnicode. One N-API crossing per batch instead of a
// property read per field.
const NO_CLIENT_ID = 0xffffffff
const INPUT_FIELDS = 5

// `clientId` and `allowUnicode` may be spelled `client_id` and `allow_unicode`, as in Python, C
// and PHP: rows often come from snake_case columns, and a clientId read past would be replaced by
// a generated one, losing the caller's protection against sending twice on a re-run. The refusal
// says what the core's `both_spellings_given` says (the Node tests hold the two to one wording).
function spelledEitherWay(m, camel, snake, bad) {
  const value = m[camel]
  const other = m[snake]
  if (other === undefined) return value
  if (value !== undefined) throw bad(`both \`${camel}\` and \`${snake}\` are given`)
  return other
}

class Batch {
  constructor(size) {
    this.layout = new Uint32Array(size * INPUT_FIELDS)
    this.text = ''
    this.count = 0
    this.first = 0
  }

  clear() {
    this.text = ''
    this.count = 0
  }

  /** Adds input `index`, or throws INVALID_ARGUMENT naming it. */
  add(m, index) {
    const bad = (why) => invalid(`message ${index} is not {from, to, text, allowUnicode?, clientId?}: ${why}`)
    if (m === null || typeof m !== 'object') throw bad(m === null ? 'null' : `a ${typeof m}`)
    const { from, to, text } = m
    const allowUnicode = spelledEitherWay(m, 'allowUnicode', 'allow_unicode', bad)
    const clientId = spelledEitherWay(m, 'clientId', 'client_id', bad)
    if (typeof from !== 'string') throw bad('`from` must be a string')
    if (typeof to !== 'string') throw bad('`to` must be a string')
    if (typeof text !== 'string') throw bad('`text` must be a string')
    if (allowUnicode != null && typeof allowUnicode !== 'boolean') throw bad('`allowUnicode` must be a boolean')
    if (clientId != null && typeof clientId !== 'string') throw bad('`clientId` must be a string')
    if (this.count === 0) this.first = index
    const at = this.count * INPUT_FIELDS
    const l = this.layout
    l[at] = from.length
    l[at + 1] = to.length
    l[at + 2] = text.length
    if (clientId == null) {
      l[at + 3] = NO_CLIENT_ID
      this.text += from + to + text
    } else {
      l[at + 3] = clientId.length
      this.text += from + to + text + clientId
    }
    l[at + 4] = allowUnicode === true ? 1 : 0
    this.count++
  }

  /** Queues the batch, waiting for room if the feed says so; resolves false when the campaign
   * no longer takes input. */
  async pushTo(campaign) {
    let queued
    try {
      // Refused there if a string is not valid Unicode (see Packed::check_unicode).
      queued = campaign.push(this.text, this.layout.subarray(0, this.count * INPUT_FIELDS), this.first)
    } catch (e) {
      throw fromNative(e)
    }
    this.clear()
    return queued || (await callAsync(() => campaign.ready()))
  }
}

// Kinds in a ResultBatch layout (src/bulk.rs): accepted results travel as slices of one string.
const HAS_ID = 1
const ACCEPTED_EARLIER = 2
const OTHER = 4

/** Appends a ResultBatch's results to `out`, as the same objects `sendBatch` returns. */
function unpack(batch, out) {
  const { layout, text, others } = batch
  let index = batch.start
  let from = 0
  let other = 0
  for (let k = 0; k < layout.length; k += 3, index++) {
    const kind = layout[k]
    if (kind === OTHER) {
      out.push(others[other++])
      continue
    }
    const idEnd = layout[k + 1]
    const end = layout[k + 2]
    const acceptedEarlier = (kind & ACCEPTED_EARLIER) !== 0
    const clientId = text.slice(idEnd, end)
    if (kind & HAS_ID) {
      out.push({ index, status: 'accepted', acceptedEarlier, id: text.slice(from, idEnd), clientId })
    } else {
      out.push({ index, status: 'accepted', acceptedEarlier, clientId })
    }
    from = end
  }
}

// A part-filled batch is pushed as soon as an async input has nothing ready, and the core's
// linger (core/src/bulk/batches.rs, 20 ms) decides when it goes, merging what is pushed
// meanwhile: a campaign fed by a long-lived queue (a service handing it OTPs) sends each message
// promptly instead of holding it until the batch fills.
const NOT_READY = Symbol('not ready')
const STOPPED = Symbol('stopped')
const ignore = () => {}

/**
 * Cuts short the feed's wait on an async input when the campaign fails or the caller leaves:
 * an idle source (a queue with nothing in it) may not settle its `next()` for a long time, or
 * ever, and the failure must not wait for it. One slot, not a promise raced at every step, so
 * that a long campaign does not pile up reactions on a promise that never settles.
 */
class Interrupt {
  constructor() {
    this.halted = false
    this.wake = null
  }

  halt() {
    this.halted = true
    const wake = this.wake
    this.wake = null
    if (wake !== null) wake(STOPPED)
  }

  /** `pending`'s step, or STOPPED if `halt()` comes first. */
  wait(pending) {
    if (this.halted) return STOPPED
    return new Promise((resolve, reject) => {
      this.wake = resolve
      pending.then(resolve, reject)
    })
  }
}

/**
 * Whether an async input is ready, for a part-filled batch. "Not ready" is a pending `next()`
 * still unsettled once the microtasks have run (an async generator that needs no I/O settles
 * within them): one `setImmediate` looks per turn of the event loop, however many steps settle
 * within it. Saying "not ready" settles the wait, never the input's promise, which the next
 * batch awaits.
 */
class Readiness {
  constructor() {
    this.looking = false
    this.wake = null
  }

  /** `pending`'s step, or NOT_READY, or STOPPED if `interrupt` halts first. Call `done()` once
   * it is back. */
  wait(pending, interrupt) {
    if (interrupt.halted) return STOPPED
    if (!this.looking) {
      this.looking = true
      setImmediate(() => {
        this.looking = false
        if (this.wake !== null) this.wake(NOT_READY)
      })
    }
    return new Promise((resolve, reject) => {
      this.wake = resolve
      interrupt.wake = resolve
      pending.then(resolve, reject)
    })
  }

  done() {
    this.wake = null
  }
}

/** Pulls the inputs and pushes them a batch at a time; ends the campaign after the last one. */
async function feed(campaign, iterator, isAsync, batchSize, stopped, interrupt) {
  const batch = new Batch(batchSize)
  let index = 0
  let done = false
  // An async input's `next()` not yet settled: kept when a part-filled batch is pushed, and
  // awaited for the next one (an input is never asked twice for one step).
  let pending = null
  const readiness = new Readiness()
  const push = () => batch.pushTo(campaign)
  try {
    while (!stopped()) {
      let step
      if (!isAsync) {
        step = iterator.next()
      } else {
        if (pending === null) pending = Promise.resolve(iterator.next())
        if (batch.count === 0) {
          step = await interrupt.wait(pending)
        } else {
          step = await readiness.wait(pending, interrupt)
          readiness.done()
          if (step === NOT_READY) {
            interrupt.wake = null
            if (!(await push())) break
            continue
          }
        }
        interrupt.wake = null
        // Failed or left while the input was idle: its step is abandoned (a value it brings is
        // dropped, neither sent nor reported), and the `finally` closes it.
        if (step === STOPPED) break
        pending = null
      }
      if (step.done) {
        done = true
        if (batch.count > 0 && !stopped()) await push()
        break
      }
      batch.add(step.value, index++)
      if (batch.count === batchSize && !(await push())) break
    }
  } finally {
    interrupt.wake = null
    // Early exit (a bad input, a failure on the results side): let the iterable clean up.
    if (!done && typeof iterator.return === 'function') {
      if (!isAsync) {
        await iterator.return()
      } else {
        // Asked at once and not awaited: an async generator queues `return()` behind a pending
        // `next()` (it runs its `finally` once that settles), while an `events.on` iterator ends
        // at once. Neither abandoned promise may leave an unhandled rejection behind.
        if (pending !== null) pending.catch(ignore)
        Promise.resolve(iterator.return()).catch(ignore)
      }
    }
  }
  campaign.end()
}

/** Checks the arguments of sendBulk/campaign and starts the native campaign. */
function begin(client, messages, options) {
  const o = optionsOf(options)
  const concurrency = positiveInt('concurrency', o.concurrency, client.concurrency)
  const batchSize = positiveInt('batchSize', o.batchSize, 100)
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw invalid('onProgress must be a function')
  // A string 'false' read by truth would count refused duplicates as sent by an earlier run.
  for (const flag of ['resume', 'validate']) {
    const value = o[flag]
    if (value !== undefined && value !== null && typeof value !== 'boolean') {
      throw invalid(`${flag} must be true or false, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`)
    }
  }
  let iterator
  let isAsync = false
  if (messages && typeof messages[Symbol.asyncIterator] === 'function') {
    iterator = messages[Symbol.asyncIterator]()
    isAsync = true
  } else if (messages && typeof messages[Symbol.iterator] === 'function' && typeof messages !== 'string') {
    iterator = messages[Symbol.iterator]()
  } else {
    throw invalid('messages must be an Iterable or AsyncIterable of {from, to, text}')
  }
  // The caller's own keys go along, so that the native side refuses one it does not know.
  const campaign = callSync(() => native.startCampaign(client, { ...o, concurrency, batchSize }))
  return { campaign, iterator, isAsync, batchSize, onProgress: o.onProgress }
}

/** Calls the caller's onProgress with a batch's totals; `fail`s the campaign if it throws. */
function report(run, batch, fail) {
  if (!run.onProgress) return
  const p = batch.progress
  try {
    run.onProgress({
      read: p.read,
      accepted: p.accepted,
      rejected: p.rejected,
      failed: p.failed,
      requests: p.requests,
      elapsedSecs: p.elapsedSecs,
    })
  } catch (e) {
    fail(e)
  }
}

/**
 * Runs the campaign `begin` started: feeds it from the iterable and yields each packed ResultBatch as it settles, for `unpack`. The first failure wins
 * (`state.failure`): the campaign is aborted (queued inputs are dropped unsent) and the batches
 * in flight are still yielded. Closed early (`return()`), it aborts the campaign and sets
 * `state.left`; the feeder then stops at once, even while an async source is waiting for data
 * that may never come (its pending step is abandoned and `return()` asked without waiting).
 */
async function* settledBatches(run, state) {
  const { campaign } = run
  // Halted on a failure or an early close, so that a feed waiting on an idle async input stops
  // at once rather than at the input's next item (which may never come).
  const interrupt = new Interrupt()
  const fail = (e) => {
    if (state.failure === null) state.failure = e
    campaign.abort()
    interrupt.halt()
  }
  const stopped = () => state.failure !== null || state.left
  const feeding = feed(campaign, run.iterator, run.isAsync, run.batchSize, stopped, interrupt).catch(fail)
  let finished = false
  try {
    for (;;) {
      let batch
      try {
        batch = await callAsync(() => campaign.nextResults())
      } catch (e) {
        fail(e)
        break
      }
      if (batch.layout.length > 0) {
        if (state.failure === null) report(run, batch, fail)
        yield batch
      }
      if (batch.done) break
    }
    finished = true
  } finally {
    if (!finished && state.failure === null) {
      state.left = true
      campaign.abort()
      interrupt.halt()
    }
  }
  await feeding
}

async function sendBulk(messages, options) {
  const state = { failure: null, left: false }
  const results = []
  for await (const batch of settledBatches(begin(nativeOf(this), messages, options), state)) {
    // Unpacked after a failure too: the error carries every result that came back.
    unpack(batch, results)
  }
  const { failure } = state
  if (failure !== null) {
    // Whatever went out is never unknown: the caller can record it before re-running.
    if (typeof failure === 'object') {
      try {
        Object.defineProperty(failure, 'results', { value: results, enumerable: false, configurable: true, writable: true })
      } catch {
        // A frozen error object keeps its own shape.
      }
    }
    throw failure
  }
  return results
}

// sendBulk streamed. Memory stays flat: the native feed reads the input at most a few batches
// ahead of the results taken, and a batch's results are taken only once the caller has had
// every one of the previous batch.
function campaign(messages, options) {
  // Checked here, not on the first `next()`: bad arguments throw at the call.
  return stream(begin(nativeOf(this), messages, options))
}

async function* stream(run) {
  const state = { failure: null, left: false }
  for await (const batch of settledBatches(run, state)) {
    const settled = []
    unpack(batch, settled)
    // Not `yield*`: over an array it awaits each result once more.
    for (const r of settled) yield r
  }
  if (state.failure !== null) throw state.failure
}

async function* drain(pager, max) {
  for (;;) {
    const batch = await callAsync(() => pager.next(max))
    if (batch.length === 0) return
    yield* batch
  }
}

/** `iterSms`/`iterLookups` over the native pager `make` returns, which checks the options (an
 * unknown key, `perPage` outside 1–100); a page's worth crosses N-API at a time. */
function iterate(client, make, options) {
  const o = optionsOf(options)
  const pager = callSync(() => make(client, o))
  return drain(pager, o.perPage ?? 100)
}

function iterSms(options) {
  return iterate(nativeOf(this), native.smsPager, options)
}

function iterLookups(options) {
  return iterate(nativeOf(this), native.lookupPager, options)
}

for (const [name, fn] of Object.entries({ sendBulk, campaign, iterSms, iterLookups })) {
  Object.defineProperty(SmsClient.prototype, name, { value: fn, writable: true, configurable: true })
}

module.exports = { SmsClient }
