import type { AccountPort } from '../account.js'
import type { AdapterContext } from './context.js'

/** The account itself, its contacts, privacy settings and blocklist through Baileys. */
export function accountOf(_ctx: AdapterContext): AccountPort {
  return {}
}
