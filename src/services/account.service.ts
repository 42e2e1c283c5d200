import http from 'node:http'
import https from 'node:https'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import type { PictureVia, PrivacySettings } from '../engine/account.js'
import { type EngineConnection, EngineRefusal, type NetworkTarget } from '../engine/port.js'
import { redactUrl } from '../lib/redact.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { parseRecipient } from './recipient.js'

export interface AccountOptions {
  /** Numbers one lookup request may hold, and per sliding minute per user. */
  checkLimits: { perRequest: number; perMinute: number }
  /** Where sessions connect: the proxy test reaches the same host. */
  network: NetworkTarget
}

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

/** WhatsApp's longest "about" text. */
const ABOUT_MAX = 139

export interface AccountRef {
  /** What was asked (as given). */
  query: string
  pn: string
  lid: string
}

/** The account itself: profile, contacts, privacy, blocklist, presence, lookups, its proxy. */
export class AccountService {
  /** Numbers looked up per user in the last minute: [time, count]. */
  private readonly lookups = new Map<string, [number, number][]>()

  constructor(
    protected readonly deps: SessionDeps,
    private readonly options: AccountOptions = {
      checkLimits: { perRequest: 50, perMinute: 300 },
      network: {},
    },
  ) {}

  private connection(userId: string): EngineConnection {
    return this.deps.sessions.connection(userId)
  }

  /**
   * Counts `n` lookups for the user, or refuses (429) past the per-request or per-minute limit:
   * WhatsApp bans numbers that look up many others.
   */
  private spend(userId: string, n: number) {
    const { perRequest, perMinute } = this.options.checkLimits
    if (n === 0) throw validation('Phone is required: give at least one phone number')
    if (n > perRequest)
      throw new AppError(
        'RATE_LIMITED',
        `too many numbers in one request: ${n} (at most ${perRequest}, ZAPWIRE_CHECK_MAX_PER_REQUEST)`,
      )
    const now = Date.now()
    const recent = (this.lookups.get(userId) ?? []).filter(([at]) => at > now - 60_000)
    const used = recent.reduce((sum, [, count]) => sum + count, 0)
    if (used + n > perMinute) {
      const wait = Math.max(1, Math.ceil(((recent[0]?.[0] ?? now) + 60_000 - now) / 1000))
      this.lookups.set(userId, recent)
      throw new AppError(
        'RATE_LIMITED',
        `lookup limit reached: ${used} of ${perMinute} numbers in the last minute (ZAPWIRE_CHECK_MAX_PER_MINUTE); try again in ${wait} s`,
      )
    }
    recent.push([now, n])
    this.lookups.set(userId, recent)
  }

  /** A phone number, phone JID or LID → the person's phone JID and LID (as far as known). */
  private async person(userId: string, input: string): Promise<AccountRef> {
    const jid = parseRecipient(input)
    if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid'))
      throw validation(`not a phone number, user JID or LID: ${input}`)
    const { identity } = this.deps
    if (jid.endsWith('@lid'))
      return { query: input, pn: (await identity.phoneOfLid(userId, jid)) ?? '', lid: jid }
    return { query: input, pn: jid, lid: (await identity.lidOfPhone(userId, jid)) ?? '' }
  }

  private async people(userId: string, inputs: string[]): Promise<AccountRef[]> {
    const list = [...new Set(inputs.map((p) => p.trim()).filter(Boolean))]
    const people = await Promise.all(list.map((p) => this.person(userId, p)))
    this.spend(userId, people.length)
    return people
  }

  /** Which of these numbers are on WhatsApp, with phone JID and LID. */
  async check(userId: string, phones: string[]) {
    const people = await this.people(userId, phones)
    const connection = this.connection(userId)
    const byPhone = people.filter((p) => p.pn)
    const checks = byPhone.length
      ? await connection.checkNumbers(byPhone.map((p) => p.pn.split('@')[0]!))
      : []
    const pairs = checks.flatMap((c) => (c.lid ? [{ lid: c.lid, pn: c.jid }] : []))
    if (pairs.length) await this.deps.identity.learn(userId, pairs)
    return people.map((p) => {
      const found = p.pn ? checks.find((c) => c.jid === p.pn) : undefined
      return {
        query: p.query,
        exists: found ? found.exists : Boolean(p.lid && !p.pn),
        jid: p.pn || p.lid,
        lid: found?.lid ?? p.lid,
        verifiedName: '',
      }
    })
  }

