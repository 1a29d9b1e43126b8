// ESM types: the same declarations as index.d.ts, plus the default export.
import * as Instasent from './index.js'

export * from './index.js'
export default Instasent
