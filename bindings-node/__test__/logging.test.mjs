// INSTASENT_LOG writes the SDK's lines to stderr: a debug line per HTTP attempt, an info line
// per retry; never the token, a text or a number; nothing at all without the variable.
import test from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const TOKEN = 'tok-logging-3f9a1c'

// One 429 (a one-second window, so the retry waits under a second), then a send.
const script = `
  const I = require('./index.js')
  I.Sandbox.start({ token: '${TOKEN}', faults: { rateLimitBurst: 1 }, limits: { windowSecs: 1 } })
    .then(async (sb) => {
      const c = new I.SmsClient(sb.token, { baseUrl: sb.baseUrl, tokenInQuery: true })
      const res = await c.sendSms('Acme', '+34600999111', 'Tu codigo es 271828')
      console.log(res.response_code)
      await sb.stop()
    })
`

function run(level) {
  const env = { ...process.env }
  delete env.INSTASENT_LOG
  if (level !== undefined) env.INSTASENT_LOG = level
  const r = spawnSync(process.execPath, ['-e', script], { cwd: pkg, env, timeout: 30_000, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.ok(['200', '201'].includes(r.stdout.trim()), r.stdout)
  return r.stderr
}

test('INSTASENT_LOG=debug logs each attempt and the retry, without secrets', () => {
  const err = run('debug')
  for (const secret of [TOKEN, '600999111', '271828']) assert.ok(!err.includes(secret), err)
  const lines = err.trim().split('\n')
  assert.equal(lines.length, 3, err)
  assert.match(lines[0], / DEBUG instasent::.*answered endpoint="POST \/sms" status=429 attempt=1/)
  assert.match(lines[1], / INFO  instasent::.*retrying endpoint="POST \/sms" after=RATE_LIMITED next_attempt=2/)
  assert.match(lines[2], / DEBUG instasent::.*answered endpoint="POST \/sms" status=20\d attempt=2/)
})

test('INSTASENT_LOG=info logs the retry only; unset or not a level, nothing', () => {
  const info = run('info').trim().split('\n')
  assert.equal(info.length, 1, info.join('\n'))
  assert.match(info[0], /retrying/)
  assert.equal(run(undefined), '')
  assert.equal(run('loud'), '')
})
