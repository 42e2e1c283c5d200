import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type {
  InteractiveCard,
  InteractiveContent,
  NativeButton,
  NormalizedMessage,
  OutboundContent,
} from '../engine/messages.js'
import type { DownloadKind, EncryptedMedia } from '../engine/port.js'
import { EngineRefusal } from '../engine/port.js'
import { messageEvent } from '../events/message-events.js'
import type { MessagesRepository } from '../store/messages.repository.js'
import { AppError } from './errors.js'
import type { IdentityService } from './identity.service.js'
import { type MediaFetcher, sniffMime } from './media.js'
import type { MessageLedger } from './message-ledger.js'
import { rowToMessage } from './messages.model.js'
import type { MonitoringService } from './monitoring.service.js'
import { bare, parseRecipient } from './recipient.js'
import { mapped } from './refusals.js'
import type { SessionsService } from './sessions.service.js'
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
  /**
   * Report the sent message as a `Message` event too (`IsFromAPI` true); when not given, the
   * user's `echoApiMessages` setting decides.
   */
  echo?: boolean | undefined
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

/**
 * Sending, in order per session and at most once per client Id, with the LID of every recipient
 * whose LID is known; and the other things a session does to messages (read, presence, media).
 */
export class MessagesService {
  private readonly sending = new Map<string, Promise<unknown>>()
  /** API sends per user today: { day (UTC, yyyy-mm-dd), count }. */
  private readonly sentToday = new Map<string, { day: string; count: number }>()

  constructor(
    private readonly repo: MessagesRepository,
    private readonly ledger: MessageLedger,
    private readonly sessions: SessionsService,
    private readonly media: MediaFetcher,
    private readonly users: UsersService,
    private readonly identity: IdentityService,
    private readonly monitoring: MonitoringService,
    private readonly options: {
      sendIntervalMs?: number | undefined
      dailySendCap?: number | undefined
      warmupCaps?: number[] | undefined
      /** ECHO_API_MESSAGES_ENABLED: the user setting echoes only when this is on. */
      echoEnabled?: boolean | undefined
    } = {},
  ) {}

  // ── outbound ────────────────────────────────────────────────────────────────────────────────

  async send(userId: string, request: SendRequest): Promise<SendResult> {
    const target = parseRecipient(request.to)
    const repeated = request.id ? await this.sentBefore(userId, request.id) : undefined
    if (repeated) return repeated
    this.sessions.connection(userId)
    const content = await this.materialize(request.content)
    const watched = { to: target, type: content.kind }
    const watch = await this.monitoring.record(userId, 'message.sent', request.id ?? '', watched, 'pending')
    try {
      const result = await this.sendQueued(userId, request, target, content, watch)
      await this.monitoring.update(watch, 'delivered', {
        ...watched,
        id: result.id,
        jid: result.jid,
        lid: result.lid,
      })
      return result
    } catch (err) {
      const error = (err as Error).message
      const code = err instanceof AppError ? err.details.whatsappCode : undefined
      await this.monitoring.update(watch, 'failed', { ...watched, error })
      await this.monitoring.record(
        userId,
        'message.failed',
        request.id ?? '',
        { ...watched, error, code },
        'failed',
      )
      throw err
    }
  }

  private sendQueued(
    userId: string,
    request: SendRequest,
    target: string,
    content: OutboundContent,
    watch: number | undefined,
  ): Promise<SendResult> {
    return this.queue(userId, async () => {
      await this.monitoring.update(watch, 'processing')
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
        // Baileys' own refusals (an unknown group: item-not-found, a lost socket) are 4xx, not 500.
        throw mapped(err)
      }
      const account = this.sessions.account(userId)
      if (sent.targetId) {
        // Our own reaction, edit or delete changes the stored message it points at.
        await this.ledger.applyToTarget(userId, sent, bare(account.jid), [])
        return {
          id: sent.id,
          timestamp: sent.timestamp,
          jid: target.endsWith('@lid') ? '' : target,
          lid,
          repeated: false,
        }
      }
      const pn = target.endsWith('@lid') ? ((await this.identity.phoneOfLid(userId, target)) ?? '') : target
      const stored = await this.ledger.toStored(userId, sent, account, { fromApi: true, status: 'sent' })
      stored.chat = pn.endsWith('@s.whatsapp.net') ? pn : stored.chat
      stored.chatPn = pn.endsWith('@s.whatsapp.net') ? pn : stored.chatPn
      stored.chatLid = lid || stored.chatLid
      const echo =
        request.echo ??
        ((this.options.echoEnabled ?? true) && (await this.users.get(userId)).settings.echoApiMessages)
      await this.ledger.store(userId, stored, sent.raw, echo ? [messageEvent(userId, stored, account)] : [])
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

  /**
   * Asks the phone for a message this session missed or could not decrypt; it arrives later as a
   * `Message` event. Returns the request id ('' when already asked for or already arrived).
   */
  async requestFromPhone(userId: string, chat: string, id: string, sender?: string): Promise<string> {
    const connection = this.sessions.connection(userId)
    const ref = await this.refOf(userId, chat, id, {
      participant: sender ? parseRecipient(sender) : undefined,
    })
    return (await connection.requestFromPhone(ref)) ?? ''
  }

  async chatPresence(userId: string, to: string, state: 'composing' | 'paused' | 'recording'): Promise<void> {
    const jid = parseRecipient(to)
    const lid = jid.endsWith('@s.whatsapp.net') ? await this.identity.lidOfPhone(userId, jid) : undefined
    await this.sessions.connection(userId).sendPresence(state, lid ?? jid)
  }

  /** Sets the account's "about" text. */
  /** Waits for every queued send (shutdown, before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.sending.values()])
  }

  async setAbout(userId: string, text: string): Promise<void> {
    await this.sessions.connection(userId).setAbout(text)
  }

  // ── media ──────────────────────────────────────────────────────────────────────

  /**
   * Downloads and decrypts a received file from its message's media fields; checks its hash.
   * When the file is gone from the media servers and the message is named (`retry`), its
   * sender's phone is asked to upload it again first.
   */
  async download(
    userId: string,
    kind: DownloadKind,
    media: EncryptedMedia & { fileSha256?: string | undefined },
    retry?: { id: string; chat?: string | undefined },
  ): Promise<Buffer> {
    const connection = this.sessions.connection(userId)
    const fetch = (from: EncryptedMedia) =>
      connection.download(kind, from).catch((err: Error) => {
        throw new AppError('MEDIA_UNAVAILABLE', `could not download or decrypt the ${kind}: ${err.message}`)
      })
    let data: Buffer
    try {
      data = await fetch(media)
    } catch (err) {
      if (!retry) throw err
      const row = await this.repo.find(userId, retry.id)
      const chat = row?.chat ?? retry.chat
      if (!chat) throw new AppError('MESSAGE_NOT_FOUND', `no message ${retry.id} stored: give its Chat`)
      const ref = await this.refOf(userId, chat, retry.id)
      const moved = await connection.retryMedia(ref, kind, media).catch((e: Error) => {
        throw new AppError('MEDIA_UNAVAILABLE', e.message)
      })
      data = await fetch({ ...media, directPath: moved.directPath, url: moved.url })
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
}
