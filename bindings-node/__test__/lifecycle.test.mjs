// A finished client never keeps the process alive; require() stays cheap.
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { Instasent, settledCount, waitFor } from './helpers.mjs'

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

test('require("instasent") starts no thread: the one runtime comes with the first call', { skip: !existsSync('/proc/self/task') && 'threads are read from /proc' }, () => {
  // How long require takes is measured by bench/ (figures in the README), not timed here: what
  // made it slow would be work done at load, and a runtime started then shows as threads.
  // napi-rs starts a Tokio runtime of its own at load ("tokio-rt-worker") unless the addon
  // gives it one: the addon gives it the core's ("instasent-rt"), the only one in the process.
  const r = runNode(`
    const fs = require('node:fs')
    const threads = () => fs.readdirSync('/proc/self/task')
      .map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim())
    const before = threads().length
    const I = require('./index.js')
    const loaded = threads().length
    new I.SmsClient('t', { baseUrl: 'http://127.0.0.1:9/transactional/v1', maxRetries: 0 })
      .account().catch(() => console.log(JSON.stringify({ before, loaded, called: threads() })))`)
  exitedByItself(r)
  const { before, loaded, called } = JSON.parse(r.stdout)
  assert.equal(loaded, before, `threads before and after require: ${r.stdout}`)
  assert.ok(called.includes('instasent-rt'), `the first call starts the core's runtime: ${r.stdout}`)
  assert.ok(!called.includes('tokio-rt-worker'), `a second runtime (napi's): ${r.stdout}`)
})

test('worker threads share the one runtime: calls work in each, and in the main thread after they exit', { skip: !existsSync('/proc/self/task') && 'threads are read from /proc' }, () => {
  // napi hands every environment's async calls to the backend the addon registered once.
  const r = runNode(`
    const { Worker } = require('node:worker_threads')
    const I = require('./index.js')
    const call = async (I, tag) => {
      const sb = await I.Sandbox.start()
      const c = new I.SmsClient(sb.token, { baseUrl: sb.baseUrl })
      const r = await c.sendSms('Acme', '+34600000000', tag)
      await sb.stop()
      return r.response_code
    }
    ;(async () => {
      const codes = [await call(I, 'main')]
      for (let i = 0; i < 2; i++) {
        const w = new Worker(\`
          const { parentPort } = require('node:worker_threads')
          const I = require(\${JSON.stringify(require.resolve('./index.js'))})
          ;(\${call})(I, 'worker').then((code) => parentPort.postMessage(code), (e) => parentPort.postMessage(e.message))\`, { eval: true })
        const exited = new Promise((resolve) => w.on('exit', resolve))
        codes.push(await new Promise((resolve, reject) => { w.on('message', resolve); w.on('error', reject) }))
        await exited
      }
      codes.push(await call(I, 'main again'))
      const fs = require('node:fs')
      const threads = fs.readdirSync('/proc/self/task')
        .map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim())
      console.log(JSON.stringify({ codes, threads }))
    })()`)
  exitedByItself(r)
  assert.ok(r.stdout.trim(), `the process ended before its calls did: ${r.stderr}`)
  const { codes, threads } = JSON.parse(r.stdout)
  assert.deepEqual(codes, [201, 201, 201, 201])
  assert.ok(threads.includes('instasent-rt') && !threads.includes('tokio-rt-worker'), `one runtime: ${threads}`)
})

test('a worker terminated with calls in flight leaves the process and its other calls sound', () => {
  // Its calls finish on the shared runtime after its environment is gone; settling their
  // promises must not touch that environment.
  const r = runNode(`
    const { Worker } = require('node:worker_threads')
    const I = require('./index.js')
    ;(async () => {
      const sb = await I.Sandbox.start()
      sb.setFaults({ latencyMs: 500 })
      const w = new Worker(\`
        const { parentPort, workerData } = require('node:worker_threads')
        const I = require(\${JSON.stringify(require.resolve('./index.js'))})
        const c = new I.SmsClient(workerData.token, { baseUrl: workerData.baseUrl })
        c.sendSms('Acme', '+34600000000', 'in the worker').catch(() => {})
        const many = Array.from({ length: 500 }, (_, i) => ({ from: 'Acme', to: '+34600000000', text: 'w' + i }))
        c.sendBulk(many).catch(() => {})
        setTimeout(() => parentPort.postMessage('calling'), 100)\`, { eval: true, workerData: { token: sb.token, baseUrl: sb.baseUrl } })
      await new Promise((resolve) => w.on('message', resolve))
      await w.terminate()
      await new Promise((resolve) => setTimeout(resolve, 1000))
      sb.setFaults({})
      const c = new I.SmsClient(sb.token, { baseUrl: sb.baseUrl })
      console.log((await c.sendSms('Acme', '+34600000000', 'main')).response_code)
      await sb.stop()
    })()`)
  exitedByItself(r)
  assert.equal(r.stdout.trim(), '201')
})

test('a worker terminated while its streamed campaign waits for room stops that campaign', async () => {
  // The worker takes one result and then never comes back, so its feeder waits in ready() for
  // room that cannot come. Once the worker is gone nobody can take a result: the campaign must
  // stop there (queued input dropped unsent, as abort does) instead of living on, sending what it
  // queued and holding its engine for the life of the process.
  const sb = await Instasent.Sandbox.start({ balance: 1e6 })
  try {
    sb.setFaults({ latencyMs: 1000 })
    const w = new Worker(`
      const { workerData } = require('node:worker_threads')
      const I = require(${JSON.stringify(fileURLToPath(new URL('../index.js', import.meta.url)))})
      const c = new I.SmsClient(workerData.token, { baseUrl: workerData.baseUrl })
      function* messages() {
        for (let i = 0; i < 1000; i++) yield { from: 'Acme', to: '+34600000000', text: 'w' + i }
      }
      ;(async () => {
        for await (const r of c.campaign(messages(), { concurrency: 1, batchSize: 10 })) {
          await new Promise(() => {})
        }
      })()`, { eval: true, workerData: { token: sb.token, baseUrl: sb.baseUrl } })
    // Concurrency 1 and batches of 10: 50 messages are pushed (10 taken, 40 held ahead), and one
    // batch of them is in the sandbox at a time, each for a second.
    await waitFor(() => sb.stats().acceptedMessages >= 10, 'the first batch')
    await w.terminate()
    const atTermination = sb.stats().acceptedMessages
    const final = await settledCount(sb, 2500)
    assert.ok(final <= atTermination + 10, `only the batch in flight lands: ${atTermination} at termination, ${final} in the end`)
  } finally {
    sb.setFaults({})
    await sb.stop()
  }
})

test('ESM import works', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import Instasent, { SmsClient, segments } from './index.mjs'
    console.log(typeof Instasent.SmsClient, typeof SmsClient, segments('hi').segments)`], { cwd: pkg, encoding: 'utf8', timeout: 10_000 })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim(), 'function function 1')
})
