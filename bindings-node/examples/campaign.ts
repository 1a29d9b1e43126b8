// A typed tour of the package against a local sandbox: documented calls, a campaign,
// auto-paging, segments, DLR parsing and error handling.
// Run: npx tsc -p examples && node examples/dist/campaign.js
import { DeliveryTracker, InstasentError, Sandbox, SmsClient, parseDlr, segments } from 'instasent'
import type { BulkItemResult, BulkProgress, SmsInput } from 'instasent'

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ balance: 100 })
  try {
    const client = new SmsClient(sandbox.token, { baseUrl: sandbox.baseUrl, maxRetries: 2 })

    const response = await client.sendSms('Acme', '+34600000000', 'Hello from TypeScript')
    console.log('sendSms', response.response_code, response.response_body.entity.id)

    function* messages(n: number): Generator<SmsInput> {
      for (let i = 0; i < n; i++) {
        yield { from: 'Acme', to: `+3460000${String(i).padStart(4, '0')}`, text: `Offer ${i}` }
      }
    }
    const results: BulkItemResult[] = await client.sendBulk(messages(500), {
      concurrency: 2,
      onProgress: (p: BulkProgress) => console.log(`sent ${p.accepted}/${p.read}`),
    })
    console.log('accepted', results.filter((r) => r.status === 'accepted').length)

    // The same, streamed: results as they settle, memory flat however long the input.
    let streamed = 0
    for await (const r of client.campaign(messages(300), { concurrency: 2 })) {
      if (r.status === 'accepted') streamed++
    }
    console.log('streamed', streamed)

    let count = 0
    for await (const sms of client.iterSms({ perPage: 100 })) {
      if (sms.status) count++
    }
    console.log('history', count)

    const analysis = segments('“Smart” quotes — and dashes', { smart: true })
    console.log(analysis.encoding, analysis.segments, analysis.text)

    const tracker = new DeliveryTracker()
    const report = parseDlr({ id: 'abc', status: 'delivered', code: 0, eventAt: '2026-04-21T10:15:00Z' })
    console.log(tracker.record(report), report.isFinal)

    try {
      await client.send({ from: 'Acme', to: 'not-a-number', text: 'x' })
    } catch (e) {
      if (e instanceof InstasentError && e.code === 'VALIDATION') console.log('rejected:', e.fields)
      else throw e
    }
  } finally {
    sandbox.stop()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
