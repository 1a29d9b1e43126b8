// An editor's hover is how a TypeScript or JavaScript user reads an SDK: every export of
// index.d.ts, and every member it declares on them, carries a doc comment (written once, as
// `///` in src/ or as JSDoc in lib/header.d.ts).
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const dts = fileURLToPath(new URL('../index.d.ts', import.meta.url))
const program = ts.createProgram([dts], { strict: true, noEmit: true, types: ['node'] })
const checker = program.getTypeChecker()
const source = program.getSourceFile(dts)
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(source))

function undocumented() {
  const documented = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== ''
  const declaredHere = (symbol) => (symbol.declarations ?? []).some((d) => d.getSourceFile() === source)
  const missing = []
  for (const symbol of exported) {
    // napi's own marker of the build target, not part of the SDK's surface.
    if (symbol.name === '__napiBindingTarget') continue
    if (!documented(symbol)) missing.push(symbol.name)
    if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue
    const type = checker.getDeclaredTypeOfSymbol(symbol)
    for (const member of checker.getPropertiesOfType(type)) {
      if (declaredHere(member) && !documented(member)) missing.push(`${symbol.name}.${member.name}`)
    }
    for (const signature of type.symbol?.members?.get('__constructor')?.declarations ?? []) {
      if (ts.getJSDocCommentsAndTags(signature).length === 0) missing.push(`${symbol.name}.constructor`)
    }
  }
  return missing
}

test('every export of index.d.ts and every member it declares has a doc comment', () => {
  assert.deepEqual(undocumented(), [])
})

test("ErrorCode lists every code of the core with its meaning (tests/vectors/errors.json)", () => {
  const vector = JSON.parse(readFileSync(new URL('../../tests/vectors/errors.json', import.meta.url), 'utf8'))
  const errorCode = exported.find((s) => s.name === 'ErrorCode')
  const union = checker.getDeclaredTypeOfSymbol(errorCode).types.map((t) => t.value)
  assert.deepEqual(union, vector.map((e) => e.code))
  const doc = ts.displayPartsToString(errorCode.getDocumentationComment(checker)).replace(/\s+/g, ' ')
  for (const { code, meaning } of vector) {
    assert.ok(doc.includes(`\`${code}\`: ${meaning}`), `${code} is not documented with the core's meaning: ${doc}`)
  }
})