  /** About, picture, devices and business profile of each user (what they let this account see). */
  async info(userId: string, phones: string[]) {
    const checks = await this.check(userId, phones)
    const connection = this.connection(userId)
    return Promise.all(
      checks.map(async (c) => {
        const info = c.exists ? await connection.userInfo(c.lid || c.jid) : undefined
        return {
          ...c,
          about: info?.about,
          picture: info?.picture,
          devices: (info?.devices ?? []).map((d) => asPhoneDevice(d, c.jid)),
          business: info?.business,
        }
      }),
    )
  }

  /** The devices of each user (phone JID → device JIDs). */
  async devices(userId: string, phones: string[]) {
    const people = await this.people(userId, phones)
    const jids = people.map((p) => p.pn || p.lid)
    const found = await this.refusals(() => this.connection(userId).devicesOf(jids))
    return people.map((p) => ({
      ...p,
      devices: (found[p.pn || p.lid] ?? []).map((d) => asPhoneDevice(d, p.pn)),
    }))
  }

  /** A user's or group's profile picture. */
  async avatar(userId: string, input: string, preview: boolean, via?: PictureVia) {
    const jid = parseRecipient(input)
    if (jid.endsWith('@broadcast')) throw validation(`not a user, group or newsletter: ${input}`)
    let picture: Awaited<ReturnType<EngineConnection['profilePicture']>>
    try {
      if (via?.commonGroup && !parseRecipient(via.commonGroup).endsWith('@g.us'))
        throw validation('CommonGID must be a group JID (…@g.us)')
      picture = await this.connection(userId).profilePicture(jid, preview, via)
    } catch (err) {
      if (err instanceof EngineRefusal && err.code === 401)
        throw new AppError('FORBIDDEN', 'the user has hidden their profile picture from you')
      throw this.mapped(err)
    }
    if (!picture) throw new AppError('NOT_FOUND', `${jid} has no profile picture`)
    return { jid, ...picture }
  }

  async businessProfile(userId: string, phone: string) {
    const [c] = await this.check(userId, [phone])
    if (!c?.exists) throw new AppError('NOT_ON_WHATSAPP', `${c?.jid ?? phone} is not on WhatsApp`)
    const info = await this.connection(userId).userInfo(c.lid || c.jid)
    if (!info.business) throw new AppError('NOT_FOUND', `${c.jid} has no business profile`)
    return { jid: c.jid, lid: c.lid, ...info.business }
  }

  async setPushName(userId: string, name: string) {
    const value = name.trim()
    if (!value) throw validation('push name cannot be empty')
    await this.refusals(() => this.connection(userId).setPushName(value))
    return value
  }

  /** The account's own "about" text. */
  async ownAbout(userId: string): Promise<string> {
    const { jid } = this.deps.sessions.account(userId)
    const connection = this.connection(userId)
    const about = await this.refusals(() => connection.about(jid.replace(/:\d+@/, '@')))
    return about?.text ?? ''
  }

  async setAbout(userId: string, text: string) {
    if (text.length > ABOUT_MAX) throw validation(`status must be at most ${ABOUT_MAX} characters`)
    await this.refusals(() => this.connection(userId).setAbout(text))
    return text
  }

  /** Sets the profile photo from a JPEG (data URL, base64 or http(s) URL); answers its id. */
  async setPhoto(userId: string, image: string): Promise<string> {
    const connection = this.connection(userId)
    const { data, mimetype } = await this.deps.media.resolve(image, 'image')
    if (mimetype !== 'image/jpeg')
      throw validation('image must be in JPEG format. WhatsApp only accepts JPEG images for profile photos')
    return this.refusals(() => connection.setProfilePicture(data))
  }

  async removePhoto(userId: string) {
    await this.refusals(() => this.connection(userId).removeProfilePicture())
  }

  async saveContact(userId: string, phone: string, fullName: string) {
    const name = fullName.trim()
    if (!name) throw validation('full name cannot be empty')
    const { pn } = await this.phoneOnly(userId, phone)
    await this.refusals(() => this.connection(userId).saveContact(pn, name), 'APP_STATE_NOT_READY')
    return { phone: pn.split('@')[0]!, jid: pn, fullName: name }
  }

  async removeContact(userId: string, phone: string) {
    const { pn } = await this.phoneOnly(userId, phone)
    await this.refusals(() => this.connection(userId).removeContact(pn), 'APP_STATE_NOT_READY')
    return { phone: pn.split('@')[0]!, jid: pn }
  }

