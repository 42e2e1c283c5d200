import type { ExtrasPort } from '../extras.js'
import { businessOf } from './business.js'
import { callsOf } from './calls.js'
import type { AdapterContext } from './context.js'
import { devicesOf } from './devices.js'
import { labelsOf } from './labels.js'
import { statusPostsOf } from './status-posts.js'
import { syncOf } from './sync.js'

/** Calls, status posts, labels, business, devices and app-state/history sync through Baileys. */
export function extrasOf(ctx: AdapterContext): ExtrasPort {
  return {
    ...callsOf(ctx),
    ...statusPostsOf(ctx),
    ...labelsOf(ctx),
    ...businessOf(ctx),
    ...devicesOf(ctx),
    ...syncOf(ctx),
  }
}
