// What index.d.ts says about the package holds: every value it declares is exported by
// index.js and index.mjs, with the members it declares, and nothing else is (a class declared
// but not exported type-checks on import and fails at run time); the campaign read-ahead bound
// it states is the core feed's.
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { require } from './helpers.mjs'

const dts = fileURLToPath(new URL('../index.d.ts', import.meta.url))

/** The value exports of index.d.ts: name → { statics, members } (classes) or null. */
function declared() {
  const program = ts.createProgram([dts], { strict: true, noEmit: true, types: ['node'] })
  const checker = program.getTypeChecker()
  const module = checker.getSymbolAtLocation(program.getSourceFile(dts))
  const names = (symbols) =>
    symbols.filter((s) => s.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)).map((s) => s.name).sort()
  const out = new Map()
  for (const symbol of checker.getExportsOfModule(module)) {
    if (!(symbol.flags & ts.SymbolFlags.Value)) continue
    if (!(symbol.flags & ts.SymbolFlags.Class)) {
      out.set(symbol.name, null)
      continue
    }
    const members = names(checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)))
    // Its own statics, not those it inherits (`Error.captureStackTrace`).
    const statics = names([...(symbol.exports?.values() ?? [])])
    out.set(symbol.name, { members, statics })
  }
  return out
}

/** The same of a runtime module object. */
function exported(module) {
  const methods = (object, skip) => Object.getOwnPropertyNames(object).filter((k) => !skip.includes(k)).sort()
  const out = new Map()
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value))) {
      out.set(name, { members: methods(value.prototype, ['constructor']), statics: methods(value, ['length', 'name', 'prototype']) })
    } else {
      out.set(name, null)
    }
  }
  return out
}

test('index.js and index.mjs export exactly what index.d.ts declares', async () => {
  const types = declared()
  const cjs = exported(require('../index.js'))
  const { default: _, ...esm } = await import('../index.mjs')
  for (const [entry, runtime] of [['index.js', cjs], ['index.mjs', exported(esm)]]) {
    assert.deepEqual([...runtime.keys()].sort(), [...types.keys()].sort(), `${entry} exports`)
    for (const [name, shape] of types) {
      assert.deepEqual(runtime.get(name), shape, `${entry}: the members of ${name}`)
    }
  }
})

test('the read-ahead bound of a campaign is stated as the core feed keeps it', () => {
  // core/src/bulk/feed.rs, Holding::Bounded: batch_size × (2 × concurrency + 2).
  const bound = /batchSize × \(2 × concurrency \+ (\d+)\)/g
  for (const file of ['../index.d.ts', '../README.md']) {
    const text = readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8')
    const stated = [...text.matchAll(bound)].map((m) => m[1])
    assert.ok(stated.length > 0, `${file} states the bound`)
    assert.deepEqual(new Set(stated), new Set(['2']), `${file}: ${stated.join(', ')}`)
  }
})

test('index.d.ts takes the message shapes the runtime takes, and refuses the rest', () => {
  // Rows from snake_case columns are accepted at run time (see the Batch reader in
  // lib/client.js); the types refused them, so a strict TypeScript build could not send them.
  const { mkdtempSync, writeFileSync, rmSync } = require('node:fs')
  const { join } = require('node:path')
  const { tmpdir } = require('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'instasent-types-'))
  const check = (source) => {
    const file = join(dir, `check${Math.random().toString(36).slice(2)}.ts`)
    writeFileSync(file, `import type { SmsInput } from ${JSON.stringify(dts.replace(/\.d\.ts$/, ''))}\n${source}\n`)
    const program = ts.createProgram([file], { strict: true, noEmit: true, types: ['node'] })
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  }
  try {
    assert.deepEqual(
      check(`const rows: SmsInput[] = [
        { from: 'Acme', to: '+34600000000', text: 'hi', client_id: 'order-1', allow_unicode: true },
        { from: 'Acme', to: '+34600000000', text: 'hi', clientId: 'order-2', allowUnicode: false },
      ]
      export default rows`),
      [],
    )
    assert.notDeepEqual(check(`export const bad: SmsInput = { from: 'Acme', to: '+34600000000', text: 1 }`), [])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
