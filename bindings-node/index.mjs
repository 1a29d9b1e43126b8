// ESM entry: the same objects as the CommonJS one.
import Instasent from './index.js'

export default Instasent
export const {
  version,
  SmsClient,
  InstasentError,
  Sandbox,
  DeliveryTracker,
  segments,
  smartEncode,
  parseDlr,
  parseWebhook,
  parseSmppReceipt,
  parseInsiderEvent,
  errorCodes,
  __napiBindingTarget,
} = Instasent
