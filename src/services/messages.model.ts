import type { MediaInfo, MessageType, ReceiptStatus } from '../engine/messages.js'
import type { MessageRow, NewMessageRow } from '../store/messages.table.js'

export type MessageStatus = 'received' | ReceiptStatus

/** A stored message: what the store keeps of every message in and out. */
export interface StoredMessage {
  id: string
  chat: string
  chatPn: string
  chatLid: string
  senderPn: string
  senderLid: string
  fromMe: boolean
  fromApi: boolean
  pushName: string
  type: MessageType
  text: string
  media: MediaInfo | undefined
  quotedId: string
  /** Unix seconds. */
  timestamp: number
  status: MessageStatus
  errorCode: number | undefined
  editedAt: number | undefined
  revokedAt: number | undefined
  /** sender JID → emoji */
  reactions: Record<string, string>
  /** voter JID → option names */
  votes: Record<string, string[]>
  content: Record<string, unknown>
}

const optionalNumber = (v: number | string | null) => (v === null ? undefined : Number(v))

export function rowToMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    chat: row.chat,
    chatPn: row.chat_pn,
    chatLid: row.chat_lid,
    senderPn: row.sender_pn,
    senderLid: row.sender_lid,
    fromMe: row.from_me === 1,
    fromApi: row.from_api === 1,
    pushName: row.push_name,
    type: row.type as MessageType,
    text: row.text,
    media: row.media ? (JSON.parse(row.media) as MediaInfo) : undefined,
    quotedId: row.quoted_id,
    timestamp: Number(row.timestamp),
    status: row.status as MessageStatus,
    errorCode: row.error_code ?? undefined,
    editedAt: optionalNumber(row.edited_at),
    revokedAt: optionalNumber(row.revoked_at),
    reactions: JSON.parse(row.reactions) as Record<string, string>,
    votes: JSON.parse(row.votes) as Record<string, string[]>,
    content: JSON.parse(row.content) as Record<string, unknown>,
  }
}

export function messageToRow(
  userId: string,
  m: StoredMessage,
  raw: string | undefined,
  at: string,
): NewMessageRow {
  return {
    user_id: userId,
    id: m.id,
    chat: m.chat,
    chat_pn: m.chatPn,
    chat_lid: m.chatLid,
    sender_pn: m.senderPn,
    sender_lid: m.senderLid,
    from_me: m.fromMe ? 1 : 0,
    from_api: m.fromApi ? 1 : 0,
    push_name: m.pushName,
    type: m.type,
    text: m.text,
    media: m.media ? JSON.stringify(m.media) : null,
    quoted_id: m.quotedId,
    timestamp: m.timestamp,
    status: m.status,
    error_code: m.errorCode ?? null,
    edited_at: m.editedAt ?? null,
    revoked_at: m.revokedAt ?? null,
    reactions: JSON.stringify(m.reactions),
    votes: JSON.stringify(m.votes),
    content: JSON.stringify(m.content),
    raw: raw ?? null,
    created_at: at,
    updated_at: at,
  }
}

/** The proto keys of messages that carry a file (for the dialects, which do not reach the engine). */
export { MEDIA_MESSAGES } from '../engine/messages.js'
