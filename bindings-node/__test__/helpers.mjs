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
