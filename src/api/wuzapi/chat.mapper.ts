import type { Static } from '@sinclair/typebox'
import type { ChatsService } from '../../services/chats.service.js'
import type { StoredMessage } from '../../services/messages.model.js'
import type { SendRequest, SendResult } from '../../services/messages.service.js'
import type { ContextInfo, HistoryItem, Sent } from './chat.schemas.js'

interface CommonBody {
  Phone: string
  Id?: string | undefined
  ContextInfo?: Static<typeof ContextInfo> | undefined
  Presence?: number | undefined
  Duration?: number | undefined
  NumberCheck?: boolean | undefined
  EchoApi?: boolean | undefined
}

/** The fields every send route shares → the service's request (without its content). */
export function sendOptions(body: CommonBody): Omit<SendRequest, 'content'> {
  const ctx = body.ContextInfo
  return {
    to: body.Phone,
    id: body.Id,
    quoted: ctx?.StanzaId
      ? { id: ctx.StanzaId, participant: ctx.Participant, text: ctx.QuotedMessage?.conversation }
      : undefined,
    mentions: ctx?.MentionedJID,
    mentionAll: ctx?.MentionAll,
    forwarded: ctx?.IsForwarded,
    ephemeralSeconds: body.Duration || undefined,
    presenceMs: body.Presence,
    numberCheck: body.NumberCheck,
    echo: body.EchoApi,
  }
}

export function toSent(result: SendResult, details = 'Sent'): Static<typeof Sent> {
  return {
    Details: details,
    Id: result.id,
    Timestamp: new Date(result.timestamp * 1000).toISOString(),
    Jid: result.jid,
    Lid: result.lid,
  }
}

/** A stored message in [000]'s history shape plus Zapwire's fields. */
export function toHistoryItem(m: StoredMessage): Static<typeof HistoryItem> {
  return {
    id: m.id,
    chat_jid: m.chatPn || m.chat,
    sender_jid: m.senderPn || m.senderLid,
    message_id: m.id,
    timestamp: new Date(m.timestamp * 1000).toISOString(),
    message_type: m.type,
    text_content: m.text,
    media_link: '',
    chat_lid: m.chatLid,
    sender_lid: m.senderLid,
    from_me: m.fromMe,
    status: m.status,
    quoted_id: m.quotedId,
    edited: m.editedAt !== undefined,
    revoked: m.revokedAt !== undefined,
    reactions: m.reactions,
    votes: m.votes,
    ...(m.media ? { media: { ...m.media } } : {}),
  }
}

type Chat = Awaited<ReturnType<ChatsService['chats']>>[number]

/** The chat store in DIGIGO's `/chat/list` shape, with Zapwire's LID, name, unread and time. */
export function toChatList(chats: Chat[], now: number) {
  return {
    success: true,
    chats: chats.map((c) => ({
      chat_jid: c.jid,
      phone_number: c.jid.endsWith('@s.whatsapp.net') ? (c.jid.split('@')[0] ?? '') : '',
      muted_until: c.mutedUntil,
      pinned: c.pinned,
      archived: c.archived,
      lid: c.lid,
      name: c.name,
      unread_count: c.unread,
      last_message_at: c.lastMessageAt,
    })),
    stats: {
      total: chats.length,
      pinned_count: chats.filter((c) => c.pinned).length,
      archived_count: chats.filter((c) => c.archived).length,
      muted_count: chats.filter((c) => c.mutedUntil === -1 || c.mutedUntil > now).length,
    },
  }
}
