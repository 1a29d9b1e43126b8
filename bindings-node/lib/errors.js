'use strict'
// The one place a native failure becomes a JS error. The Rust side (src/error.rs) puts a marker
// and a JSON description of the core error in the napi error's message; anything without the
// marker is napi refusing an argument (wrong type, missing value), i.e. INVALID_ARGUMENT.

const MARKER = '\u0001instasent-error:'

class InstasentError extends Error {
  constructor(description) {
    const d = description || {}
    super(d.message || d.code || 'instasent error', d.cause ? { cause: d.cause } : undefined)
    this.name = 'InstasentError'
    /** Stable code, e.g. "RATE_LIMITED" (the core's ErrorKind::code). */
    this.code = d.code || 'INVALID_ARGUMENT'
    /** HTTP status, when the error came from a response. */
    this.status = d.status ?? null
    /** Per-field messages (`{ to: ["This value is not valid"] }`). */
    this.fields = d.fields || {}
    /** Seconds until the rate-limit window resets (RATE_LIMITED). */
    this.retryAfter = d.retryAfter ?? null
    /** Unix time (seconds) when the rate-limit window resets. */
    this.resetAt = d.resetAt ?? null
    /** `X-RateLimit-*` of the failed response. */
    this.rateLimit = d.rateLimit ?? null
    /** Raw response body, when there was one. */
    this.body = d.body ?? null
  }
}

function fromNative(error) {
  if (error instanceof InstasentError) return error
  const message = error && typeof error.message === 'string' ? error.message : String(error)
  const at = message.indexOf(MARKER)
  if (at >= 0) {
    try {
      return new InstasentError(JSON.parse(message.slice(at + MARKER.length)))
    } catch (_) {
      // fall through: treat as an argument problem with the raw text
    }
  }
  return new InstasentError({ code: 'INVALID_ARGUMENT', message, cause: error })
}

module.exports = { InstasentError, fromNative }
