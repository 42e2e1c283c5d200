import type { ExtrasPort } from '../extras.js'
import type { AdapterContext } from './context.js'

/** Calls, status posts, labels, business, devices and app-state/history sync through Baileys. */
export function extrasOf(_ctx: AdapterContext): ExtrasPort {
  return {}
}
