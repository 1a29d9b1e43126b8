// A campaign of 300 personalised messages (three of them bad) through sendBulk, with progress.
// Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… node examples/node/campaign.js
const { SmsClient } = require('../../bindings-node') // require('instasent') once installed

function* messages() {
  for (let i = 0; i < 300; i++) {
    const message = {
      from: 'Acme',
      to: `+3460${1000000 + i}`,
      text: `Hi customer ${i}, your order P-${String(i).padStart(5, '0')} has shipped`,
      // Your own clientIds make the campaign resumable: with resume a re-run counts the ones
      // accepted earlier instead of sending them twice.
      clientId: `node-campaign-${i}`,
    }
    if (i === 17) message.to = '600123456' // not E.164: rejected locally, never sent
    if (i === 42) message.text = '' // blank: rejected locally
    if (i === 99) message.to = '+99912345678' // +999 is no country's calling code: rejected by the API (no route)
    yield message
  }
}

async function main() {
  const client = new SmsClient(process.env.INSTASENT_TOKEN) // base URL: $INSTASENT_BASE_URL
  const results = await client.sendBulk(messages(), {
    resume: true,
    onProgress: (p) => console.log(`progress: ${p.read} read (${p.accepted} accepted) after ${p.requests} requests`),
  })
  for (const r of results) {
    // stage "local": never sent; "server": refused by the API
    if (r.status === 'rejected') console.log(`input ${r.index} rejected (${r.stage}): ${JSON.stringify(r.fields)}`)
    // no answer for its request (after retries): safe to resume
    if (r.status === 'failed') console.log(`input ${r.index} not sent (${r.code}): ${r.message}`)
  }
  const count = (status) => results.filter((r) => r.status === status).length
  console.log(`accepted: ${count('accepted')}, rejected: ${count('rejected')}, failed: ${count('failed')}`)
  process.exitCode = count('failed') ? 1 : 0 // not sent: the same run again ({ resume: true }) sends them
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
