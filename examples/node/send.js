// Sends one SMS with the documented method and prints {response_code, response_body}.
// Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… node examples/node/send.js
const { SmsClient } = require('../../bindings-node') // require('instasent') once installed

async function main() {
  const client = new SmsClient(process.env.INSTASENT_TOKEN) // base URL: $INSTASENT_BASE_URL
  const response = await client.sendSms('Acme', '+34600123456', 'Your code is 4821')
  console.log(`response_code: ${response.response_code}`)
  console.log(`response_body: ${JSON.stringify(response.response_body)}`)
  // The documented call returns an API error (401, 402, 422…) instead of throwing: exit with it.
  process.exitCode = response.response_code < 400 ? 0 : 1
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