  private async phoneOnly(userId: string, input: string) {
    if (!input.trim()) throw validation('phone number cannot be empty')
    const p = await this.person(userId, input)
    if (!p.pn) throw new AppError('IDENTITY_UNKNOWN', `no phone number known for ${p.lid}`)
    return p
  }

  /** Privacy settings by DIGIGO's names. */
  async privacy(userId: string, refresh = true) {
    return this.named(await this.refusals(() => this.connection(userId).privacy(refresh)))
  }

  private named(settings: PrivacySettings) {
    const out = {} as Record<PrivacyName, string>
    for (const [name, category] of Object.entries(PRIVACY_NAMES))
      out[name as PrivacyName] = settings[category] ?? ''
    return out
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
    const settings = await this.refusals(() => this.connection(userId).setPrivacy(category, v))
    return { setting: name, value: v, settings: this.named(settings) }
  }

  async setDisappearingTimer(userId: string, timer: string) {
    const key = timer.trim().toLowerCase()
    const seconds = TIMERS[key] ?? (Object.values(TIMERS).includes(Number(key)) ? Number(key) : undefined)
    if (seconds === undefined) throw validation('invalid timer value. Use: 24h, 7d, 90d, or off')
    await this.refusals(() => this.connection(userId).setDefaultDisappearing(seconds))
    const name = Object.entries(TIMERS).find(([, s]) => s === seconds)![0]
    return { timer: name, seconds }
  }

  /** Blocked accounts, each by phone JID and LID (as far as known). */
  async blocklist(userId: string) {
    const list = await this.refusals(() => this.connection(userId).blocklist())
    return Promise.all(list.map((jid) => this.deps.identity.both(userId, jid, undefined)))
  }

  async updateBlocklist(userId: string, action: string, users: string[]) {
    const a = action.trim().toLowerCase()
    if (a !== 'block' && a !== 'unblock') throw validation('invalid action. Use: block or unblock')
    if (users.length === 0) throw validation('missing users in payload')
    const people = await Promise.all(
      users.map(async (u) => {
        try {
          return await this.person(userId, u)
        } catch {
          throw validation(`invalid JID: ${u}`)
        }
      }),
    )
    const connection = this.connection(userId)
    for (const p of people) {
      await this.refusals(() => connection.setBlocked(p.pn || p.lid, a === 'block'))
    }
    return { action: a as 'block' | 'unblock', users: people }
  }

  async setPresence(userId: string, type: string, to: string | undefined) {
    const t = type.trim().toLowerCase()
    const connection = this.connection(userId)
    if (t === 'subscribe') {
      if (!to?.trim()) throw validation('phone is required to subscribe to a presence')
      const p = await this.person(userId, to)
      await connection.subscribePresence(p.lid || p.pn)
      return { type: t, jid: p.pn || p.lid }
    }
    if (t !== 'available' && t !== 'unavailable')
      throw validation("Invalid presence type. Allowed values: 'available', 'unavailable', 'subscribe'")
    await this.refusals(() => connection.setPresence(t), 'SESSION_NOT_READY')
    return { type: t, jid: '' }
  }

  async presenceConfig(userId: string, enabled?: boolean): Promise<boolean> {
    if (enabled === undefined) return (await this.deps.users.get(userId)).settings.autoPresenceUnavailable
    const user = await this.deps.users.update(userId, { autoPresenceUnavailable: enabled }, 'user')
    return user.settings.autoPresenceUnavailable
  }

  /** Miauzap's view of the proxy: URL without credentials, the user name apart. */
  async proxyConfig(userId: string) {
    const { proxy } = (await this.deps.users.get(userId)).secrets
    const url = proxy.url ? new URL(proxy.url) : undefined
    const username = url ? decodeURIComponent(url.username) : ''
    if (url) {
      url.username = ''
      url.password = ''
    }
    return {
      enabled: proxy.enabled,
      proxyUrl: url ? url.toString().replace(/\/$/, '') : '',
      username,
      bypass: proxy.bypass ?? [],
    }
  }

