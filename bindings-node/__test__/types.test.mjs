// What index.d.ts says about the package holds: the campaign read-ahead bound it states is the
// core feed's.
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

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
