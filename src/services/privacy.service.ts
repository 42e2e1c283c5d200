import type { PrivacySettings } from '../engine/account.js'
import type { EngineConnection } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { validation } from './errors.js'
import { personOf } from './people.js'
import { refusals } from './refusals.js'

/** DIGIGO's privacy names → WhatsApp's categories (WhatsApp's own names are accepted too). */
export const PRIVACY_NAMES = {
  group_add: 'groupadd',
  last_seen: 'last',
  status: 'status',
  profile: 'profile',
  read_receipts: 'readreceipts',
  online: 'online',
  call_add: 'calladd',
  messages: 'messages',
} as const
export type PrivacyName = keyof typeof PRIVACY_NAMES

/** The values WhatsApp accepts per category. */
const PRIVACY_VALUES: Record<string, readonly string[]> = {
  groupadd: ['all', 'contacts', 'contact_blacklist', 'none'],
  last: ['all', 'contacts', 'contact_blacklist', 'none'],
  status: ['all', 'contacts', 'contact_blacklist', 'none'],
  profile: ['all', 'contacts', 'contact_blacklist', 'none'],
  readreceipts: ['all', 'none'],
  online: ['all', 'match_last_seen'],
  calladd: ['all', 'known'],
  messages: ['all', 'contacts'],
}

/** DIGIGO's default disappearing timers. */
const TIMERS: Record<string, number> = { off: 0, '24h': 86_400, '7d': 604_800, '90d': 7_776_000 }

/** Who may see and reach the account: privacy settings, the default disappearing timer, the blocklist. */
export class PrivacyService {
  constructor(private readonly deps: SessionDeps) {}

  private connection(userId: string): EngineConnection {
    return this.deps.sessions.connection(userId)
  }

  /** Privacy settings by DIGIGO's names. */
  async privacy(userId: string, refresh = true) {
    return named(await refusals(() => this.connection(userId).privacy(refresh)))
  }

  async setPrivacy(userId: string, setting: string, value: string) {
    const key = setting.trim().toLowerCase()
    const category =
      PRIVACY_NAMES[key as PrivacyName] ??
      (Object.values(PRIVACY_NAMES) as string[]).find((c) => c === key) ??
      undefined
    if (!category)
      throw validation(`invalid setting type: ${setting} (one of ${Object.keys(PRIVACY_NAMES).join(', ')})`)
    const allowed = PRIVACY_VALUES[category]!
    const v = value.trim().toLowerCase()
    if (!allowed.includes(v))
      throw validation(`invalid privacy value for ${setting}: ${value} (one of ${allowed.join(', ')})`)
    const name = (Object.entries(PRIVACY_NAMES).find(([, c]) => c === category)?.[0] ?? key) as PrivacyName
    const settings = await refusals(() => this.connection(userId).setPrivacy(category, v))
    return { setting: name, value: v, settings: named(settings) }
  }

  async setDisappearingTimer(userId: string, timer: string) {
    const key = timer.trim().toLowerCase()
    const seconds = TIMERS[key] ?? (Object.values(TIMERS).includes(Number(key)) ? Number(key) : undefined)
    if (seconds === undefined) throw validation('invalid timer value. Use: 24h, 7d, 90d, or off')
    await refusals(() => this.connection(userId).setDefaultDisappearing(seconds))
    const name = Object.entries(TIMERS).find(([, s]) => s === seconds)![0]
    return { timer: name, seconds }
  }

  /** Blocked accounts, each by phone JID and LID (as far as known). */
  async blocklist(userId: string) {
    const list = await refusals(() => this.connection(userId).blocklist())
    return Promise.all(list.map((jid) => this.deps.identity.both(userId, jid, undefined)))
  }

  async updateBlocklist(userId: string, action: string, users: string[]) {
    const a = action.trim().toLowerCase()
    if (a !== 'block' && a !== 'unblock') throw validation('invalid action. Use: block or unblock')
    if (users.length === 0) throw validation('missing users in payload')
    const people = await Promise.all(
      users.map(async (u) => {
        try {
          return await personOf(this.deps, userId, u)
        } catch {
          throw validation(`invalid JID: ${u}`)
        }
      }),
    )
    const connection = this.connection(userId)
    for (const p of people) {
      await refusals(() => connection.setBlocked(p.pn || p.lid, a === 'block'))
    }
    return { action: a as 'block' | 'unblock', users: people }
  }
}

/** WhatsApp's categories → DIGIGO's names ("" when WhatsApp has none). */
function named(settings: PrivacySettings) {
  const out = {} as Record<PrivacyName, string>
  for (const [name, category] of Object.entries(PRIVACY_NAMES))
    out[name as PrivacyName] = settings[category] ?? ''
  return out
}
