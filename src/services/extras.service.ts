import { randomBytes } from 'node:crypto'
import type { AppStateSyncResult, StatusContent, UserDevice } from '../engine/extras.js'
import { PLATFORM_TYPES } from '../engine/extras.js'
import type { ConnectionEvent } from '../engine/port.js'
import { EngineRefusal } from '../engine/port.js'
import type { SessionDeps } from './deps.js'
import { AppError, validation } from './errors.js'
import { parseRecipient } from './recipient.js'

export type RejectType = 'busy' | 'declined' | 'unavailable'

export type StatusRequest =
  | {
      kind: 'text'
      text: string
      backgroundColor?: string | undefined
      textColor?: string | undefined
      font?: number | undefined
    }
  | { kind: 'image' | 'video'; source: string; caption?: string | undefined }
  | { kind: 'audio'; source: string; ptt: boolean }

export interface OrderItem {
  name: string
  quantity: number
  price: number
  currency?: string | undefined
  imageUrl?: string | undefined
}

/** Default wait of /device/users/context (DIGIGO names no value). */
const DEVICES_TIMEOUT_MS = 10_000
const BUSINESS_LINK = /^(?:https?:\/\/)?(?:wa\.me|api\.whatsapp\.com)\/message\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/
const CODE = /^[A-Za-z0-9_-]{4,64}$/
const ARGB = /^\d{1,10}$/

/** What the phone is (device 0); the others by whatsmeow's platform-type number, as DIGIGO reports them. */
export const platformOf = (device: number) => (device === 0 ? 'PHONE' : (PLATFORM_TYPES[device] ?? 'UNKNOWN'))

/** Calls, status posts, labels, business, devices and sync. */
export class ExtrasService {
  constructor(protected readonly deps: SessionDeps) {
    deps.sessions.onNotice((userId, notice) => {
      if (notice.name === 'CallOffer')
        this.autoReject(userId, notice).catch((err) =>
          deps.log.warn({ err, userId }, 'rejecting an incoming call failed'),
        )
    })
  }

  // ── calls ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A call offer for a user whose `skipCalls` is on: rejected, then the caller gets the user's
   * `callRejectMessage` (none when it is empty).
   */
  private async autoReject(userId: string, notice: Extract<ConnectionEvent, { type: 'notice' }>) {
    const user = await this.deps.users.get(userId)
    if (!user.settings.skipCalls || notice.data.IsGroup) return
    const callId = String(notice.data.CallID ?? '')
    const creator = String(notice.data.CallCreator ?? '')
    if (!callId || !creator) return
    await this.deps.sessions.connection(userId).rejectCall(callId, creator)
    const message = user.settings.callRejectMessage.trim()
    if (message)
      await this.deps.messages.send(userId, {
        to: notice.chat || creator,
        content: { kind: 'text', text: message },
      })
    this.deps.log.info({ userId, callId }, 'incoming call rejected')
  }

  /** Rejects a call by id and optionally messages the caller. */
  async rejectCall(userId: string, callId: string, callFrom: string, message: string | undefined) {
    if (!callId.trim() || !callFrom.trim()) throw validation('call_id and call_from are required')
    let from: string
    try {
      from = parseRecipient(callFrom)
    } catch {
      throw validation('invalid call_from JID: invalid format')
    }
    if (!from.endsWith('@s.whatsapp.net') && !from.endsWith('@lid'))
      throw validation('invalid call_from JID: invalid format')
    const connection = this.deps.sessions.connection(userId)
    await connection.rejectCall(callId, from)
    const text = message?.trim()
    if (text) await this.deps.messages.send(userId, { to: from, content: { kind: 'text', text } })
    return { callFrom: from, messageSent: Boolean(text) }
  }

  // ── status posts ───────────────────────────────────────────────────────────────────────────

  /**
   * Posts a status to the account's contacts (everyone in the contact store or with a 1:1 chat),
   * or to `recipients` when given.
   */
  async postStatus(userId: string, request: StatusRequest, id?: string, recipients?: string[]) {
    const connection = this.deps.sessions.connection(userId)
    const audience = recipients?.length
      ? recipients.map((r) => userJid(r, 'recipients'))
      : await this.audience(userId)
    if (audience.length === 0)
      throw validation('no one to show the status to: no contacts or chats yet (give recipients)')
    const content = await this.statusContent(request)
    try {
      const posted = await connection.postStatus(content, audience, id)
      return { ...posted, recipients: audience.length }
    } catch (err) {
      throw refused(err)
    }
  }

