import { createHash, randomBytes } from 'node:crypto'
import {
  type AnyMessageContent,
  aesEncryptGCM,
  type BinaryNode,
  generateMessageIDV2,
  getContentType,
  hmacSign,
  jidNormalizedUser,
  proto,
  type WACallEvent,
  type WAMessage,
  type WAMessageKey,
} from 'baileys'
import type { Logger } from 'pino'
import { type TestClient, textOf } from './client.js'

/** A message a virtual contact received, decrypted. */
export interface InboxMessage {
  id: string
  chat: string
  sender: string
  senderAlt: string | undefined
  type: string
  text: string | undefined
  /** For media: SHA-256 (hex) and size of the decrypted file, and its MIME type. */
  media: { sha256: string; size: number; mimetype: string | undefined; base64: string } | undefined
  message: unknown
  timestamp: number
}

export interface SentMessage {
  id: string
  to: string
  status: string
}

/** What the control API accepts for a contact to send. */
export interface SendRequest {
  to: string
  text?: string
  /** Reply to this message id (one the contact sent or received). */
  quoted?: string
  mentions?: string[]
  image?: MediaInput
  video?: MediaInput
  audio?: MediaInput & { ptt?: boolean }
  document?: MediaInput & { fileName?: string }
  sticker?: MediaInput
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  contact?: { displayName: string; vcard: string }
  reaction?: { id: string; emoji: string }
  edit?: { id: string; text: string }
  revoke?: { id: string }
  poll?: { name: string; options: string[]; selectableCount?: number }
  /** A vote on a poll the contact received, by the poll's message id. */
  vote?: { poll: string; options: string[] }
}

export interface MediaInput {
  base64: string
  mimetype?: string
  caption?: string
}

/**
 * An account on the test network whose device is a real Baileys client run by the network, so it
 * sends and decrypts real end-to-end messages. Optionally answers every text with the same text.
 */
export class VirtualContact {
  readonly inbox: InboxMessage[] = []
  readonly sent = new Map<string, SentMessage>()
  /** Call events the contact's client saw (offers it got, rejections of its calls…). */
  readonly calls: { id: string; from: string; chat: string; status: string }[] = []
  private readonly known = new Map<string, WAMessage>()

  constructor(
    readonly phone: string,
    readonly client: TestClient,
    private readonly log: Logger,
    readonly echo = false,
    /** Told of every message the contact sends (the network keeps the recipient phone's copy). */
    private readonly onSent: (to: string, message: WAMessage) => void = () => undefined,
  ) {
    client.on('messages.upsert', (upsert: { messages: WAMessage[]; type: string }) => {
      for (const message of upsert.messages)
        this.onMessage(message).catch((err) => log.warn({ err }, 'inbox'))
    })
    client.on('messages.update', (updates: { key: WAMessageKey; update: { status?: number | null } }[]) => {
      for (const { key, update } of updates) this.setStatus(key.id, update.status)
    })
    client.on('call', (calls: WACallEvent[]) => {
      for (const c of calls) this.calls.push({ id: c.id, from: c.from, chat: c.chatId, status: c.status })
    })
  }

  /** Places a voice (or video) call to `to`: a `<call><offer>` as WhatsApp clients send it. Returns its id. */
  async call(to: string, video = false): Promise<string> {
    const socket = this.client.socket
    if (!socket?.user) throw new Error('contact is not connected')
    const id = randomBytes(16).toString('hex').toUpperCase()
    const media: BinaryNode[] = [
      { tag: 'audio', attrs: { enc: 'opus', rate: '16000' } },
      { tag: 'audio', attrs: { enc: 'opus', rate: '8000' } },
      ...(video ? [{ tag: 'video', attrs: { enc: 'vp8', dec: 'vp8', orientation: '0' } }] : []),
    ]
    await socket.sendNode({
      tag: 'call',
      attrs: { to, id: generateMessageIDV2(socket.user.id) },
      content: [
        {
          tag: 'offer',
          attrs: { 'call-id': id, 'call-creator': jidNormalizedUser(socket.user.id) },
          content: [
            ...media,
            { tag: 'net', attrs: { medium: '3' } },
            { tag: 'encopt', attrs: { keygen: '2' } },
          ],
        },
      ],
    })
    return id
  }

  /** Hangs up a call the contact placed. */
  async endCall(to: string, callId: string): Promise<void> {
    const socket = this.client.socket
    if (!socket?.user) throw new Error('contact is not connected')
    await socket.sendNode({
      tag: 'call',
      attrs: { to, id: generateMessageIDV2(socket.user.id) },
      content: [
        { tag: 'terminate', attrs: { 'call-id': callId, 'call-creator': jidNormalizedUser(socket.user.id) } },
      ],
    })
  }

  async send(request: SendRequest): Promise<string> {
    const socket = this.client.socket
    if (!socket) throw new Error('contact is not connected')
    if (request.vote) return this.vote(request.to, request.vote)
    const content = this.content(request)
    const quoted = request.quoted ? this.known.get(request.quoted) : undefined
    const result = await socket.sendMessage(request.to, content, quoted ? { quoted } : {})
    if (!result?.key.id) throw new Error('send failed')
    this.known.set(result.key.id, result)
    this.sent.set(result.key.id, { id: result.key.id, to: request.to, status: 'PENDING' })
    this.onSent(request.to, result)
    return result.key.id
  }

