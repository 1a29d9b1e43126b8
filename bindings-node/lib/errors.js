'use strict'
// The one place a native failure becomes a JS error. The Rust side (src/error.rs) puts a marker
// and a JSON description of the core error in the napi error's message; anything without the
// marker is napi refusing an argument (wrong type, missing value), i.e. INVALID_ARGUMENT.

const MARKER = '\u0001instasent-error:'

class InstasentError extends Error {
  constructor(description) {
    const d = typeof description === 'string' ? { message: description } : description || {}
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
    /** The request may have been carried out although it failed (always for AMBIGUOUS_OUTCOME). */
    this.maybeCommitted = d.maybeCommitted ?? false
    /** For a failed single send: the message's clientId, to look it up by. */
    this.clientId = d.clientId ?? null
  }

  // `message` is not enumerable on an Error: without this, JSON loggers drop the one field that
  // says what happened. `results` (a stopped sendBulk's) stays out: it can be a whole campaign.
  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      fields: this.fields,
      retryAfter: this.retryAfter,
      resetAt: this.resetAt,
      rateLimit: this.rateLimit,
      body: this.body,
      maybeCommitted: this.maybeCommitted,
      clientId: this.clientId,
    }
  }
}

// The JS type a Rust type napi names in a refusal stands for.
const JS_TYPES = [
  [/^(String|&str|Utf16String)$/, 'a string'],
  [/^(f64|f32|[iu](8|16|32|64|size))$/, 'a number'],
  [/^bool$/, 'a boolean'],
  [/^(Vec<u8>|Buffer)$/, 'a Buffer'],
  [/^(Vec<.*>|Array)$/, 'an array'],
  [/^(Record<.*>|Object|Map<.*>)$/, 'an object'],
]

function jsType(rust) {
  const found = JS_TYPES.find(([pattern]) => pattern.test(rust.trim()))
  return found ? found[1] : rust.trim()
}

/** napi's refusal of an argument's type, in Rust's words, said in JS's and naming the call. */
function refusal(message, where) {
  let m
  let text = message
  if ((m = /Failed to convert JavaScript value `(\w+)\s*(.*?)\s*` into rust type `([^`]+)`/.exec(message))) {
    text = `expected ${jsType(m[3])}, got ${m[1].toLowerCase()}${m[2] ? ` ${m[2]}` : ''}`
  } else if ((m = /Failed to convert napi value (\w+) into rust type `([^`]+)`/.exec(message))) {
    text = `expected ${jsType(m[2])}, got ${m[1].toLowerCase()}`
  } else if (/Failed to get Array length/.test(message)) {
    text = 'expected an array'
  } else if ((m = /Value is none of these types (.*)/.exec(message))) {
    const types = [...m[1].matchAll(/`([^`]+)`/g)].map((t) => t[1])
    text = `expected ${[...new Set(types.map(jsType))].join(' or ')}`
  }
  return `INVALID_ARGUMENT: ${where ? `${where}: ` : ''}${text}`
}

/** An error from the native side as an InstasentError; `where` names the call for a refused
 * argument. */
function fromNative(error, where) {
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
  return new InstasentError({ code: 'INVALID_ARGUMENT', message: refusal(message, where), cause: error })
}

module.exports = { InstasentError, fromNative }
