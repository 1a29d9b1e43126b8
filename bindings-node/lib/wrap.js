'use strict'
// JS classes over the native ones, identical in shape (so the generated index.d.ts describes
// them), whose only job is to turn native failures into InstasentError: synchronously for sync
// methods, as a rejection for async ones (also when napi refuses an argument synchronously).

const { fromNative } = require('./errors.js')

const NATIVE = Symbol('instasent.native')

function nativeOf(self) {
  if (!self || !self[NATIVE]) throw new TypeError('not an instance created by the instasent package')
  return self[NATIVE]
}

function callAsync(fn) {
  try {
    return Promise.resolve(fn()).catch((e) => {
      throw fromNative(e)
    })
  } catch (e) {
    return Promise.reject(fromNative(e))
  }
}

function callSync(fn) {
  try {
    return fn()
  } catch (e) {
    throw fromNative(e)
  }
}

function wrapClass(Native, { asyncMethods = [], asyncStatics = [] } = {}) {
  const isAsync = new Set(asyncMethods)
  const Wrapped = class {
    constructor(...args) {
      this[NATIVE] = callSync(() => new Native(...args))
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
      const method = isAsync.has(key)
        ? function (...args) {
            return callAsync(() => nativeOf(this)[key](...args))
          }
        : function (...args) {
            return callSync(() => nativeOf(this)[key](...args))
          }
      Object.defineProperty(method, 'name', { value: key })
      Object.defineProperty(Wrapped.prototype, key, { value: method, writable: true, configurable: true })
    }
  }
  for (const key of asyncStatics) {
    Wrapped[key] = (...args) => callAsync(() => Native[key](...args)).then((r) => (r instanceof Native ? adopt(r) : r))
  }
  return Wrapped
}

function wrapFunction(fn) {
  const wrapped = (...args) => callSync(() => fn(...args))
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped
}

module.exports = { wrapClass, wrapFunction, nativeOf, callAsync, callSync }