  private async audience(userId: string): Promise<string[]> {
    const [contacts, chats] = await Promise.all([
      this.deps.chats.contacts(userId),
      this.deps.chats.chats(userId),
    ])
    const me = this.deps.sessions.account(userId).jid.replace(/:\d+@/, '@')
    const jids = [...contacts.map((c) => c.jid), ...chats.map((c) => c.jid)].filter(
      (j) => (j.endsWith('@s.whatsapp.net') || j.endsWith('@lid')) && j !== me,
    )
    return [...new Set(jids)]
  }

  private async statusContent(request: StatusRequest): Promise<StatusContent> {
    if (request.kind === 'text') {
      if (!request.text.trim()) throw validation('text is required')
      return {
        kind: 'text',
        text: request.text,
        backgroundArgb: argb(request.backgroundColor, 'background_color'),
        textArgb: argb(request.textColor, 'text_color'),
        font: request.font,
      }
    }
    const fetched = await this.deps.media.resolve(request.source, request.kind)
    if (request.kind === 'audio')
      return { kind: 'audio', data: fetched.data, mimetype: fetched.mimetype, ptt: request.ptt }
    return { kind: request.kind, data: fetched.data, mimetype: fetched.mimetype, caption: request.caption }
  }

  // ── labels (app-state patches) ─────────────────────────────────────────────────────────────

  async manageLabel(
    userId: string,
    input: {
      id?: string | undefined
      name?: string | undefined
      color?: number | undefined
      delete?: boolean | undefined
    },
  ) {
    const connection = this.deps.sessions.connection(userId)
    const deleting = input.delete === true
    if (deleting && !input.id) throw validation('label_id is required to delete a label')
    if (!deleting && !input.name?.trim()) throw validation('label_name is required')
    if (!deleting && input.color === undefined) throw validation('label_color is required')
    const id = input.id?.trim() || `label_${Math.floor(Date.now() / 1000)}`
    const label = { id, name: input.name ?? '', color: input.color ?? 0, deleted: deleting }
    await appState(() => connection.editLabel(label))
    return { ...label, created: !input.id && !deleting }
  }

  async labelChat(userId: string, chat: string, labelId: string, apply: boolean): Promise<string> {
    const connection = this.deps.sessions.connection(userId)
    const jid = parseRecipient(chat)
    if (!labelId.trim()) throw validation('label_id is required')
    await appState(() => connection.labelChat(jid, labelId, apply))
    return jid
  }

  async labelMessage(userId: string, chat: string, messageId: string, labelId: string, apply: boolean) {
    const connection = this.deps.sessions.connection(userId)
    const jid = parseRecipient(chat)
    if (!labelId.trim()) throw validation('label_id is required')
    if (!messageId.trim()) throw validation('message_id is required')
    await appState(() => connection.labelMessage(jid, messageId, labelId, apply))
    return jid
  }

  // ── business ───────────────────────────────────────────────────────────────────────────────

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

  // ── devices ────────────────────────────────────────────────────────────────────────────────

  /** The devices of users; with `timeoutMs`, refuses with TIMEOUT when WhatsApp takes longer. */
  async userDevices(userId: string, jids: string[], timeoutMs?: number) {
    if (jids.length === 0 || jids.some((j) => !j.trim())) throw validation('user JIDs are required')
    const users = [...new Set(jids.map((j) => userJid(j, 'jids')))]
    const connection = this.deps.sessions.connection(userId)
    const lookup = connection.userDevices(users)
    const devices = timeoutMs ? await withTimeout(lookup, timeoutMs) : await lookup
    return users.map((jid) => ({
      jid,
      devices: devices
        .filter((d) => d.user === jid || this.sameUser(d, jid))
        .map((d) => ({ deviceId: d.device, platform: platformOf(d.device) })),
    }))
  }

  private sameUser(d: UserDevice, jid: string) {
    return d.user.split('@')[0] === jid.split('@')[0]
  }

  userDevicesWithin(userId: string, jids: string[]) {
    return this.userDevices(userId, jids, DEVICES_TIMEOUT_MS)
  }

  async linkedDevices(userId: string) {
    const connection = this.deps.sessions.connection(userId)
    const own = connection.ownDevice()
    return (await connection.ownDevices()).map((d) => ({
      deviceId: d.device,
      platform: platformOf(d.device),
      connected: d.device === own,
    }))
  }

  devicePlatform(device: number) {
    if (!Number.isInteger(device) || device < 0) throw validation('device ID is required')
    return platformOf(device)
  }