  /** Saves Miauzap's proxy settings (an empty URL turns the proxy off); used at the next connect. */
  async setProxyConfig(
    userId: string,
    input: {
      proxyUrl: string
      username?: string | undefined
      password?: string | undefined
      bypass?: string[] | undefined
    },
  ) {
    const url = input.proxyUrl.trim() ? proxyUrl(input) : ''
    await this.deps.users.update(
      userId,
      { proxyConfig: { enabled: url !== '', url, ...(input.bypass ? { bypass: input.bypass } : {}) } },
      'user',
    )
    return this.proxyConfig(userId)
  }

  /**
   * Opens a connection through the given proxy to the host WhatsApp sessions connect to
   * (web.whatsapp.com, or the test network in tests) and waits for its first HTTP answer: the
   * proxy works for Zapwire when that host answers through it. Stores nothing.
   */
  async testProxy(input: { proxyUrl: string; username?: string | undefined; password?: string | undefined }) {
    if (!input.proxyUrl.trim()) throw validation('proxy_url is required')
    const url = proxyUrl(input)
    const target = new URL(this.options.network.wsUrl ?? 'wss://web.whatsapp.com/ws/chat')
    const secure = target.protocol === 'wss:' || target.protocol === 'https:'
    const origin = `${secure ? 'https' : 'http'}://${target.host}/`
    const agent = /^socks/i.test(url) ? new SocksProxyAgent(url) : new HttpsProxyAgent(url)
    const started = Date.now()
    const status = await new Promise<number>((resolve, reject) => {
      const request = (secure ? https : http).get(origin, { agent, timeout: 10_000 }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      request.on('timeout', () => request.destroy(new Error('timed out after 10 s')))
      request.on('error', reject)
    }).catch((err: Error) => {
      const refusal = /status code (\d+)|Proxy connection ended|authentication/i.exec(err.message)
      throw new AppError(
        refusal ? 'VALIDATION' : 'UNAVAILABLE',
        `proxy connection test failed through ${redactUrl(url)} to ${target.host}: ${err.message}`,
      )
    })
    const failed = (code: 'VALIDATION' | 'UNAVAILABLE', why: string) =>
      new AppError(code, `proxy connection test failed through ${redactUrl(url)} to ${target.host}: ${why}`)
    // A proxy that refuses the tunnel answers in its place (the agent hands its answer on).
    if (status === 407) throw failed('VALIDATION', 'the proxy wants (other) credentials (407)')
    if (status === 502 || status === 503 || status === 504)
      throw failed('UNAVAILABLE', `the proxy could not reach it (${status})`)
    return { responseTimeMs: Date.now() - started, target: target.host, status }
  }

  /** Runs an engine call: WhatsApp's refusals become domain errors. */
  private async refusals<T>(
    run: () => Promise<T>,
    on409: 'APP_STATE_NOT_READY' | 'SESSION_NOT_READY' = 'APP_STATE_NOT_READY',
  ): Promise<T> {
    try {
      return await run()
    } catch (err) {
      if (err instanceof EngineRefusal && err.code === 409) throw new AppError(on409, err.message)
      throw this.mapped(err)
    }
  }

  private mapped(err: unknown): unknown {
    if (!(err instanceof EngineRefusal)) return err
    if (err.code === 400) return new AppError('VALIDATION', err.message)
    if (err.code === 404) return new AppError('NOT_FOUND', err.message)
    return new AppError('WHATSAPP_REFUSED', `WhatsApp refused: ${err.message}`, { whatsappCode: err.code })
  }
}

/** A proxy URL with the user name and password given apart (Miauzap) put in it. */
function proxyUrl(input: { proxyUrl: string; username?: string | undefined; password?: string | undefined }) {
  let url: URL
  try {
    url = new URL(input.proxyUrl.trim())
  } catch {
    throw validation('proxy_url must be a URL such as socks5://host:1080 or http://host:8080')
  }
  if (!/^(https?|socks4|socks5h?):$/.test(url.protocol))
    throw validation('proxy_url must be http://, https:// or socks5:// (socks4://)')
  if (input.username) url.username = encodeURIComponent(input.username)
  if (input.password) url.password = encodeURIComponent(input.password)
  return url.toString().replace(/\/$/, '')
}

/** A device JID in a LID's form → the same device under the phone JID, when the phone is known. */
function asPhoneDevice(device: string, pn: string): string {
  if (!device.endsWith('@lid') || !pn.endsWith('@s.whatsapp.net')) return device
  const index = /:(\d+)@/.exec(device)?.[1]
  return `${pn.split('@')[0]}${index && index !== '0' ? `:${index}` : ''}@s.whatsapp.net`
}
