// The shared vectors (tests/vectors/*.json), case by case, through this binding.
import test from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { Instasent } from './helpers.mjs'

const vectors = new URL('../../tests/vectors/', import.meta.url)
const load = (name) => JSON.parse(fs.readFileSync(new URL(name, vectors), 'utf8'))

// A field listed with null must be null or absent (napi leaves `None` fields out).
function assertFields(actual, expected, name) {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key] === undefined ? null : actual[key]
    assert.deepEqual(got, want, `${name}: ${key}`)
  }
}

test('encoding.json: every case through segments()', () => {
  const cases = load('encoding.json')
  assert.ok(cases.length > 0)
  for (const c of cases) {
    const options = { smart: !!c.options?.smart }
    if (c.options?.shiftTable) options.shiftTable = c.options.shiftTable
    assertFields(Instasent.segments(c.text, options), c.expected, c.name)
  }
})

const parsers = {
  webhook: Instasent.parseWebhook,
  smpp: Instasent.parseSmppReceipt,
  insider: Instasent.parseInsiderEvent,
}

test('dlr.json: every case through the format parser and parseDlr', () => {
  const cases = load('dlr.json')
  assert.ok(cases.length > 0)
  for (const c of cases) {
    const input = c.input
    const inputs = typeof input === 'string' ? [input, Buffer.from(input)] : [input, JSON.stringify(input), Buffer.from(JSON.stringify(input))]
    for (const payload of inputs) {
      for (const [which, parse] of [['format', parsers[c.format]], ['auto', Instasent.parseDlr]]) {
        if (c.expectedError) {
          assert.throws(
            () => parse(payload),
            (e) => {
              assert.ok(e instanceof Instasent.InstasentError, `${c.name}: ${e}`)
              assert.equal(e.code, c.expectedError.toUpperCase(), c.name)
              if (which === 'format' && c.errorContains) assert.ok(e.message.includes(c.errorContains), `${c.name}: ${e.message}`)
              return true
            },
            `${c.name} (${which})`,
          )
        } else {
          const report = parse(payload)
          assertFields(report, c.expected, `${c.name} (${which})`)
          if (typeof input === 'object') assert.deepEqual(report.raw, input, `${c.name}: raw`)
        }
      }
    }
  }
})
