import type { ZapEvent } from './event.js'

/** A user's skip flags (DIGIGO's /session/skip*), applied to its events before any delivery. */
export interface SkipFlags {
  skipGroups: boolean
  skipNewsletters: boolean
  skipBroadcasts: boolean
  skipOwnMessages: boolean
  skipCalls: boolean
}

/** Whether the user's skip flags keep this event from its sinks (it stays in the outbox). */
export function skipped(flags: SkipFlags, event: ZapEvent): boolean {
  const chat = event.chat
  if (flags.skipGroups && chat.endsWith('@g.us')) return true
  if (flags.skipNewsletters && chat.endsWith('@newsletter')) return true
  if (flags.skipBroadcasts && chat.endsWith('@broadcast')) return true
  if (flags.skipCalls && event.type.startsWith('Call')) return true
  if (flags.skipOwnMessages && event.type === 'Message') {
    const info = event.data.Info as { IsFromMe?: boolean } | undefined
    if (info?.IsFromMe === true || event.data.fromMe === true) return true
  }
  return false
}
