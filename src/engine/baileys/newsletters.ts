import type { NewslettersPort } from '../newsletters.js'
import type { AdapterContext } from './context.js'

/** Newsletters (channels) through Baileys. */
export function newslettersOf(_ctx: AdapterContext): NewslettersPort {
  return {}
}
