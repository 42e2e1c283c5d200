import type { MessagesRepository } from '../store/messages.repository.js'
import { AppError } from './errors.js'
import { parseRecipient } from './recipient.js'
import type { SessionsService } from './sessions.service.js'

/**
 * Who is who: the LID ↔ phone number pairs a session learns (message alternates, Baileys'
 * mapping events, usync), used to name every chat and sender by both, and to back-fill earlier
 * messages when a pair is learned.
 */
export class IdentityService {
  /** Phone JIDs by user and LID, as last read or learned (bounded, oldest dropped first). */
  private readonly phones = new Map<string, string>()

  constructor(
    private readonly repo: MessagesRepository,
    private readonly sessions: SessionsService,
  ) {}

  /** The phone JID stored for a LID (read once, then remembered: every message asks). */
  private async pnOf(userId: string, lid: string): Promise<string | undefined> {
    const key = `${userId}|${lid}`
    const known = this.phones.get(key)
    if (known !== undefined) return known
    const pn = await this.repo.pnForLid(userId, lid)
    if (pn) this.remember(key, pn)
    return pn
  }

  private remember(key: string, pn: string) {
    this.phones.delete(key)
    this.phones.set(key, pn)
    if (this.phones.size > 50_000) this.phones.delete(this.phones.keys().next().value as string)
  }

  lidOfPhone(userId: string, pn: string): Promise<string | undefined> {
    return this.repo.lidForPn(userId, pn)
  }

  phoneOfLid(userId: string, lid: string): Promise<string | undefined> {
    return this.pnOf(userId, lid)
  }

  /** A JID and its alternate → the phone JID and LID, completed from the identity table. */
  async both(userId: string, jid: string, alt: string | undefined): Promise<{ pn: string; lid: string }> {
    if (jid.endsWith('@g.us') || jid.endsWith('@newsletter') || jid.endsWith('@broadcast'))
      return { pn: '', lid: '' }
    let pn = jid.endsWith('@s.whatsapp.net') ? jid : alt?.endsWith('@s.whatsapp.net') ? alt : ''
    let lid = jid.endsWith('@lid') ? jid : alt?.endsWith('@lid') ? alt : ''
    if (!pn && lid) pn = (await this.pnOf(userId, lid)) ?? ''
    if (!lid && pn) lid = (await this.repo.lidForPn(userId, pn)) ?? ''
    return { pn, lid }
  }

  async phoneOf(userId: string, jid: string): Promise<string> {
    return jid.endsWith('@lid') ? ((await this.pnOf(userId, jid)) ?? jid) : jid
  }

  /** Stores LID ↔ phone pairs; earlier messages that lacked one side get it. */
  async learn(userId: string, pairs: { lid: string; pn: string }[]) {
    const fresh: { lid: string; pn: string }[] = []
    const unique = new Map(pairs.map((p) => [p.lid, p]))
    for (const p of unique.values()) if ((await this.pnOf(userId, p.lid)) !== p.pn) fresh.push(p)
    if (fresh.length === 0) return
    await this.repo.saveIdentities(userId, fresh, new Date().toISOString())
    for (const p of fresh) this.remember(`${userId}|${p.lid}`, p.pn)
    for (const p of fresh) await this.repo.linkIdentity(userId, p.lid, p.pn)
  }

  /** The LID of a phone number: from what this session learned, else asked of WhatsApp. */
  async lidFor(userId: string, phone: string): Promise<string> {
    const pn = parseRecipient(phone)
    if (!pn.endsWith('@s.whatsapp.net')) throw new AppError('VALIDATION', 'invalid phone/JID format')
    const known = await this.repo.lidForPn(userId, pn)
    if (known) return known
    const [check] = await this.sessions.connection(userId).checkNumbers([pn.split('@')[0]!])
    if (!check?.exists) throw new AppError('NOT_ON_WHATSAPP', `${pn} is not on WhatsApp`)
    if (!check.lid) throw new AppError('IDENTITY_UNKNOWN', `no LID known for ${pn}`)
    await this.learn(userId, [{ lid: check.lid, pn }])
    return check.lid
  }

  /** The phone JID of a LID, as far as this session has learned it (WhatsApp offers no lookup). */
  async phoneFor(userId: string, lid: string): Promise<string> {
    const jid = lid.trim().replace(/:\d+@/, '@')
    if (!/^\d+@lid$/.test(jid)) throw new AppError('VALIDATION', 'invalid LID format')
    const pn = await this.pnOf(userId, jid)
    if (!pn) throw new AppError('IDENTITY_UNKNOWN', `no phone number known for ${jid}`)
    return pn
  }

  async identities(userId: string, limit: number, offset: number) {
    const [rows, total] = await Promise.all([
      this.repo.identities(userId, limit, offset),
      this.repo.countIdentities(userId),
    ])
    return { total, mappings: rows.map((r) => ({ lid: r.lid, pn: r.pn, updatedAt: new Date(r.updated_at) })) }
  }
}
