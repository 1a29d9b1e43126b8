'use strict'
// SmsClient: the native client's methods (wrapped for errors) plus the parts that must live on
// the JS side because they consume JS iterables: `sendBulk` pulls at most
// batchSize × concurrency inputs, hands them to the core's campaign engine and awaits them
// before pulling more (memory stays bounded); `iterSms`/`iterLookups` adapt the core's pagers.

const native = require('../native.js')
const { InstasentError } = require('./errors.js')
const { wrapClass, nativeOf, callAsync } = require('./wrap.js')

const ASYNC = Object.getOwnPropertyNames(native.SmsClient.prototype).filter(
  (k) => !['constructor', 'rateLimit', 'smsPager', 'lookupPager', 'baseUrl', 'concurrency'].includes(k),
)

const SmsClient = wrapClass(native.SmsClient, { asyncMethods: ASYNC })

function invalid(message) {
  return new InstasentError({ code: 'INVALID_ARGUMENT', message: `INVALID_ARGUMENT: ${message}` })
}

function positiveInt(name, value, fallback) {
  if (value === undefined || value === null) return fallback
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer`)
  return value
}

async function sendBulk(messages, options) {
  const client = nativeOf(this)
  const o = options ?? {}
  if (typeof o !== 'object') throw invalid('options must be an object')
  const concurrency = positiveInt('concurrency', o.concurrency, client.concurrency)
  const batchSize = Math.min(100, positiveInt('batchSize', o.batchSize, 100))
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw invalid('onProgress must be a function')
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
  const chunkSize = batchSize * concurrency
  const started = Date.now()
  const totals = { read: 0, accepted: 0, rejected: 0, failed: 0, requests: 0, elapsedSecs: 0 }
  const results = []
  let done = false
  try {
    while (!done) {
      const chunk = []
      while (chunk.length < chunkSize) {
        const step = isAsync ? await iterator.next() : iterator.next()
        if (step.done) {
          done = true
          break
        }
        chunk.push(step.value)
      }
      if (chunk.length === 0) break
      const out = await callAsync(() =>
        client.sendBulkChunk(chunk, { concurrency, batchSize, resume: !!o.resume, offset: totals.read }),
      )
      for (const r of out.results) results.push(r)
      for (const k of ['read', 'accepted', 'rejected', 'failed', 'requests']) totals[k] += out.progress[k]
      totals.elapsedSecs = (Date.now() - started) / 1000
      if (o.onProgress) o.onProgress({ ...totals })
    }
  } finally {
    if (!done && typeof iterator.return === 'function') await iterator.return()
  }
  return results
}

async function* drain(pager, max) {
  for (;;) {
    const batch = await callAsync(() => pager.next(max))
    if (batch.length === 0) return
    yield* batch
  }
}

function iterSms(options) {
  const perPage = positiveInt('perPage', (options ?? {}).perPage, 100)
  const client = nativeOf(this)
  return drain(client.smsPager(perPage), perPage)
}

function iterLookups(options) {
  const perPage = positiveInt('perPage', (options ?? {}).perPage, 100)
  const client = nativeOf(this)
  return drain(client.lookupPager(perPage), perPage)
}

for (const [name, fn] of Object.entries({ sendBulk, iterSms, iterLookups })) {
  Object.defineProperty(SmsClient.prototype, name, { value: fn, writable: true, configurable: true })
}

module.exports = { SmsClient }
