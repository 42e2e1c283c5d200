import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import QRCode from 'qrcode'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { StoredMessage } from '../../services/messages.model.js'
import { parseRecipient } from '../../services/recipient.js'
import type { User } from '../../services/users.model.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'

const tag = tags('Instance')
const ref = Type.Ref('MegaapiError')
const Str = Type.String()
/** WhatsApp's refusal (422) and a session busy elsewhere or an app state not synced yet (409). */
const live = { 409: ref, 422: ref }

const Instance = Type.Object({
  key: Type.String({ description: 'The instance key' }),
  status: Type.String({ description: 'Zapwire’s session state (connected, qr, reconnecting, logged_out…)' }),
  connected: Type.Boolean(),
  id: Type.Optional(Type.String({ description: 'The connected account’s phone JID' })),
  lid: Type.Optional(Type.String({ description: 'Zapwire: the connected account’s LID' })),
  name: Type.Optional(Type.String()),
  user: Type.Optional(Type.Object({ id: Type.String(), lid: Type.String(), name: Type.String() })),
})

/** Protobuf's Long as Baileys renders a uint64 in JSON. */
const Long = Type.Object({ low: Type.Integer(), high: Type.Integer(), unsigned: Type.Boolean() })

const Chat = Type.Object({
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

const Contact = Type.Object({
  id: Type.String({ description: 'Phone JID (or LID when no phone is known)' }),
  lid: Type.String({ description: 'Zapwire: the contact’s LID ("" when unknown)' }),
  name: Type.String({ description: 'Address-book name, else push name, else business name' }),
  notify: Type.String({ description: 'The push name the contact set' }),
  verifiedName: Type.String({ description: 'The business name' }),
})

const Key = Type.Object({ remoteJid: Str, fromMe: Type.Boolean(), id: Str })

const Message = Type.Object({
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
    description: 'The first key of `message` (conversation, imageMessage…), as the webhook names it',
  }),
  type: Type.String({ description: 'Zapwire’s type: text, image, video, audio, document…' }),
  text: Type.String({ description: 'Zapwire: the text or caption' }),
  message: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The message as WhatsApp’s proto JSON',
  }),
})

