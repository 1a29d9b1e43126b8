// How texts travel as SMS: encoding, segments, units and parts (offline, no API call).
// Run: node examples/node/segments.js
const { segments } = require('../../bindings-node') // require('instasent') once installed

const texts = [
  ['plain GSM-7', 'Your order P-00042 has shipped {track it}', false],
  ['needs UCS-2', 'Your order has shipped 📦 — thanks, Zoë!', false],
  ['smart encoding', '“Smart” quotes – and dashes… cost UCS-2 unless replaced', true],
  ['long', 'Reminder: your appointment is tomorrow at 10:00. '.repeat(4), false],
]
for (const [label, text, smart] of texts) {
  const a = segments(text, { smart })
  console.log(`${label}: encoding=${a.encoding} segments=${a.segments} units=${a.units} parts=${JSON.stringify(a.parts)}`)
  if (a.unicodeChars.length) console.log(`  UCS-2 because of ${JSON.stringify(a.unicodeChars)}`)
  if (a.smartApplied) console.log(`  smart encoding sent ${JSON.stringify(a.text)}`)
}
