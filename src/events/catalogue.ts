/**
 * Every event name a subscription may name: the union of the wuzapi-family seeds, plus
 * Zapwire's `MessageUpdate` (edits, revokes, status changes). Names are case-sensitive.
 */
export const EVENT_NAMES = [
  'Message',
  'UndecryptableMessage',
  'Receipt',
  'ReadReceipt',
  'MediaRetry',
  'MessageUpdate',
  'GroupInfo',
  'JoinedGroup',
  'Picture',
  'BlocklistChange',
  'Blocklist',
  'Connected',
  'Disconnected',
  'ConnectFailure',
  'KeepAliveRestored',
  'KeepAliveTimeout',
  'LoggedOut',
  'ClientOutdated',
  'TemporaryBan',
  'StreamError',
  'StreamReplaced',
  'PairSuccess',
  'PairError',
  'QR',
  'QRTimeout',
  'QRScannedWithoutMultidevice',
  'PrivacySettings',
  'PushNameSetting',
  'UserAbout',
  'AppState',
  'AppStateSyncComplete',
  'HistorySync',
  'OfflineSyncCompleted',
  'OfflineSyncPreview',
  'CallOffer',
  'CallAccept',
  'CallTerminate',
  'CallOfferNotice',
  'CallRelayLatency',
  'Presence',
  'ChatPresence',
  'IdentityChange',
  'CATRefreshError',
  'NewsletterJoin',
  'NewsletterLeave',
  'NewsletterMuteChange',
  'NewsletterLiveUpdate',
  'FBMessage',
] as const

export type EventName = (typeof EVENT_NAMES)[number]
export const ALL_EVENTS = 'All'

const known = new Set<string>(EVENT_NAMES)

/**
 * Parses a subscription given as an array or a comma-separated string (spaces ignored).
 * Returns the names, `['All']` when `All` is among them, or the unknown names as `unknown`.
 */
export function parseSubscription(input: string | readonly string[]): {
  events: string[]
  unknown: string[]
} {
  const names = (typeof input === 'string' ? [input] : input)
    .flatMap((n) => n.split(','))
    .map((n) => n.trim())
    .filter(Boolean)
  const unknown = names.filter((n) => n !== ALL_EVENTS && !known.has(n))
  if (names.includes(ALL_EVENTS)) return { events: [ALL_EVENTS], unknown }
  return { events: [...new Set(names)], unknown }
}
