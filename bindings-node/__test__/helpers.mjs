// Shared by the test files: a sandbox per file and a client pointed at it.
import { createRequire } from 'node:module'

export const require = createRequire(import.meta.url)
export const Instasent = require('../index.js')

export async function sandbox(options) {
  return Instasent.Sandbox.start(options)
}

export function clientFor(sb, options = {}) {
  return new Instasent.SmsClient(sb.token, { baseUrl: sb.baseUrl, ...options })
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection, got a resolution')
}

export function msisdn(i) {
  return '+3461' + String(i).padStart(7, '0')
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits until `condition()` holds, polling every 10 ms; fails the test after `timeoutMs`. A fixed
 * sleep guesses how fast the machine is, and a loaded CI runner guesses wrong.
 */
export async function waitFor(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms: ${what}`)
    await pause(10)
  }
}

/**
 * Messages in the sandbox's ledger once it has not changed for `quietMs`: the batches in flight
 * have landed. A campaign still sending never goes quiet that long, so it fails here (or the
 * caller's bound on the count catches it).
 */
export async function settledCount(sb, quietMs = 500, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  let count = sb.stats().acceptedMessages
  let quietSince = Date.now()
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`the sandbox was still receiving messages after ${timeoutMs} ms (${count})`)
    await pause(20)
    const now = sb.stats().acceptedMessages
    if (now !== count) [count, quietSince] = [now, Date.now()]
  }
  return count
}
