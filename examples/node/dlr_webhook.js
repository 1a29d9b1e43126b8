// Receives delivery reports on a local webhook, parses them with parseDlr and tracks them.
// Run: node examples/node/dlr_webhook.js   (embedded sandbox; or set INSTASENT_BASE_URL/TOKEN and DLR_ADDR)
const http = require('node:http')
const { DeliveryTracker, Sandbox, SmsClient, parseDlr } = require('../../bindings-node')

const tracker = new DeliveryTracker()
const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    try {
      const report = parseDlr(Buffer.concat(chunks))
      tracker.record(report)
      console.log(`report: ${report.id} ${report.status} code ${report.code}`)
      res.writeHead(200).end()
    } catch {
      res.writeHead(400).end() // any non-2xx is retried by Instasent
    }
  })
})

async function main() {
  const external = Boolean(process.env.INSTASENT_BASE_URL)
  const [host, port] = (process.env.DLR_ADDR || (external ? '127.0.0.1:8089' : '127.0.0.1:0')).split(':')
  await new Promise((resolve) => server.listen(Number(port), host, resolve))
  const url = `http://${host}:${server.address().port}/dlr`
  console.log(`receiving delivery reports on ${url}`)

  // External: the sandbox (--webhook URL) or your account's webhook must point at `url`.
  const sandbox = external ? null : await Sandbox.start({ webhook: url })
  const client = sandbox
    ? new SmsClient(sandbox.token, { baseUrl: sandbox.baseUrl })
    : new SmsClient(process.env.INSTASENT_TOKEN)
  // Sandbox test numbers: …0001 fails with code 3, …0005 is buffered then delivered.
  const ids = []
  for (const to of ['+34600123456', '+34600000001', '+34600000005']) {
    ids.push((await client.send({ from: 'Acme', to, text: 'Hello' })).id)
  }
  const settled = () => ids.every((id) => tracker.get(id)?.isFinal)
  for (let waited = 0; !settled() && waited < 10000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  for (const id of ids) {
    const r = tracker.get(id)
    console.log(r ? `${id}: ${r.status} code ${r.code} (${r.codeMeaning ?? '-'})` : `${id}: no report yet`)
  }
  console.log(`final statuses: ${JSON.stringify(tracker.counts())}`)
  server.close()
  sandbox?.stop()
  if (!settled()) process.exitCode = 1
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
