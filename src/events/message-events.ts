import type { Receipt } from '../engine/messages.js'
import type { StoredMessage } from '../services/messages.model.js'
import type { NewEvent } from './event.js'

type Account = { jid: string; lid: string }

const iso = (unix: number) => new Date(unix * 1000).toISOString()

/**
 * `Message`: whatsmeow's `Info` + `Message` (what wuzapi clients read), Miauzap's flat fields,
 * and Zapwire's own (both phone JID and LID of chat and sender, type, text, media).
 */
export function messageEvent(userId: string, m: StoredMessage, account: Account, extra = {}): NewEvent {
  const sender = m.senderPn || m.senderLid
  return {
    id: `${userId}:Message:${m.id}`,
    userId,
    type: 'Message',
    chat: m.chatPn || m.chat,
    jid: account.jid,
    lid: account.lid,
    data: {
      Info: {
        ID: m.id,
        Chat: m.chatPn || m.chat,
        Sender: sender,
        SenderAlt: m.senderPn ? m.senderLid : '',
        IsFromMe: m.fromMe,
        IsGroup: m.chat.endsWith('@g.us'),
        PushName: m.pushName,
        Timestamp: iso(m.timestamp),
        Type: m.media ? 'media' : m.type === 'text' ? 'text' : m.type,
        MediaType: m.media ? m.type : '',
        IsFromAPI: m.fromApi,
      },
      Message: m.content,
      id: m.id,
      pushName: m.pushName,
      fromMe: m.fromMe,
      timestamp: m.timestamp,
      chat: m.chatPn || m.chat,
      sender,
      message: m.content,
      type: m.type,
      text: m.text,
      chatPn: m.chatPn,
      chatLid: m.chatLid,
      senderPn: m.senderPn,
      senderLid: m.senderLid,
      quotedId: m.quotedId,
      ...(m.media ? { media: m.media } : {}),
      ...extra,
    },
  }
}

/** `MessageUpdate` (Zapwire): an edit, revoke, reaction, vote or status change of a message. */
export function messageUpdateEvent(
  userId: string,
  account: Account,
  change: { kind: string; targetId: string; chat: string; by: string; sourceId: string; data: object },
): NewEvent {
  return {
    id: `${userId}:MessageUpdate:${change.targetId}:${change.kind}:${change.sourceId}`,
    userId,
    type: 'MessageUpdate',
    chat: change.chat,
    jid: account.jid,
    lid: account.lid,
    data: { Kind: change.kind, ID: change.targetId, Chat: change.chat, By: change.by, ...change.data },
  }
}

const STATE = { sent: 'Sent', delivered: 'Delivered', read: 'Read', played: 'Played', failed: 'Failed' }

/** `ReadReceipt`: [000]'s `{sender, chat, ids, timestamp}` with wuzapi's `state`. */
export function receiptEvent(
  userId: string,
  account: Account,
  r: Receipt,
  chat: string,
  by: string,
): NewEvent {
  return {
    id: `${userId}:ReadReceipt:${r.ids.join(',')}:${r.status}:${by}`,
    userId,
    type: 'ReadReceipt',
    chat,
    jid: account.jid,
    lid: account.lid,
    data: {
      state: STATE[r.status],
      sender: by,
      chat,
      ids: r.ids,
      timestamp: r.timestamp,
      MessageIDs: r.ids,
      Chat: chat,
      Sender: by,
      Type: r.status === 'delivered' ? '' : r.status,
      ...(r.code ? { code: r.code } : {}),
    },
  }
}

/**
 * `Presence` (online/offline, with last seen) or `ChatPresence` (typing, recording, paused): the
 * shapes wuzapi posts, `{sender, status|state, timestamp}`, with whatsmeow's names beside them.
 */
export function presenceEvent(
  userId: string,
  account: Account,
  p: { chat: string; who: string; state: string; lastSeen: number | undefined },
): NewEvent {
  const timestamp = Math.floor(Date.now() / 1000)
  if (p.state === 'available' || p.state === 'unavailable') {
    return {
      userId,
      type: 'Presence',
      chat: p.who,
      jid: account.jid,
      lid: account.lid,
      data: {
        sender: p.who,
        status: p.state,
        timestamp,
        From: p.who,
        Unavailable: p.state === 'unavailable',
        ...(p.lastSeen ? { LastSeen: new Date(p.lastSeen * 1000).toISOString() } : {}),
      },
    }
  }
  return {
    userId,
    type: 'ChatPresence',
    chat: p.chat,
    jid: account.jid,
    lid: account.lid,
    data: {
      sender: p.who,
      chat: p.chat,
      state: p.state === 'recording' ? 'composing' : p.state,
      media: p.state === 'recording' ? 'audio' : '',
      timestamp,
      Chat: p.chat,
      Sender: p.who,
      State: p.state === 'recording' ? 'composing' : p.state,
      Media: p.state === 'recording' ? 'audio' : '',
    },
  }
}
