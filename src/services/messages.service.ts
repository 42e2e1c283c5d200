import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type {
  InteractiveCard,
  InteractiveContent,
  NativeButton,
  NormalizedMessage,
  OutboundContent,
  Receipt,
} from '../engine/messages.js'
import type { ChatChange, ContactInfo, DownloadKind, EncryptedMedia } from '../engine/port.js'
import { EngineRefusal } from '../engine/port.js'
import type { NewEvent } from '../events/event.js'
import { messageEvent, messageUpdateEvent, presenceEvent, receiptEvent } from '../events/message-events.js'
import type { Outbox } from '../events/outbox.js'
import type { MessagesRepository } from '../store/messages.repository.js'
import type { DB } from '../store/schema.js'
import { AppError } from './errors.js'
import type { IdentityService } from './identity.service.js'
import { type MediaFetcher, sniffMime } from './media.js'
import { messageToRow, rowToMessage, type StoredMessage } from './messages.model.js'
import { bare, pair, parseRecipient } from './recipient.js'
import type { InboundSink, SessionsService } from './sessions.service.js'
import type { UsersService } from './users.service.js'

type MediaContent = Extract<OutboundContent, { data: Buffer }>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type { NativeButton }

type HeaderSource = {
  type: 'image' | 'video' | 'document'
  source: string
  mimetype?: string | undefined
  fileName?: string | undefined
}
type CardRequest = Omit<InteractiveCard, 'header'> & { header?: HeaderSource | undefined }
export type InteractiveRequest = { kind: 'interactive'; cards?: CardRequest[] | undefined } & CardRequest

/** Content as a client gives it: media as a data URL, base64 or URL still to be fetched. */
export type ContentRequest =
  | Exclude<OutboundContent, MediaContent | InteractiveContent>
  | InteractiveRequest
  | (DistributiveOmit<MediaContent, 'data' | 'mimetype'> & { source: string; mimetype?: string | undefined })

export interface SendRequest {
  /** Phone number (digits, `+` and spaces allowed) or a JID (user, LID, group, newsletter). */
  to: string
  content: ContentRequest
  id?: string | undefined
  quoted?: { id: string; participant?: string | undefined; text?: string | undefined } | undefined
  mentions?: string[] | undefined
  mentionAll?: boolean | undefined
  forwarded?: boolean | undefined
  ephemeralSeconds?: number | undefined
  /** Milliseconds of typing (or recording, for audio) shown before sending. */
  presenceMs?: number | undefined
  /** Check the number is on WhatsApp first (refuses with 404 when it is not). */
  numberCheck?: boolean | undefined
}

export interface SendResult {
  id: string
  timestamp: number
  /** The recipient's phone JID and LID ('' when unknown). */
  jid: string
  lid: string
  /** True when this Id had been sent before: nothing was sent again. */
  repeated: boolean
}

type InboundEvent = Parameters<InboundSink['handle']>[2]
type Account = { jid: string; lid: string }

/**
 * Every message in and out: stored once (the id is the key), reported through the outbox in the
 * same transaction, sent in order per session, with the LID ↔ phone identity of everyone seen.
 */
