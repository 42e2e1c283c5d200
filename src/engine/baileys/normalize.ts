import {
  getContentType,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  toNumber,
  type WAMessage,
} from 'baileys'
import {
  type MediaInfo,
  mediaKindOf,
  type NormalizedMessage,
  type Receipt,
  type ReceiptStatus,
} from '../messages.js'

const b64 = (v: Uint8Array | string | null | undefined) =>
  v == null ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('base64')
const num = (v: unknown) => (v == null ? undefined : toNumber(v as number))
const user = (jid: string | null | undefined) => (jid ? jidNormalizedUser(jid) : undefined)

/** WhatsApp's proto as plain JSON (bytes as base64, longs as numbers). */
export function protoJson(message: proto.IMessage): Record<string, unknown> {
  return proto.Message.toObject(proto.Message.fromObject(message), {
    longs: Number,
    bytes: String,
    enums: String,
  }) as Record<string, unknown>
}

/** The message as WhatsApp's protobuf bytes (base64): exact, and what retries re-send. */
export const serialize = (message: proto.IMessage) =>
  Buffer.from(proto.Message.encode(proto.Message.fromObject(message)).finish()).toString('base64')
export const deserialize = (raw: string): proto.IMessage => proto.Message.decode(Buffer.from(raw, 'base64'))

type MediaMessage = {
  mimetype?: string | null
  fileName?: string | null
  fileLength?: unknown
  fileSha256?: Uint8Array | null
  fileEncSha256?: Uint8Array | null
  mediaKey?: Uint8Array | null
  directPath?: string | null
  url?: string | null
  seconds?: number | null
  width?: number | null
  height?: number | null
  ptt?: boolean | null
  caption?: string | null
  contextInfo?: proto.IContextInfo | null
}

export function mediaInfo(m: MediaMessage): MediaInfo {
  return {
    mimetype: m.mimetype ?? 'application/octet-stream',
    fileName: m.fileName ?? undefined,
    fileLength: num(m.fileLength),
    fileSha256: b64(m.fileSha256),
    fileEncSha256: b64(m.fileEncSha256),
    mediaKey: b64(m.mediaKey),
    directPath: m.directPath ?? undefined,
    url: m.url ?? undefined,
    seconds: m.seconds ?? undefined,
    width: m.width ?? undefined,
    height: m.height ?? undefined,
    ptt: m.ptt ?? undefined,
  }
}

/**
 * A Baileys message → Zapwire's normalised message; undefined for what is not a user-visible
 * message (protocol housekeeping, key distribution, stubs).
 */
export function normalizeMessage(
  m: WAMessage,
  live: boolean,
  me: { id: string; lid: string | undefined },
): NormalizedMessage | undefined {
  const content = normalizeMessageContent(m.message)
  const key = m.key
  if (!content || !key.id || !key.remoteJid || m.messageStubType) return undefined
  const kind = getContentType(content)
  if (!kind) return undefined
  const inner = content[kind] as MediaMessage & Record<string, unknown>
  const keyExtras = key as typeof key & { remoteJidAlt?: string; participantAlt?: string }
  const chat = user(key.remoteJid)!
  const chatAlt = user(keyExtras.remoteJidAlt)
  const group = chat.endsWith('@g.us')
  const fromMe = Boolean(key.fromMe)
  const sender = group ? (user(key.participant) ?? chat) : fromMe ? user(me.id)! : chat
  const senderAlt = group ? user(keyExtras.participantAlt) : fromMe ? user(me.lid) : chatAlt
  const context = (typeof inner === 'object' && inner?.contextInfo) || undefined
  const base = {
    id: key.id,
    chat,
    chatAlt,
    sender,
    senderAlt,
    fromMe,
    pushName: m.pushName ?? '',
    timestamp: num(m.messageTimestamp) ?? Math.floor(Date.now() / 1000),
    text: '',
    media: undefined as MediaInfo | undefined,
    quotedId: context?.stanzaId ?? undefined,
    mentions: (context?.mentionedJid ?? []).map((j) => jidNormalizedUser(j)),
    targetId: undefined as string | undefined,
    content: protoJson(m.message!),
    raw: serialize(m.message!),
    live,
  }
  switch (kind) {
    case 'conversation':
      return { ...base, type: 'text', text: content.conversation ?? '' }
    case 'extendedTextMessage':
      return { ...base, type: 'text', text: content.extendedTextMessage?.text ?? '' }
    case 'imageMessage':
    case 'videoMessage':
    case 'ptvMessage':
    case 'audioMessage':
    case 'documentMessage':
    case 'stickerMessage':
      return { ...base, type: mediaKindOf(kind)!, text: inner.caption ?? '', media: mediaInfo(inner) }
    case 'locationMessage':
    case 'liveLocationMessage':
      return { ...base, type: 'location', text: String(inner.name ?? inner.caption ?? '') }
    case 'contactMessage':
      return { ...base, type: 'contact', text: content.contactMessage?.displayName ?? '' }
    case 'contactsArrayMessage':
      return { ...base, type: 'contact', text: content.contactsArrayMessage?.displayName ?? '' }
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
      return { ...base, type: 'poll', text: String(inner.name ?? '') }
    case 'eventMessage':
      return { ...base, type: 'event', text: content.eventMessage?.name ?? '' }
    case 'reactionMessage':
      return {
        ...base,
        type: 'reaction',
        text: content.reactionMessage?.text ?? '',
        reaction: content.reactionMessage?.text ?? '',
        targetId: content.reactionMessage?.key?.id ?? undefined,
      }
    case 'pollUpdateMessage':
      return {
        ...base,
        type: 'poll_vote',
        targetId: content.pollUpdateMessage?.pollCreationMessageKey?.id ?? undefined,
      }
    case 'protocolMessage': {
      const p = content.protocolMessage!
      if (p.type === proto.Message.ProtocolMessage.Type.REVOKE)
        return { ...base, type: 'revoke', targetId: p.key?.id ?? undefined }
      if (p.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
        const edited = normalizeMessageContent(p.editedMessage)
        const text = edited?.conversation ?? edited?.extendedTextMessage?.text ?? ''
        const caption = (edited?.imageMessage ?? edited?.videoMessage)?.caption ?? ''
        return { ...base, type: 'edit', text: text || caption, targetId: p.key?.id ?? undefined }
      }
      return undefined
    }
    case 'interactiveMessage':
      return { ...base, type: 'interactive', text: content.interactiveMessage?.body?.text ?? '' }
    case 'listMessage':
      return { ...base, type: 'interactive', text: content.listMessage?.description ?? '' }
    case 'templateMessage':
      return {
        ...base,
        type: 'interactive',
        text: content.templateMessage?.hydratedTemplate?.hydratedContentText ?? '',
      }
    case 'senderKeyDistributionMessage':
    case 'messageContextInfo':
      return undefined
    default:
      return { ...base, type: 'other' }
  }
}

