import type { GroupsPort } from '../groups.js'
import type { AdapterContext } from './context.js'

/** Groups and communities (w:g2 IQs) through Baileys. */
export function groupsOf(_ctx: AdapterContext): GroupsPort {
  return {}
}