  /**
   * A poll vote, encrypted as WhatsApp does: AES-GCM with a key derived from the poll's message
   * secret, the poll id and the creator's and voter's JIDs (the inverse of Baileys' decryptPollVote).
   */
  private async vote(to: string, vote: { poll: string; options: string[] }): Promise<string> {
    const socket = this.client.socket!
    const poll = this.known.get(vote.poll)
    const secret = poll?.message?.messageContextInfo?.messageSecret
    if (!poll?.key.id || !secret) throw new Error(`no poll ${vote.poll} received`)
    const creator = jidNormalizedUser(poll.key.participant || poll.key.remoteJid || '')
    const voter = jidNormalizedUser(socket.user?.id)
    const payload = proto.Message.PollVoteMessage.encode({
      selectedOptions: vote.options.map((o) => createHash('sha256').update(o).digest()),
    }).finish()
    const sign = Buffer.concat([
      Buffer.from(poll.key.id),
      Buffer.from(creator),
      Buffer.from(voter),
      Buffer.from('Poll Vote'),
      Buffer.from([1]),
    ])
    const key = hmacSign(sign, hmacSign(Buffer.from(secret), new Uint8Array(32), 'sha256'), 'sha256')
    const iv = randomBytes(12)
    const encPayload = aesEncryptGCM(payload, key, iv, Buffer.from(`${poll.key.id}\u0000${voter}`))
    const id = generateMessageIDV2(socket.user?.id)
    await socket.relayMessage(
      to,
      {
        pollUpdateMessage: {
          pollCreationMessageKey: { ...poll.key, fromMe: false },
          vote: { encPayload, encIv: iv },
          senderTimestampMs: Date.now(),
        },
      },
      { messageId: id },
    )
    this.sent.set(id, { id, to, status: 'PENDING' })
    return id
  }

  private content(r: SendRequest): AnyMessageContent {
    const media = (m: MediaInput) => Buffer.from(m.base64, 'base64')
    const key = (id: string) => this.known.get(id)?.key ?? { id, remoteJid: r.to, fromMe: true }
    const mentions = r.mentions ? { mentions: r.mentions } : {}
    if (r.image)
      return { image: media(r.image), caption: r.image.caption, mimetype: r.image.mimetype, ...mentions }
    if (r.video) return { video: media(r.video), caption: r.video.caption, mimetype: r.video.mimetype }
    if (r.audio)
      return {
        audio: media(r.audio),
        mimetype: r.audio.mimetype ?? 'audio/ogg; codecs=opus',
        ptt: r.audio.ptt,
      }
    if (r.document) {
      return {
        document: media(r.document),
        mimetype: r.document.mimetype ?? 'application/octet-stream',
        fileName: r.document.fileName,
        caption: r.document.caption,
      }
    }
    if (r.sticker) return { sticker: media(r.sticker), mimetype: r.sticker.mimetype ?? 'image/webp' }
    if (r.location) {
      return {
        location: {
          degreesLatitude: r.location.latitude,
          degreesLongitude: r.location.longitude,
          name: r.location.name,
          address: r.location.address,
        },
      }
    }
    if (r.contact)
      return { contacts: { displayName: r.contact.displayName, contacts: [{ vcard: r.contact.vcard }] } }
    if (r.reaction) return { react: { text: r.reaction.emoji, key: key(r.reaction.id) } }
    if (r.edit) return { text: r.edit.text, edit: key(r.edit.id) }
    if (r.revoke) return { delete: key(r.revoke.id) }
    if (r.poll) {
      return {
        poll: { name: r.poll.name, values: r.poll.options, selectableCount: r.poll.selectableCount ?? 1 },
      }
    }
    if (r.text !== undefined) return { text: r.text, ...mentions }
    throw new Error('nothing to send: give text or one message type')
  }

  private async onMessage(message: WAMessage) {
    if (!message.key.id) return
    this.known.set(message.key.id, message)
    if (message.key.fromMe) {
      this.setStatus(message.key.id, message.status)
      return
    }
    const type = getContentType(message.message ?? undefined) ?? 'unknown'
    if (type === 'protocolMessage' && message.message?.protocolMessage?.type === undefined) return
    const entry: InboxMessage = {
      id: message.key.id,
      chat: message.key.remoteJid ?? '',
      sender: message.key.participant || message.key.remoteJid || '',
      senderAlt: message.key.participantAlt || message.key.remoteJidAlt || undefined,
      type,
      text: textOf(message) ?? captionOf(message),
      media: await this.download(message, type),
      message: proto.Message.toObject(proto.Message.fromObject(message.message ?? {}), {
        bytes: String,
        longs: Number,
      }),
      timestamp: Number(message.messageTimestamp ?? 0),
    }
    this.inbox.push(entry)
    if (this.echo && entry.text && this.client.socket && message.key.remoteJid) {
      await this.client.socket.sendMessage(message.key.remoteJid, { text: entry.text })
    }
  }

  private async download(message: WAMessage, type: string): Promise<InboxMessage['media']> {
    if (
      !['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage'].includes(type)
    ) {
      return undefined
    }
    try {
      const bytes = await this.client.download(message)
      const inner = (message.message as Record<string, { mimetype?: string | null }>)[type]
      return {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        mimetype: inner?.mimetype ?? undefined,
        base64: bytes.toString('base64'),
      }
    } catch (err) {
      this.log.warn({ err }, 'media download failed')
      return undefined
    }
  }

  private setStatus(id: string | null | undefined, status: number | string | null | undefined) {
    const sent = id ? this.sent.get(id) : undefined
    if (!sent || status === null || status === undefined) return
    const name = typeof status === 'number' ? proto.WebMessageInfo.Status[status] : status
    if (name) sent.status = name
  }
}

function captionOf(message: WAMessage): string | undefined {
  const m = message.message
  return m?.imageMessage?.caption ?? m?.videoMessage?.caption ?? m?.documentMessage?.caption ?? undefined
}
