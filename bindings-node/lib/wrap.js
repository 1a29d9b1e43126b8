'use strict'
// JS classes over the native ones, identical in shape (so the generated index.d.ts describes
// them), whose only job is to turn native failures into InstasentError: synchronously for sync
// methods, as a rejection for async ones (also when napi refuses an argument synchronously).

const { InstasentError, fromNative } = require('./errors.js')

// napi hands the core a lone surrogate (half an emoji, as slicing a string by UTF-16 units can
// leave) as U+FFFD, and the message would go out with "�" in it: a text that is not valid
// Unicode is refused before it crosses, as Python, C and PHP refuse it.
const LONE_SURROGATE = /\p{Cs}/u
const isWellFormed =
  typeof String.prototype.isWellFormed === 'function'
    ? (s) => s.isWellFormed()
    : (s) => !LONE_SURROGATE.test(s)

function checkUnicode(value, what) {
  if (typeof value === 'string' && !isWellFormed(value)) {
    throw new InstasentError({
      code: 'INVALID_ARGUMENT',
      message: `INVALID_ARGUMENT: ${what} is not valid Unicode: it holds a lone surrogate (half of a character such as an emoji)`,
    })
  }
}

/** The strings of a call's arguments: each argument, the fields of an object argument, and the
 * fields of the objects in an array argument (a documented bulk call's messages). */
function checkArguments(method, args) {
  const fieldsOf = (o, where) => {
    if (o === null || typeof o !== 'object') return checkUnicode(o, where)
    for (const key of Object.keys(o)) checkUnicode(o[key], `${where} \`${key}\``)
  }
  args.forEach((arg, i) => {
    const where = `${method}: argument ${i + 1}`
    if (Array.isArray(arg)) arg.forEach((item, k) => fieldsOf(item, `${where}, item ${k}`))
    else fieldsOf(arg, where)
  })
}

const NATIVE = Symbol('instasent.native')

function nativeOf(self) {
  if (!self || !self[NATIVE]) throw new TypeError('not an instance created by the instasent package')
  return self[NATIVE]
}

/** `where`: the call, named in the message of an argument napi refuses. */
function callAsync(fn, where) {
  try {
    return Promise.resolve(fn()).catch((e) => {
      throw fromNative(e, where)
    })
  } catch (e) {
    return Promise.reject(fromNative(e, where))
  }
}

function callSync(fn, where) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e, where)
  }
}

/** `checkText`: the methods' string arguments must be valid Unicode (what is sent). */
function wrapClass(Native, { asyncMethods = [], asyncStatics = [], checkText = false } = {}) {
  const isAsync = new Set(asyncMethods)
  const Wrapped = class {
    constructor(...args) {
      this[NATIVE] = callSync(() => new Native(...args), `new ${Native.name}`)
    }
  }
  Object.defineProperty(Wrapped, 'name', { value: Native.name })
  const adopt = (inner) => {
    const self = Object.create(Wrapped.prototype)
    self[NATIVE] = inner
    return self
  }
  for (const key of Object.getOwnPropertyNames(Native.prototype)) {
    if (key === 'constructor') continue
    const d = Object.getOwnPropertyDescriptor(Native.prototype, key)
    if (d.get) {
      Object.defineProperty(Wrapped.prototype, key, {
        get() {
          return callSync(() => nativeOf(this)[key])
        },
        enumerable: false,
        configurable: true,
      })
    } else if (typeof d.value === 'function') {
      const call = checkText
        ? (self, args) => {
            checkArguments(key, args)
            return nativeOf(self)[key](...args)
          }
        : (self, args) => nativeOf(self)[key](...args)
      const where = `${Native.name}.${key}`
      const method = isAsync.has(key)
        ? function (...args) {
            return callAsync(() => call(this, args), where)
          }
        : function (...args) {
            return callSync(() => call(this, args), where)
          }
      Object.defineProperty(method, 'name', { value: key })
      Object.defineProperty(Wrapped.prototype, key, { value: method, writable: true, configurable: true })
    }
  }
  for (const key of asyncStatics) {
    Wrapped[key] = (...args) =>
      callAsync(() => Native[key](...args), `${Native.name}.${key}`).then((r) => (r instanceof Native ? adopt(r) : r))
  }
  return Wrapped
}

function wrapFunction(fn) {
  const wrapped = (...args) => callSync(() => fn(...args), fn.name)
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped
}

module.exports = { wrapClass, wrapFunction, nativeOf, callAsync, callSync }