export class MessagesService implements InboundSink {
  private readonly inbound = new Map<string, Promise<void>>()
  private readonly sending = new Map<string, Promise<unknown>>()
  /** API sends per user today: { day (UTC, yyyy-mm-dd), count }. */
  private readonly sentToday = new Map<string, { day: string; count: number }>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: MessagesRepository,
    private readonly outbox: Outbox,
    private readonly sessions: SessionsService,
    private readonly media: MediaFetcher,
    private readonly users: UsersService,
    private readonly identity: IdentityService,
    private readonly log: Logger,
    private readonly options: {
      sendIntervalMs?: number | undefined
      dailySendCap?: number | undefined
      warmupCaps?: number[] | undefined
    } = {},
  ) {
    sessions.setInbound(this)
  }

  // ── outbound ────────────────────────────────────────────────────────────────────────────────

  async send(userId: string, request: SendRequest): Promise<SendResult> {
    const target = parseRecipient(request.to)
    const repeated = request.id ? await this.sentBefore(userId, request.id) : undefined
    if (repeated) return repeated
    this.sessions.connection(userId)
    const content = await this.materialize(request.content)
    return this.queue(userId, async () => {
      const again = request.id ? await this.sentBefore(userId, request.id) : undefined
      if (again) return again
      const connection = this.sessions.connection(userId)
      const today = await this.withinCap(userId)
      let to = target
      let lid = ''
      if (target.endsWith('@s.whatsapp.net')) {
        if (request.numberCheck) {
          const [check] = await connection.checkNumbers([target.split('@')[0]!])
          if (!check?.exists)
            throw new AppError('NOT_ON_WHATSAPP', `${target.split('@')[0]} is not on WhatsApp`)
          if (check.lid) await this.identity.learn(userId, [{ lid: check.lid, pn: target }])
        }
        lid = (await this.identity.lidOfPhone(userId, target)) ?? ''
        // A phone number whose LID is known is addressed by its LID, as WhatsApp now does.
        if (lid) to = lid
      } else if (target.endsWith('@lid')) {
        lid = target
      }
      if (request.presenceMs && request.presenceMs > 0) {
        await connection.sendPresence(content.kind === 'audio' ? 'recording' : 'composing', to)
        await sleep(Math.min(request.presenceMs, 30_000))
        await connection.sendPresence('paused', to).catch(() => undefined)
      }
      const quoted = request.quoted ? await this.quoteOf(userId, request.quoted, target) : undefined
      let sent: NormalizedMessage
      try {
        sent = await connection.send(to, content, {
          id: request.id,
          quoted,
          mentions: request.mentions,
          mentionAll: request.mentionAll,
          forwarded: request.forwarded,
          ephemeralSeconds: request.ephemeralSeconds,
        })
      } catch (err) {
        if (err instanceof EngineRefusal)
          throw new AppError('WHATSAPP_REFUSED', `WhatsApp refused the message (code ${err.code})`, {
            whatsappCode: err.code,
          })
        throw err
      }
      const account = this.sessions.account(userId)
      if (sent.targetId) {
        // Our own reaction, edit or delete changes the stored message it points at.
        await this.applyToTarget(userId, sent, bare(account.jid), [])
        return {
          id: sent.id,
          timestamp: sent.timestamp,
          jid: target.endsWith('@lid') ? '' : target,
          lid,
          repeated: false,
        }
      }
      const pn = target.endsWith('@lid') ? ((await this.identity.phoneOfLid(userId, target)) ?? '') : target
      const stored = await this.toStored(userId, sent, account, { fromApi: true, status: 'sent' })
      stored.chat = pn.endsWith('@s.whatsapp.net') ? pn : stored.chat
      stored.chatPn = pn.endsWith('@s.whatsapp.net') ? pn : stored.chatPn
      stored.chatLid = lid || stored.chatLid
      await this.store(userId, stored, sent.raw, [])
      today.count++
      return {
        id: sent.id,
        timestamp: sent.timestamp,
        jid: stored.chatPn,
        lid: stored.chatLid,
        repeated: false,
      }
    })
  }

  /**
   * Refuses a send beyond the number's cap for today: the warm-up cap of its first days, then the
   * daily cap (both off by default). Returns today's counter, counted again from the store after
   * a restart.
   */
  private async withinCap(userId: string): Promise<{ day: string; count: number }> {
    const { dailySendCap = 0, warmupCaps = [] } = this.options
    const day = new Date().toISOString().slice(0, 10)
    let today = this.sentToday.get(userId)
    if (!today || today.day !== day) {
      const since = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000)
      today = {
        day,
        count: dailySendCap || warmupCaps.length ? await this.repo.countSentSince(userId, since) : 0,
      }
      this.sentToday.set(userId, today)
    }
    if (!dailySendCap && warmupCaps.length === 0) return today
    const user = await this.users.get(userId)
    const age = Math.floor(
      (Date.parse(`${day}T00:00:00Z`) - Date.parse(user.createdAt.slice(0, 10))) / 86_400_000,
    )
    const cap = age < warmupCaps.length ? warmupCaps[age]! : dailySendCap
    if (cap > 0 && today.count >= cap)
      throw new AppError(
        'SEND_CAP_REACHED',
        `this number may send ${cap} messages today${age < warmupCaps.length ? ` (warm-up day ${age + 1})` : ''}; try again tomorrow`,
      )
    return today
  }

  /** Media given as a data URL, base64 or URL → checked bytes and MIME type. */
  private async materialize(content: ContentRequest): Promise<OutboundContent> {
    if (content.kind === 'text' && content.linkPreview) {
      const url = /https?:\/\/[^\s]+/i.exec(content.text)?.[0]
      const preview = url ? await this.media.linkPreview(url) : undefined
      return { ...content, preview }
    }
    if (content.kind === 'interactive') {
      const header = async (h: HeaderSource | undefined) => {
        if (!h) return undefined
        const fetched = await this.media.resolve(h.source, h.type, h.mimetype)
        return { type: h.type, data: fetched.data, mimetype: fetched.mimetype, fileName: h.fileName }
      }
      const cards = content.cards
        ? await Promise.all(content.cards.map(async (c) => ({ ...c, header: await header(c.header) })))
        : undefined
      return { ...content, header: await header(content.header), cards }
    }
    if (!('source' in content)) return content
    const { source, mimetype, ...rest } = content
    const fetched = await this.media.resolve(source, content.kind, mimetype)
    return { ...rest, data: fetched.data, mimetype: fetched.mimetype } as OutboundContent
  }

  private async sentBefore(userId: string, id: string): Promise<SendResult | undefined> {
    const row = await this.repo.find(userId, id)
    if (row?.from_me !== 1) return undefined
    const m = rowToMessage(row)
    return { id: m.id, timestamp: m.timestamp, jid: m.chatPn, lid: m.chatLid, repeated: true }
  }

  /** The quoted message as WhatsApp needs it: its sender, and its text for the preview. */
  private async quoteOf(userId: string, quoted: NonNullable<SendRequest['quoted']>, chat: string) {
    const row = await this.repo.find(userId, quoted.id)
    const m = row ? rowToMessage(row) : undefined
    const participant =
      quoted.participant ||
      (m
        ? m.fromMe
          ? this.sessions.account(userId).jid.replace(/:\d+@/, '@')
          : m.senderPn || m.senderLid
        : chat)
    return { id: quoted.id, participant, text: quoted.text ?? m?.text }
  }

  /** Runs sends one after another per session, at least `sendIntervalMs` apart. */
  private queue<T>(userId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.sending.get(userId) ?? Promise.resolve()
    const interval = this.options.sendIntervalMs ?? 0
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        try {
          return await run()
        } finally {
          if (interval > 0) await sleep(interval)
        }
      })
    this.sending.set(userId, next)
    void next
      .finally(() => this.sending.get(userId) === next && this.sending.delete(userId))
      .catch(() => undefined)
    return next
  }

  /**
   * The message `id` in `chat` as a reference: from the store when known, else from what the
   * caller says (`fromMe`, the `participant` who wrote it in a group).
   */
  async refOf(
    userId: string,
    chat: string,
    id: string,
    hint: { fromMe?: boolean; participant?: string } = {},
  ) {
    const jid = parseRecipient(chat)
    const row = await this.repo.find(userId, id)
    const m = row ? rowToMessage(row) : undefined
    const fromMe = m?.fromMe ?? hint.fromMe ?? false
    const participant = jid.endsWith('@g.us')
      ? hint.participant || (m && !m.fromMe ? m.senderLid || m.senderPn : undefined)
      : undefined
    const to = m?.chatLid && jid.endsWith('@s.whatsapp.net') ? m.chatLid : m ? m.chat : jid
    return { id, chat: jid.endsWith('@g.us') ? jid : to, fromMe, participant: participant || undefined }
  }

  async markRead(userId: string, chat: string, ids: string[], sender?: string): Promise<void> {
    const connection = this.sessions.connection(userId)
    const refs = await Promise.all(
      ids.map((id) =>
        this.refOf(userId, chat, id, { participant: sender ? parseRecipient(sender) : undefined }),
      ),
    )
    await connection.markRead(refs.map((r) => ({ ...r, fromMe: false })))
    const jid = parseRecipient(chat)
    await this.repo.setChat(userId, jid.endsWith('@lid') ? await this.identity.phoneOf(userId, jid) : jid, {
      unread: 0,
    })
  }

  async chatPresence(userId: string, to: string, state: 'composing' | 'paused' | 'recording'): Promise<void> {
    const jid = parseRecipient(to)
    const lid = jid.endsWith('@s.whatsapp.net') ? await this.identity.lidOfPhone(userId, jid) : undefined
    await this.sessions.connection(userId).sendPresence(state, lid ?? jid)
  }

  // ── inbound ─────────────────────────────────────────────────────────────────────────────────

  handle(userId: string, account: Account, event: InboundEvent): void {
    const previous = this.inbound.get(userId) ?? Promise.resolve()
    const next = previous
      .then(() => this.apply(userId, account, event))
      .catch((err) => this.log.error({ err, userId, type: event.type }, 'storing an inbound event failed'))
    this.inbound.set(userId, next)
  }

  /** Resolves once every inbound event handed over so far for the user is stored. */
  async settled(userId: string): Promise<void> {
    await this.inbound.get(userId)
  }

  /** Waits for every queued send and inbound write (shutdown, before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inbound.values(), ...this.sending.values()])
  }

  async rawMessage(userId: string, id: string): Promise<string | undefined> {
    return (await this.repo.find(userId, id))?.raw ?? undefined
  }

  private async apply(userId: string, account: Account, event: InboundEvent): Promise<void> {
    switch (event.type) {
      case 'identities':
        return this.identity.learn(userId, event.pairs)
      case 'messages':
        for (const message of event.messages) await this.ingest(userId, account, message)
        return
      case 'receipts':
        for (const receipt of event.receipts) await this.receipt(userId, account, receipt)
        return
      case 'contacts': {
        const now = new Date().toISOString()
        await this.identity.learn(
          userId,
          event.contacts.flatMap((c) =>
            c.lid && c.jid.endsWith('@s.whatsapp.net') ? [{ lid: c.lid, pn: c.jid }] : [],
          ),
        )
        for (const c of event.contacts) await this.repo.saveContact(userId, contactRow(c), now)
        return
      }
      case 'presence': {
        const who = await this.identity.phoneOf(userId, event.who)
        const chat = await this.identity.phoneOf(userId, event.chat)
        await this.outbox.append([presenceEvent(userId, account, { ...event, who, chat })])
        return
      }
    }
  }

  private async ingest(userId: string, account: Account, message: NormalizedMessage) {
    const pairs = [pair(message.chat, message.chatAlt), pair(message.sender, message.senderAlt)].filter(
      (p) => p !== undefined,
    )
    await this.identity.learn(userId, pairs)
    const stored = await this.toStored(userId, message, account, {
      fromApi: false,
      status: message.fromMe ? 'sent' : 'received',
    })
    if (!stored.fromMe && stored.pushName && (stored.senderPn || stored.senderLid))
      await this.repo.saveContact(
        userId,
        contactRow({
          jid: stored.senderPn || stored.senderLid,
          lid: stored.senderLid,
          pushName: stored.pushName,
        }),
        new Date().toISOString(),
      )
    const events: NewEvent[] = [
      messageEvent(userId, stored, account, message.targetId ? { targetId: message.targetId } : {}),
    ]
    if (message.targetId) {
      const by = stored.senderPn || stored.senderLid
      const change = (data: object) =>
        messageUpdateEvent(userId, account, {
          kind: message.type,
          targetId: message.targetId!,
          chat: stored.chatPn || stored.chat,
          by,
          sourceId: message.id,
          data,
        })
      if (message.type === 'reaction') events.push(change({ Reaction: message.reaction ?? '' }))
      if (message.type === 'edit') events.push(change({ Text: message.text }))
      if (message.type === 'revoke') events.push(change({}))
      if (message.type === 'poll_vote') events.push(change({ Votes: message.votes ?? [] }))
      await this.applyToTarget(userId, message, by, events)
      return
    }
    await this.store(userId, stored, message.raw, events)
  }

  /** Edits, revokes, reactions and votes change the message they point at (when it is stored). */
  private async applyToTarget(userId: string, message: NormalizedMessage, by: string, events: NewEvent[]) {
    await this.db.transaction().execute(async (tx) => {
      const row = await this.repo.find(userId, message.targetId!, tx)
      if (row) {
        const target = rowToMessage(row)
        const at = new Date().toISOString()
        if (message.type === 'edit')
          await this.repo.update(
            userId,
            target.id,
            { text: message.text, edited_at: message.timestamp, updated_at: at },
            tx,
          )
        if (message.type === 'revoke')
          await this.repo.update(userId, target.id, { revoked_at: message.timestamp, updated_at: at }, tx)
        if (message.type === 'reaction') {
          const reactions = { ...target.reactions }
          if (message.reaction) reactions[by] = message.reaction
          else delete reactions[by]
          await this.repo.update(
            userId,
            target.id,
            { reactions: JSON.stringify(reactions), updated_at: at },
            tx,
          )
        }
        if (message.type === 'poll_vote') {
          const votes = { ...target.votes, [by]: message.votes ?? [] }
          await this.repo.update(userId, target.id, { votes: JSON.stringify(votes), updated_at: at }, tx)
        }
      }
      await this.outbox.append(events, tx)
    })
    this.outbox.notify()
  }

  private async receipt(userId: string, account: Account, receipt: Receipt) {
    const chat = await this.identity.phoneOf(userId, receipt.chat)
    const by = await this.identity.phoneOf(userId, receipt.by)
    const events: NewEvent[] = []
    await this.db.transaction().execute(async (tx) => {
      for (const id of receipt.ids) {
        const row = await this.repo.find(userId, id, tx)
        if (!row) continue
        if (receipt.status !== 'failed' && rank(receipt.status) <= rank(row.status)) continue
        await this.repo.update(
          userId,
          id,
          { status: receipt.status, error_code: receipt.code ?? null, updated_at: new Date().toISOString() },
          tx,
        )
        events.push(
          messageUpdateEvent(userId, account, {
            kind: 'status',
            targetId: id,
            chat,
            by,
            sourceId: receipt.status,
            data: { Status: receipt.status, ...(receipt.code ? { Code: receipt.code } : {}) },
          }),
        )
      }
      if (receipt.status !== 'sent') events.push(receiptEvent(userId, account, receipt, chat, by))
      await this.outbox.append(events, tx)
    })
    this.outbox.notify()
  }

  /** Stores a new message with its events, or (a duplicate) does nothing at all. */
  private async store(userId: string, m: StoredMessage, raw: string, events: NewEvent[]) {
    const at = new Date().toISOString()
    await this.db.transaction().execute(async (tx) => {
      if (!(await this.repo.insert(messageToRow(userId, m, raw, at), tx))) return
      const group = m.chat.endsWith('@g.us')
      await this.repo.touchChat(
        userId,
        {
          jid: m.chatPn || m.chat,
          lid: m.chatLid,
          name: !group && !m.fromMe ? m.pushName : '',
          at: m.timestamp,
          inbound: !m.fromMe,
        },
        at,
        tx,
      )
      await this.outbox.append(events, tx)
    })
    this.outbox.notify()
  }

  private async toStored(
    userId: string,
    m: NormalizedMessage,
    account: Account,
    how: { fromApi: boolean; status: StoredMessage['status'] },
  ): Promise<StoredMessage> {
    const chat = await this.identity.both(userId, m.chat, m.chatAlt)
    const sender = m.fromMe
      ? { pn: bare(account.jid), lid: bare(account.lid) }
      : await this.identity.both(userId, m.sender, m.senderAlt)
    return {
      id: m.id,
      chat: chat.pn || m.chat,
      chatPn: chat.pn,
      chatLid: chat.lid,
      senderPn: sender.pn,
      senderLid: sender.lid,
      fromMe: m.fromMe,
      fromApi: how.fromApi,
      pushName: m.pushName,
      type: m.type,
      text: m.text,
      media: m.media,
      quotedId: m.quotedId ?? '',
      timestamp: m.timestamp,
      status: how.status,
      errorCode: undefined,
      editedAt: undefined,
      revokedAt: undefined,
      reactions: {},
      votes: {},
      content: m.content,
    }
  }

  /** Sets the account's "about" text. */
  async setAbout(userId: string, text: string): Promise<void> {
    await this.sessions.connection(userId).setAbout(text)
  }

  // ── chat settings (app-state patches) ───────────────────────────────────────────────────────

  /** Archives, pins, mutes or deletes a chat, or stars a message, on every device of the account. */
  async modifyChat(
    userId: string,
    chatInput: string,
    change:
      | { kind: 'archive'; archive: boolean }
      | { kind: 'pin'; pin: boolean }
      | { kind: 'mute'; until: number | null }
      | { kind: 'star'; id: string; star: boolean; fromMe?: boolean | undefined }
      | { kind: 'delete' },
  ): Promise<string> {
    const connection = this.sessions.connection(userId)
    const chat = parseRecipient(chatInput)
    const lid = chat.endsWith('@s.whatsapp.net') ? await this.identity.lidOfPhone(userId, chat) : undefined
    const [newest] = await this.repo.history(userId, lid ? [chat, lid] : [chat], 1)
    const last = newest
      ? {
          id: newest.id,
          fromMe: newest.from_me === 1,
          participant:
            chat.endsWith('@g.us') && newest.from_me !== 1
              ? newest.sender_lid || newest.sender_pn
              : undefined,
          timestamp: Number(newest.timestamp),
        }
      : undefined
    let engineChange: ChatChange
    if (change.kind === 'star') {
      const row = await this.repo.find(userId, change.id)
      engineChange = {
        kind: 'star',
        id: change.id,
        star: change.star,
        fromMe: change.fromMe ?? row?.from_me === 1,
      }
    } else if (change.kind === 'archive' || change.kind === 'delete') {
      engineChange = { ...change, last }
    } else {
      engineChange = change
    }
    try {
      await connection.modifyChat(chat, engineChange)
    } catch (err) {
      if (err instanceof EngineRefusal) throw new AppError('APP_STATE_NOT_READY', err.message)
      throw err
    }
    if (change.kind === 'archive') await this.repo.setChat(userId, chat, { archived: change.archive ? 1 : 0 })
    if (change.kind === 'pin') await this.repo.setChat(userId, chat, { pinned: change.pin ? 1 : 0 })
    if (change.kind === 'mute')
      await this.repo.setChat(userId, chat, {
        muted_until: change.until === null ? 0 : change.until === -1 ? -1 : Math.floor(change.until / 1000),
      })
    return chat
  }

  // ── media ──────────────────────────────────────────────────────────────────────

  /** Downloads and decrypts a received file from its message's media fields; checks its hash. */
  async download(
    userId: string,
    kind: DownloadKind,
    media: EncryptedMedia & { fileSha256?: string | undefined },
  ): Promise<Buffer> {
    const connection = this.sessions.connection(userId)
    let data: Buffer
    try {
      data = await connection.download(kind, media)
    } catch (err) {
      throw new AppError(
        'MEDIA_UNAVAILABLE',
        `could not download or decrypt the ${kind}: ${(err as Error).message}`,
      )
    }
    if (media.fileSha256 && createHash('sha256').update(data).digest('base64') !== media.fileSha256)
      throw new AppError('MEDIA_UNAVAILABLE', `the ${kind} does not match FileSHA256`)
    return data
  }

  /** Uploads a file to WhatsApp's media servers (checked like any media) and says where it is. */
  async upload(userId: string, data: Buffer, declared: string | undefined) {
    const connection = this.sessions.connection(userId)
    const sniffed = sniffMime(data) ?? declared ?? ''
    const kind: DownloadKind = sniffed.startsWith('image/')
      ? 'image'
      : sniffed.startsWith('video/')
        ? 'video'
        : sniffed.startsWith('audio/')
          ? 'audio'
          : 'document'
    const checked = this.media.check(data, kind, declared)
    return {
      kind,
      ...(await connection.upload(kind, checked.data, checked.mimetype)),
      mimetype: checked.mimetype,
    }
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────────

  /** A chat's messages, newest first; `before` is the id of the oldest message already seen. */
  async history(
    user: { id: string; history: number },
    chat: string,
    limit: number,
    before?: string,
  ): Promise<StoredMessage[]> {
    if (user.history <= 0)
      throw new AppError('HISTORY_DISABLED', 'message history is disabled for this user (set its history)')
    const userId = user.id
    const jid = parseRecipient(chat)
    const chats = [jid]
    if (jid.endsWith('@s.whatsapp.net')) {
      const lid = await this.identity.lidOfPhone(userId, jid)
      if (lid) chats.push(lid)
    } else if (jid.endsWith('@lid')) {
      const pn = await this.identity.phoneOfLid(userId, jid)
      if (pn) chats.push(pn)
    }
    let cursor: { timestamp: number; createdAt: string } | undefined
    if (before) {
      const row = await this.repo.find(userId, before)
      if (!row) throw new AppError('MESSAGE_NOT_FOUND', `no message ${before}`)
      cursor = { timestamp: Number(row.timestamp), createdAt: row.created_at }
    }
    return (await this.repo.history(userId, chats, limit, cursor)).map(rowToMessage)
  }

  /** Everyone this number has names for. */
  async contacts(userId: string) {
    return (await this.repo.contacts(userId)).map((c) => ({
      jid: c.jid,
      lid: c.lid,
      pushName: c.push_name,
      fullName: c.full_name,
      firstName: c.first_name,
      businessName: c.business_name,
    }))
  }

  /** The user's chats: pinned first, then the most recent. */
  async chats(userId: string) {
    return (await this.repo.chats(userId)).map((c) => ({
      jid: c.jid,
      lid: c.lid,
      name: c.name,
      lastMessageAt: Number(c.last_message_at),
      unread: c.unread,
      pinned: c.pinned === 1,
      archived: c.archived === 1,
      mutedUntil: Number(c.muted_until),
    }))
  }

  async find(userId: string, id: string): Promise<StoredMessage> {
    const row = await this.repo.find(userId, id)
    if (!row) throw new AppError('MESSAGE_NOT_FOUND', `no message ${id}`)
    return rowToMessage(row)
  }
}

const ORDER = ['received', 'sent', 'delivered', 'read', 'played']
const rank = (status: string) => ORDER.indexOf(status)

const contactRow = (c: ContactInfo) => ({
  jid: c.jid,
  lid: c.lid ?? '',
  push_name: c.pushName ?? '',
  full_name: c.fullName ?? '',
  first_name: c.firstName ?? '',
  business_name: c.businessName ?? '',
})
