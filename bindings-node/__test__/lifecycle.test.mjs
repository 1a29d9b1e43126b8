// A finished client never keeps the process alive; require() stays cheap.
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const pkg = fileURLToPath(new URL('..', import.meta.url))

// A process kept alive by a handle never exits by itself: the timeout kills it (with a signal),
// and the tests check it ended with an exit code instead. It is generous because a loaded CI
// machine can take seconds to start a process.
function runNode(script, timeout = 30_000) {
  return spawnSync(process.execPath, ['-e', script], { cwd: pkg, timeout, encoding: 'utf8' })
}

function exitedByItself(r) {
  assert.equal(r.signal, null, `still running after the timeout, killed by ${r.signal}`)
  assert.equal(r.status, 0, r.stderr)
}

test('a script that sends one SMS and stops its sandbox exits by itself', () => {
  const r = runNode(`
    const I = require('./index.js')
    I.Sandbox.start().then(async (sb) => {
      const c = new I.SmsClient(sb.token, { baseUrl: sb.baseUrl })
      const res = await c.sendSms('Acme', '+34600000000', 'bye')
      console.log(res.response_code)
      sb.stop()
    })`)
  exitedByItself(r)
  assert.equal(r.stdout.trim(), '201')
})

test('a script that forgets to stop its sandbox exits by itself too', () => {
  const r = runNode(`
    const I = require('./index.js')
    const sb = new I.Sandbox()
    const c = new I.SmsClient(sb.token, { baseUrl: sb.baseUrl })
    c.send({ from: 'Acme', to: '+34600000000', text: 'bye' }).then((s) => console.log(s.status))`)
  exitedByItself(r)
  assert.equal(r.stdout.trim(), 'enqueued')
})

test('a failed call does not keep the process alive either', () => {
  const r = runNode(`
    const I = require('./index.js')
    new I.SmsClient('t', { baseUrl: 'http://127.0.0.1:9/transactional/v1', maxRetries: 0 })
      .sendSms('Acme', '+34600000000', 'x').catch((e) => console.log(e.code))`)
  exitedByItself(r)
  assert.equal(r.stdout.trim(), 'TRANSPORT')
})

test('require("instasent") starts no runtime of ours: it comes with the first call', () => {
  // How long require takes is measured by bench/ (figures in the README), not timed here: what
  // made it slow would be work done at load, and the core's runtime started then would show as
  // its threads. (napi-rs starts a Tokio runtime of its own at load, "tokio-rt-worker"; each
  // call is handed from it to the core's. Folding the two into one is an open item.)
  const r = runNode(`
    const fs = require('node:fs')
    const ours = () => fs.readdirSync('/proc/self/task')
      .filter((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim() === 'instasent-rt').length
    const I = require('./index.js')
    const loaded = ours()
    new I.SmsClient('t', { baseUrl: 'http://127.0.0.1:9/transactional/v1', maxRetries: 0 })
      .account().catch(() => console.log(loaded, ours()))`)
  exitedByItself(r)
  const [loaded, called] = r.stdout.trim().split(' ').map(Number)
  assert.equal(loaded, 0, `the core's runtime threads after require: ${r.stdout}`)
  assert.ok(called > 0, `the first call starts them (so the check above can fail): ${r.stdout}`)
})

test('ESM import works', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import Instasent, { SmsClient, segments } from './index.mjs'
    console.log(typeof Instasent.SmsClient, typeof SmsClient, segments('hi').segments)`], { cwd: pkg, encoding: 'utf8', timeout: 10_000 })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim(), 'function function 1')
})
