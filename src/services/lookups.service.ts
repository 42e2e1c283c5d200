import type { PictureVia } from '../engine/account.js'
import { type EngineConnection, EngineRefusal } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { type AccountRef, asPhoneDevice, personOf, userJid } from './people.js'
import { parseRecipient } from './recipient.js'
import { mapped, refusals } from './refusals.js'

/** Numbers one lookup request may hold, and per sliding minute per user. */
export interface CheckLimits {
  perRequest: number
  perMinute: number
}

/** Looking other accounts up: on WhatsApp or not, info, devices, pictures, business profiles (rate limited). */
export class LookupsService {
  /** Numbers looked up per user in the last minute: [time, count]. */
  private readonly lookups = new Map<string, [number, number][]>()

  constructor(
    private readonly deps: SessionDeps,
    private readonly limits: CheckLimits,
  ) {}

  private connection(userId: string): EngineConnection {
    return this.deps.sessions.connection(userId)
  }

  /**
   * Counts `n` lookups for the user, or refuses (429) past the per-request or per-minute limit:
   * WhatsApp bans numbers that look up many others.
   */
  private spend(userId: string, n: number) {
    const { perMinute } = this.limits
    this.sized(n)
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

  /** Refuses an empty request (400) or one over the per-request limit (429). */
  private sized(n: number) {
    const { perRequest } = this.limits
    if (n === 0) throw validation('Phone is required: give at least one phone number')
    if (n > perRequest)
      throw new AppError(
        'RATE_LIMITED',
        `too many numbers in one request: ${n} (at most ${perRequest}, ZAPWIRE_CHECK_MAX_PER_REQUEST)`,
      )
  }

  /**
   * The people asked about: the request's size is checked before any of them is looked up (a
   * huge list costs nothing), each must be a phone or user JID (400), the session must be live
   * (409), and only then is the lookup counted against the per-minute limit.
   */
  private async people(userId: string, inputs: string[]): Promise<AccountRef[]> {
    const list = [...new Set(inputs.map((p) => p.trim()).filter(Boolean))]
    this.sized(list.length)
    for (const p of list) userJid(p, 'Phone')
    this.connection(userId)
    const people = await Promise.all(list.map((p) => personOf(this.deps, userId, p)))
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
    const found = await refusals(() => this.connection(userId).devicesOf(jids))
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
      throw mapped(err)
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
}