  // ── sync ───────────────────────────────────────────────────────────────────────────────────

  async syncAppState(userId: string, full: boolean): Promise<AppStateSyncResult[]> {
    return this.deps.sessions.connection(userId).syncAppState(full)
  }

  /** ON_DEMAND history for one chat; the chunks arrive as HistorySync events with this request_id. */
  async requestHistory(
    userId: string,
    input: {
      phone: string
      oldestId: string
      oldestTimestampMs: number
      oldestFromMe?: boolean | undefined
      count: number
    },
  ) {
    if (!input.oldestId.trim()) throw validation('oldest_message_id is required')
    if (!(input.oldestTimestampMs > 0)) throw validation('oldest_message_timestamp is required')
    const chat = parseRecipient(input.phone)
    const connection = this.deps.sessions.connection(userId)
    const fromMe =
      input.oldestFromMe ??
      (await this.deps.chats.find(userId, input.oldestId).catch(() => undefined))?.fromMe ??
      false
    const requestId = newRequestId()
    await connection.requestHistory(
      {
        kind: 'chat',
        chat,
        oldest: { id: input.oldestId, fromMe, timestampMs: input.oldestTimestampMs },
        count: input.count,
      },
      requestId,
    )
    return { requestId, chat, count: input.count }
  }

  /** FULL_HISTORY_SYNC_ON_DEMAND; the chunks arrive as HistorySync events with this request_id. */
  async requestFullHistory(
    userId: string,
    config: { daysLimit: number; sizeMbLimit: number; includeGroups: boolean; includeCalls: boolean },
  ) {
    const connection = this.deps.sessions.connection(userId)
    const requestId = newRequestId()
    await connection.requestHistory({ kind: 'full', ...config }, requestId)
    return { requestId, config }
  }

  // ── admin ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Every instance's connection health, paginated (DIGIGO's query strings: `limit` 1–1000, default
   * 200; `offset`; `ids` comma-separated ids or serials; `include_total`): the in-memory session
   * when there is one, else what is stored.
   */
  async instances(query: {
    limit?: string | undefined
    offset?: string | undefined
    ids?: string | undefined
    include_total?: string | undefined
  }) {
    const limit = intParam(query.limit, 200, 1, 1000, 'invalid limit parameter')
    const offset = intParam(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'invalid offset parameter')
    const includeTotal = boolParam(query.include_total, 'invalid include_total parameter')
    const wanted = new Set(
      (query.ids ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    const users = (await this.deps.users.list())
      .filter((u) => wanted.size === 0 || wanted.has(u.id) || wanted.has(String(u.serial)))
      .sort((a, b) => a.serial - b.serial)
    const page = users.slice(offset, offset + limit)
    const hasMore = offset + page.length < users.length
    return {
      items: page.map((user) => ({ user, session: this.deps.sessions.view(user.id) })),
      pagination: {
        limit,
        offset,
        has_more: hasMore,
        next_offset: hasMore ? offset + page.length : null,
        ...(includeTotal ? { total: users.length } : {}),
      },
    }
  }
}

function intParam(value: string | undefined, fallback: number, min: number, max: number, message: string) {
  if (value === undefined || value === '') return fallback
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) throw validation(message)
  return n
}

function boolParam(value: string | undefined, message: string) {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '' || v === 'false' || v === '0') return false
  if (v === 'true' || v === '1') return true
  throw validation(message)
}

function userJid(input: string, field: string): string {
  let jid: string
  try {
    jid = parseRecipient(input)
  } catch {
    throw validation(`${field}: invalid phone or JID: ${input}`)
  }
  if (!jid.endsWith('@s.whatsapp.net') && !jid.endsWith('@lid'))
    throw validation(`${field}: ${input} is not a user (phone number, user JID or LID)`)
  return jid
}

function argb(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = ARGB.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw validation(`${field} must be an ARGB colour as a decimal number (0 to 4294967295)`)
  return n
}

const newRequestId = () => randomBytes(16).toString('hex').toUpperCase()

async function appState(run: () => Promise<void>) {
  try {
    await run()
  } catch (err) {
    if (err instanceof EngineRefusal) throw new AppError('APP_STATE_NOT_READY', err.message)
    throw err
  }
}

function refused(err: unknown) {
  if (err instanceof EngineRefusal)
    return new AppError('WHATSAPP_REFUSED', err.message, { whatsappCode: err.code })
  return err
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('TIMEOUT', 'request timeout while retrieving devices')), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