const STATUS: Record<number, ReceiptStatus> = {
  [proto.WebMessageInfo.Status.ERROR]: 'failed',
  [proto.WebMessageInfo.Status.SERVER_ACK]: 'sent',
  [proto.WebMessageInfo.Status.DELIVERY_ACK]: 'delivered',
  [proto.WebMessageInfo.Status.READ]: 'read',
  [proto.WebMessageInfo.Status.PLAYED]: 'played',
}

/** `messages.update` entries that are status changes → receipts. */
export function receiptFromUpdate(update: {
  key: proto.IMessageKey
  update: Partial<WAMessage>
}): Receipt | undefined {
  const status = update.update.status
  if (status == null || !update.key.id || !update.key.remoteJid) return undefined
  const mapped = STATUS[status]
  if (!mapped) return undefined
  const chat = jidNormalizedUser(update.key.remoteJid)
  const code = Number(update.update.messageStubParameters?.[0])
  return {
    ids: [update.key.id],
    chat,
    by: jidNormalizedUser(update.key.participant || update.key.remoteJid),
    status: mapped,
    ...(mapped === 'failed' && Number.isFinite(code) ? { code } : {}),
    timestamp: Math.floor(Date.now() / 1000),
  }
}

/** A group (or status) member's receipt from `message-receipt.update` → a receipt. */
export function receiptFromUserReceipt(
  key: proto.IMessageKey,
  receipt: proto.IUserReceipt,
): Receipt | undefined {
  if (!key.id || !key.remoteJid || !receipt.userJid) return undefined
  return {
    ids: [key.id],
    chat: jidNormalizedUser(key.remoteJid),
    by: jidNormalizedUser(receipt.userJid),
    status: receipt.readTimestamp ? 'read' : 'delivered',
    timestamp: Number(receipt.readTimestamp ?? receipt.receiptTimestamp ?? 0),
  }
}

/**
 * The receipts Baileys folded into an upsert of our own message. Its event buffer stays open
 * for 100 ms after a send (the `append` echo of `emitOwnEvents`); a receipt arriving meanwhile
 * for the same key (chat, id, fromMe) is merged into that buffered message (`status`,
 * `userReceipt`) and never emitted as `messages.update` / `message-receipt.update`.
 */
export function receiptsFoldedInto(m: WAMessage): Receipt[] {
  if (!m.key.fromMe) return []
  const found: Receipt[] = []
  if (m.status != null && m.status >= proto.WebMessageInfo.Status.DELIVERY_ACK) {
    const receipt = receiptFromUpdate({ key: m.key, update: { status: m.status } })
    if (receipt) found.push(receipt)
  }
  for (const r of m.userReceipt ?? []) {
    const receipt = receiptFromUserReceipt(m.key, r)
    if (receipt) found.push(receipt)
  }
  return found
}
