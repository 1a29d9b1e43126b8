// A send that may have gone out unanswered (AMBIGUOUS_OUTCOME): look the message up by its
// clientId, and send it again only when it is not there. The API refuses a clientId it has
// seen, so that resend cannot deliver it twice.
//
// The SDK retries an unanswered send itself, and a retry that finds its clientId used reports
// the send as accepted. So the error reaches you only when the retries could not settle it (an
// outage): keep the clientId with what you were sending, and settle it once the API answers.
//
// The demo provokes both cases in a sandbox of its own (injected faults), retries off so that
// the first fault is the answer. Run: node examples/node/ambiguous_send.js
const { InstasentError, Sandbox, SmsClient } = require('../../bindings-node') // require('instasent') once installed

/** Makes sure the message with this clientId went out once; says how. */
async function settle(client, message) {
  const found = await client.findMessage(message.clientId)
  if (found !== null) return `already sent as ${found.id}, not sent again`
  const resent = await client.send(message)
  return `not in the history, sent again as ${resent.id}`
}

async function main() {
  const sandbox = await Sandbox.start()
  try {
    const client = new SmsClient(sandbox.token, { baseUrl: sandbox.baseUrl, maxRetries: 0 })
    const cases = [
      ['order-1001', { dropAfterCommitRate: 1 }], // committed, then the connection closed
      ['order-1002', { errorRate: 1 }], // answered 500 before anything was committed
    ]
    for (const [clientId, fault] of cases) {
      const message = { from: 'Acme', to: '+34600123456', text: 'Your order has shipped', clientId }
      sandbox.setFaults(fault)
      try {
        await client.send(message)
        throw new Error(`${clientId}: sent, but the sandbox was to fail it`)
      } catch (e) {
        if (!(e instanceof InstasentError && e.code === 'AMBIGUOUS_OUTCOME')) throw e
        console.log(`${e.clientId}: ${e.code}, may have been sent: ${e.maybeCommitted}`)
      }
      sandbox.setFaults({}) // the outage is over
      console.log(`${clientId}: ${await settle(client, message)}`)
    }

    const sent = sandbox.messages().map((m) => m.clientId)
    const times = (c) => sent.filter((s) => s === c).length
    console.log(`ledger: order-1001 x${times('order-1001')}, order-1002 x${times('order-1002')}`)
  } finally {
    sandbox.stop()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