/** Mega-api's media kinds, plus the webhook's `messageType` names and `ptt`/`sticker`. */
const MEDIA_KINDS = {
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

const DownloadBody = Type.Object({
  messageKeys: Type.Object({
    mediaKey: Type.String({ minLength: 1, description: 'base64, from the webhook’s message' }),
    directPath: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    mimetype: Type.String({ minLength: 1, 'x-aliases': ['mineType'] }),
    messageType: Type.Union(
      Object.keys(MEDIA_KINDS).map((k) => Type.Literal(k as keyof typeof MEDIA_KINDS)),
      {
        description: 'image, document, audio or video (also sticker, ptt and the webhook’s `…Message` names)',
      },
    ),
    fileSha256: Type.Optional(
      Type.String({ description: 'Zapwire: base64; when given, the decrypted file is checked against it' }),
    ),
  }),
})

const StatusBody = Type.Object({
  messageData: Type.Object({
    status: Type.String({ description: 'The about text', 'x-aliases': ['about'] }),
  }),
})
const NameBody = Type.Object({
  messageData: Type.Object({
    name: Type.String({ description: 'The new push name', 'x-aliases': ['pushName'] }),
  }),
})

const STATUS: Record<string, number> = { failed: 0, sent: 2, delivered: 3, read: 4, played: 5, received: 3 }

const toChat = (c: Awaited<ReturnType<Services['chats']['chats']>>[number]): Static<typeof Chat> => ({
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

const toContact = (
  c: Awaited<ReturnType<Services['chats']['contacts']>>[number],
): Static<typeof Contact> => ({
  id: c.jid,
  lid: c.lid,
  name: c.fullName || c.firstName || c.pushName || c.businessName,
  notify: c.pushName,
  verifiedName: c.businessName,
})

const toMessage = (m: StoredMessage): Static<typeof Message> => {
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
    messageType: Object.keys(m.content)[0] ?? 'unknown',
    type: m.type,
    text: m.text,
    message: m.content,
  }
}

const digits = (jid: string) => jid.split('@')[0]!.replace(/:\d+$/, '')

const qrPage = (image: string) => `<!doctype html>
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

/** `/rest/instance/*`: status, QR and pairing, profile, chats, contacts, messages, media. */
export const instanceRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { sessions, chats, messages, account } = services

  const instanceOf = (user: User, key: string): Static<typeof Instance> => {
    const view = sessions.view(user.id)
    const connected = view.state === 'connected'
    const bare = (j: string | undefined) => (j ?? '').replace(/:\d+(?=@)/, '')
    const jid = bare(view.jid)
    const me = { id: jid, lid: bare(view.lid), name: user.name }
    return {
      key,
      status: view.state,
      connected,
      ...(connected && jid ? { ...me, user: me } : {}),
    }
  }

  /** Starts the session when needed, waits for its QR; refuses once logged in. */
  const qrImage = async (userId: string): Promise<string> => {
    const view = await sessions.connect(userId, 20_000)
    if (view.state === 'connected') throw new AppError('ALREADY_LOGGED_IN', 'the instance is already linked')
    return QRCode.toDataURL(sessions.qr(userId))
  }

  app.get(
    '/instance/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Connection status; `user` only while connected',
        params: InstanceParams,
        response: { 200: MegaOk({ instance: Instance }), ...megaErrors },
      },
    },
    async (req) => ok('Instance data fetched', { instance: instanceOf(req.user!, req.params.instance_key) }),
  )

  app.get(
    '/instance/chats/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Every chat in the chat store (pinned first, then the most recent)',
        description:
          'Zapwire keeps chats for as long as the user exists (no expiry). `participants` is always empty: a group’s members are at `GET /rest/group/{instance_key}/group/?jid=`.',
        params: InstanceParams,
        response: {
          200: MegaOk({ chats: Type.Array(Chat), participants: Type.Array(Type.Unknown()) }),
          ...megaErrors,
        },
      },
    },
    async (req) =>
      ok('Chats fetched', { chats: (await chats.chats(req.user!.id)).map(toChat), participants: [] }),
  )

  app.get(
    '/instance/contacts/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Everyone this number has names for (under `chats`, as Mega-api answers)',
        params: InstanceParams,
        response: { 200: MegaOk({ chats: Type.Array(Contact) }), ...megaErrors },
      },
    },
    async (req) => ok('Contacts fetched', { chats: (await chats.contacts(req.user!.id)).map(toContact) }),
  )

  app.get(
    '/instance/messages/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The stored messages of one chat, oldest first (501 when the user’s history is 0)',
        description:
          'Zapwire answers from its message store, which keeps the last `history` messages per chat (a user setting). With history 0 nothing is stored and the route answers 501.',
        params: InstanceParams,
        querystring: Type.Object({
          chat_id: Type.String({
            minLength: 1,
            description: 'Phone number, phone JID, LID or group JID',
            'x-aliases': ['to', 'jid'],
          }),
          limit: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 10_000,
              description: 'Zapwire: at most this many, the newest',
            }),
          ),
        }),
        response: { 200: MegaOk({ messages: Type.Array(Message) }), ...megaErrors, 501: ref },
      },
    },
    async (req) => {
      const user = req.user!
      const list = await chats.history(user, req.query.chat_id, req.query.limit ?? Math.max(user.history, 1))
      return ok('Messages fetched', { messages: list.reverse().map(toMessage) })
    },
  )

  app.post(
    '/instance/downloadMediaMessage/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Download and decrypt a received file from its webhook fields; `data` is base64',
        params: InstanceParams,
        body: DownloadBody,
        response: { 200: MegaOk({ data: Str, mimetype: Str }), ...megaErrors },
      },
    },
    async (req) => {
      const k = req.body.messageKeys
      const media = { url: k.url, directPath: k.directPath, mediaKey: k.mediaKey, fileSha256: k.fileSha256 }
      const data = await messages.download(req.user!.id, MEDIA_KINDS[k.messageType], media)
      return ok('Media downloaded', { data: data.toString('base64'), mimetype: k.mimetype })
    },
  )

  app.get(
    '/instance/getProfilePicture/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Profile picture URL of a contact or group (404 when there is none)',
        params: InstanceParams,
        querystring: Type.Object({
          chat_id: Type.String({
            minLength: 1,
            description: 'Phone number, phone JID, LID or group JID',
            'x-aliases': ['to', 'jid', 'phone'],
          }),
          type: Type.Optional(
            Type.Union([Type.Literal('icon'), Type.Literal('image')], {
              default: 'image',
              description: 'icon: the thumbnail; image: full size',
            }),
          ),
        }),
        response: {
          200: MegaOk({
            data: Type.String({ description: 'The picture’s URL' }),
            id: Type.String({ description: 'Zapwire: the picture’s id' }),
            type: Type.String({ description: 'Zapwire: preview or image' }),
          }),
          ...megaErrors,
          ...live,
        },
      },
    },
    async (req) => {
      const p = await account.avatar(req.user!.id, req.query.chat_id, req.query.type === 'icon')
      return ok('Profile picture fetched', { data: p.url, id: p.id, type: p.type })
    },
  )

  app.post(
    '/instance/setProfilePictureUrl/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Set your profile photo from a JPEG at an http(s) URL',
        description:
          '`to` must be the connected number (number or JID). The URL is fetched under the media URL rules (public addresses only, unless the host is in ZAPWIRE_MEDIA_ALLOW_HOSTS); WhatsApp takes JPEG only.',
        params: InstanceParams,
        body: Type.Object({
          messageData: Type.Object({
            to: Type.String({ minLength: 1, description: 'Your own number or JID' }),
            url: Type.String({ pattern: '^https?://', description: 'http(s) URL of a JPEG image' }),
          }),
        }),
        response: {
          200: MegaOk({ pictureId: Type.String({ description: 'Zapwire' }) }),
          ...megaErrors,
          ...live,
          413: ref,
          415: ref,
        },
      },
    },
    async (req) => {
      const { to, url } = req.body.messageData
      const own = sessions.account(req.user!.id).jid
      if (own && digits(parseRecipient(to)) !== digits(own))
        throw new AppError('VALIDATION', `messageData.to must be the connected number (${digits(own)})`)
      const pictureId = await account.setPhoto(req.user!.id, url)
      return ok('Profile picture updated', { pictureId })
    },
  )

  app.post(
    '/instance/setProfileStatus/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Set your "about" text (at most 139 characters)',
        params: InstanceParams,
        body: StatusBody,
        response: { 200: MegaOk({ status: Str }), ...megaErrors, ...live },
      },
    },
    async (req) =>
      ok('Profile status updated', {
        status: await account.setAbout(req.user!.id, req.body.messageData.status),
      }),
  )

  app.post(
    '/instance/setProfileName/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Set your push name (an app-state patch: needs the phone’s app-state key)',
        params: InstanceParams,
        body: NameBody,
        response: { 200: MegaOk({ name: Str }), ...megaErrors, ...live },
      },
    },
    async (req) =>
      ok('Profile name updated', {
        name: await account.setPushName(req.user!.id, req.body.messageData.name),
      }),
  )

  app.get(
    '/instance/isOnWhatsApp/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Is this number on WhatsApp? `{exists, jid}` (and Zapwire’s `lid`), as documented',
        params: InstanceParams,
        querystring: Type.Object({
          jid: Type.String({
            minLength: 1,
            description: 'Phone number, phone JID or LID',
            'x-aliases': ['phone', 'phoneNumber', 'number', 'chat_id', 'to'],
          }),
        }),
        response: {
          200: Type.Object({
            exists: Type.Boolean(),
            jid: Type.String({ description: 'Phone JID (the LID when no phone is known)' }),
            lid: Type.String({ description: 'Zapwire: the account’s LID ("" when unknown)' }),
          }),
          ...megaErrors,
          429: ref,
        },
      },
    },
    async (req) => {
      const [c] = await account.check(req.user!.id, [req.query.jid])
      return { exists: c!.exists, jid: c!.jid, lid: c!.lid }
    },
  )

  app.get(
    '/instance/qrcode/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The QR to scan, in an HTML page (starts the session; 403 once logged in)',
        params: InstanceParams,
        response: {
          200: {
            description: 'An HTML page showing the QR as a PNG image; it reloads every 20 s',
            content: { 'text/html': { schema: Type.String() } },
          },
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req, reply) => reply.type('text/html; charset=utf-8').send(qrPage(await qrImage(req.user!.id))),
  )

  app.get(
    '/instance/qrcode_base64/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The QR to scan as a PNG data URL, in `qrcode` and `qrcode_base64` (403 once logged in)',
        description:
          'Starts the session when needed and waits up to 20 s for the QR. WhatsApp renews it every 20 s: poll again.',
        params: InstanceParams,
        response: {
          200: MegaOk({
            qrcode: Type.String({ description: 'data:image/png;base64,…' }),
            qrcode_base64: Type.String({ description: 'the same data URL' }),
          }),
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req) => {
      const image = await qrImage(req.user!.id)
      return ok('QR code fetched', { qrcode: image, qrcode_base64: image })
    },
  )

  app.get(
    '/instance/pairingCode/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'A code to type on the phone instead of scanning the QR (403 once logged in)',
        params: InstanceParams,
        querystring: Type.Object({
          phoneNumber: Type.String({
            minLength: 1,
            description: 'The number to link, with country code (digits)',
            'x-aliases': ['phone', 'number'],
          }),
        }),
        response: {
          200: MegaOk({
            pairingCode: Type.String({ description: '8 characters, as WhatsApp gives it' }),
            code: Type.String({ description: 'the same code' }),
          }),
          ...megaErrors,
          409: ref,
        },
      },
    },
    async (req) => {
      const code = await sessions.pairPhone(req.user!.id, req.query.phoneNumber.replace(/\D/g, ''))
      return ok('Pairing code generated', { pairingCode: code, code })
    },
  )

  app.delete(
    '/instance/:instance_key/logout',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Unlink the number from the instance and forget its credentials',
        params: InstanceParams,
        response: { 200: MegaOk(), ...megaErrors },
      },
    },
    async (req) => {
      await sessions.logout(req.user!.id)
      return ok('Logout successfully')
    },
  )

  app.delete(
    '/instance/:instance_key/restart',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Reconnect the linked session (400 when the instance was never linked)',
        params: InstanceParams,
        response: { 200: MegaOk({ instance: Instance }), ...megaErrors, 409: ref },
      },
    },
    async (req) => {
      await sessions.refresh(req.user!.id, { appState: false, preKeys: false, privacy: false })
      return ok('Instance restarted', { instance: instanceOf(req.user!, req.params.instance_key) })
    },
  )
}
