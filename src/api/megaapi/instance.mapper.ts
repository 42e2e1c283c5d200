import { type Static, Type } from '@sinclair/typebox'
import { megaapiMessageType } from '../../events/formats/megaapi.js'
import { validation } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { StoredMessage } from '../../services/messages.model.js'
import { bare, parseRecipient } from '../../services/recipient.js'
import type { SessionView } from '../../services/sessions.service.js'

const Str = Type.String()

export const Instance = Type.Object({
  key: Type.String({ description: 'The instance key' }),
  status: Type.String({ description: 'Zapwire’s session state (connected, qr, reconnecting, logged_out…)' }),
  connected: Type.Boolean(),
  id: Type.Optional(Type.String({ description: 'The connected account’s phone JID' })),
  lid: Type.Optional(Type.String({ description: 'Zapwire: the connected account’s LID' })),
  name: Type.Optional(Type.String()),
  user: Type.Optional(Type.Object({ id: Type.String(), lid: Type.String(), name: Type.String() })),
})

/** The status answer's `instance`: `id`, `name` and `user` only while connected. */
export function instanceView(view: SessionView, key: string, name: string): Static<typeof Instance> {
  const connected = view.state === 'connected'
  const jid = bare(view.jid ?? '')
  const me = { id: jid, lid: bare(view.lid ?? ''), name }
  return { key, status: view.state, connected, ...(connected && jid ? { ...me, user: me } : {}) }
}

/** Protobuf's Long as Baileys renders a uint64 in JSON. */
const Long = Type.Object({ low: Type.Integer(), high: Type.Integer(), unsigned: Type.Boolean() })

export const Chat = Type.Object({
  id: Type.String({ description: 'The chat’s JID (phone JID, group or LID as stored)' }),
  lid: Type.String({ description: 'Zapwire: the chat’s LID ("" when unknown or a group)' }),
  name: Type.String(),
  unreadCount: Type.Integer(),
  conversationTimestamp: Type.Object(Long.properties, {
    description: 'Time of the last message (unix seconds) as a protobuf Long',
  }),
  archived: Type.Boolean({ description: 'Zapwire' }),
  pinned: Type.Boolean({ description: 'Zapwire' }),
  muteEndTime: Type.Integer({ description: 'Zapwire: unix seconds; -1 = muted for ever; 0 = not muted' }),
})

export const Contact = Type.Object({
  id: Type.String({ description: 'Phone JID (or LID when no phone is known)' }),
  lid: Type.String({ description: 'Zapwire: the contact’s LID ("" when unknown)' }),
  name: Type.String({ description: 'Address-book name, else push name, else business name' }),
  notify: Type.String({ description: 'The push name the contact set' }),
  verifiedName: Type.String({ description: 'The business name' }),
})

const Key = Type.Object({ remoteJid: Str, fromMe: Type.Boolean(), id: Str })

export const Message = Type.Object({
  remoteJid: Type.String({ description: 'The chat (phone JID for a person, group JID)' }),
  remoteJidAlt: Type.String({ description: 'Zapwire: the chat’s LID ("" when unknown)' }),
  id: Str,
  fromMe: Type.Boolean({ description: 'true: sent by this number; false: received' }),
  status: Type.Integer({
    description:
      'Baileys’ WAMessageStatus: 0 failed, 2 sent, 3 delivered, 4 read, 5 played; a received message is 3',
  }),
  key: Key,
  participant: Type.Optional(Type.String({ description: 'Groups: who sent it' })),
  messageTimestamp: Type.Integer({ description: 'unix seconds' }),
  pushName: Str,
  messageType: Type.String({
    description: 'The type as the webhook names it (conversation, imageMessage, ephemeralMessage…)',
  }),
  type: Type.String({ description: 'Zapwire’s type: text, image, video, audio, document…' }),
  text: Type.String({ description: 'Zapwire: the text or caption' }),
  message: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The message as WhatsApp’s proto JSON',
  }),
})

/** Mega-api's media kinds, plus the webhook's `messageType` names and `ptt`/`sticker`. */
export const MEDIA_KINDS = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  documentWithCaptionMessage: 'document',
  stickerMessage: 'sticker',
} as const

const STATUS: Record<string, number> = { failed: 0, sent: 2, delivered: 3, read: 4, played: 5, received: 3 }

export const toChat = (c: Awaited<ReturnType<Services['chats']['chats']>>[number]): Static<typeof Chat> => ({
  id: c.jid,
  lid: c.lid,
  name: c.name,
  unreadCount: c.unread,
  conversationTimestamp: {
    low: c.lastMessageAt | 0,
    high: Math.floor(c.lastMessageAt / 2 ** 32) | 0,
    unsigned: true,
  },
  archived: c.archived,
  pinned: c.pinned,
  muteEndTime: c.mutedUntil,
})

export const toContact = (
  c: Awaited<ReturnType<Services['chats']['contacts']>>[number],
): Static<typeof Contact> => ({
  id: c.jid,
  lid: c.lid,
  name: c.fullName || c.firstName || c.pushName || c.businessName,
  notify: c.pushName,
  verifiedName: c.businessName,
})

export const toMessage = (m: StoredMessage): Static<typeof Message> => {
  const remoteJid = m.chatPn || m.chat
  const group = remoteJid.endsWith('@g.us')
  return {
    remoteJid,
    remoteJidAlt: m.chatLid,
    id: m.id,
    fromMe: m.fromMe,
    status: STATUS[m.status] ?? 2,
    key: { remoteJid, fromMe: m.fromMe, id: m.id },
    ...(group && !m.fromMe ? { participant: m.senderPn || m.senderLid } : {}),
    messageTimestamp: m.timestamp,
    pushName: m.pushName,
    messageType: megaapiMessageType(m.content),
    type: m.type,
    text: m.text,
    message: m.content,
  }
}

const digits = (jid: string) => bare(jid).split('@')[0]!

/** setProfilePictureUrl's `to` must name the connected number (when it is known). */
export function requireOwnNumber(to: string, own: string | undefined) {
  if (own && digits(parseRecipient(to)) !== digits(own))
    throw validation(`messageData.to must be the connected number (${digits(own)})`)
}

export const qrPage = (image: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="20">
<title>WhatsApp QR code</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;font-family:sans-serif;background:#f0f2f5}img{width:300px;height:300px;image-rendering:pixelated;background:#fff;padding:12px}</style>
</head>
<body>
<main>
<img id="qrcode" src="${image}" alt="Scan this QR code with WhatsApp: Linked devices, Link a device">
<p>WhatsApp renews the code every 20 seconds; this page reloads itself.</p>
</main>
</body>
</html>
`
