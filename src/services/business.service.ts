import { randomBytes } from 'node:crypto'
import { EngineRefusal } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { parseRecipient } from './recipient.js'
import { refused } from './refusals.js'

export interface OrderItem {
  name: string
  quantity: number
  price: number
  currency?: string | undefined
  imageUrl?: string | undefined
}

const BUSINESS_LINK = /^(?:https?:\/\/)?(?:wa\.me|api\.whatsapp\.com)\/message\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/
const CODE = /^[A-Za-z0-9_-]{4,64}$/

/** Business features: AI bots, the contact QR link, business message links, order messages. */
export class BusinessService {
  constructor(private readonly deps: SessionDeps) {}

  async bots(userId: string) {
    const connection = this.deps.sessions.connection(userId)
    const list = await connection.bots()
    const profiles = await connection.botProfiles(list).catch(() => [])
    return list.map((b) => {
      const p = profiles.find((x) => x.jid === b.jid)
      return { jid: b.jid, personaId: b.personaId, name: p?.name ?? '', description: p?.description ?? '' }
    })
  }

  async botProfiles(userId: string, jids: string[]) {
    if (jids.length === 0 || jids.some((j) => !j.trim())) throw validation('bot JIDs are required')
    const connection = this.deps.sessions.connection(userId)
    const known = await connection.bots().catch(() => [])
    const asked = jids.map((jid) => {
      const j = jid.trim()
      const full = j.includes('@') ? j : `${j.replace(/\D/g, '')}@bot`
      if (!/^\d+@(bot|s\.whatsapp\.net)$/.test(full)) throw validation(`invalid bot JID: ${jid}`)
      return { jid: full, personaId: known.find((b) => b.jid === full)?.personaId ?? '' }
    })
    return connection.botProfiles(asked)
  }

  async contactQr(userId: string, revoke: boolean) {
    const code = await this.deps.sessions.connection(userId).contactQr(revoke)
    return `https://wa.me/qr/${code}`
  }

  async resolveBusinessLink(userId: string, link: string) {
    const given = link.trim()
    if (!given) throw validation('business link is required')
    const code = BUSINESS_LINK.exec(given)?.[1] ?? (CODE.test(given) ? given : undefined)
    if (!code) throw validation('business_link must be https://wa.me/message/<code> or the code')
    const connection = this.deps.sessions.connection(userId)
    let target: Awaited<ReturnType<typeof connection.resolveBusinessLink>>
    try {
      target = await connection.resolveBusinessLink(code)
    } catch (err) {
      if (err instanceof EngineRefusal && err.code === 404)
        throw new AppError('NOT_FOUND', 'no business message link with this code')
      throw err
    }
    const profile = await connection.userInfo(target.jid).catch(() => undefined)
    return { ...target, business: profile?.business }
  }

  async sendOrder(userId: string, phone: string, items: OrderItem[], notes: string | undefined) {
    if (!phone.trim()) throw validation('phone number is required')
    if (items.length === 0) throw validation('order must contain at least one item')
    for (const item of items)
      if (!item.name.trim() || item.quantity < 1 || !(item.price >= 0))
        throw validation('invalid order item format')
    const currencies = new Set(items.map((i) => (i.currency ?? 'USD').toUpperCase()))
    if (currencies.size > 1) throw validation('every item of an order must have the same currency')
    const to = parseRecipient(phone)
    if (!to.endsWith('@s.whatsapp.net') && !to.endsWith('@lid')) throw validation('phone must be a user')
    const connection = this.deps.sessions.connection(userId)
    const total = Math.round(items.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100
    const orderId = `ORD${Date.now()}${randomBytes(2).toString('hex').toUpperCase()}`
    try {
      const sent = await connection.sendOrder(to, {
        orderId,
        title: items
          .map((i) => `${i.quantity}× ${i.name}`)
          .join(', ')
          .slice(0, 256),
        notes: notes ?? '',
        itemCount: items.reduce((sum, i) => sum + i.quantity, 0),
        total1000: Math.round(total * 1000),
        currency: [...currencies][0]!,
      })
      return { ...sent, orderId, total, itemsCount: items.length }
    } catch (err) {
      throw refused(err)
    }
  }
}
