import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, type TProperties, Type } from '@sinclair/typebox'
import { validation } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { ContentRequest, SendRequest } from '../../services/messages.service.js'
import { bare, parseRecipient } from '../../services/recipient.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'
import { megaapiError } from './errors.js'
import {
  base64Source,
  contactContent,
  degrees,
  forwardable,
  listContent,
  mediaContent,
  mentionJids,
  nameInUrl,
  recipients,
  sentView,
  textOf,
} from './send.mapper.js'

const tag = tags('Message')

// ── request atoms ────────────────────────────────────────────────────────────────────────────

const To = Type.String({
  minLength: 1,
  description:
    'Recipient: `<number>@s.whatsapp.net`, a bare number (`551199999999`), a group (`…@g.us`) or a LID',
  'x-aliases': ['chat_id'],
})
const ToMany = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  maxItems: 1000,
  description: 'Recipients (numbers or JIDs, groups too), sent to one after another',
  'x-aliases': ['chat_id'],
})
const Text = Type.String({ minLength: 1, maxLength: 65_536 })
const MediaTypes = Type.Union(
  (['image', 'video', 'audio', 'ptt', 'document'] as const).map((t) => Type.Literal(t)),
  { description: '`ptt` is a voice note (audio/ogg; codecs=opus); `audio` a plain audio file' },
)
const MediaFields = {
  fileName: Type.Optional(
    Type.String({ description: 'Documents: the file name (else from the URL, or `file`)' }),
  ),
  type: MediaTypes,
  caption: Type.Optional(Type.String({ description: 'Image, video and document only' })),
  mimeType: Type.Optional(
    Type.String({ description: 'Declared MIME type (the file’s own bytes win)', 'x-aliases': ['mineType'] }),
  ),
}
const HttpUrl = Type.String({
  minLength: 1,
  pattern: '^[hH][tT][tT][pP][sS]?://',
  description: 'http(s) URL of the file',
})
const Degrees = Type.Union([Type.Number(), Type.String({ minLength: 1 })], {
  description: 'Degrees, a number or a numeric string (e.g. -15.7470795); outside ±90 / ±180 is refused',
})
const Row = Type.Object({
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  rowId: Type.String({ minLength: 1, 'x-aliases': ['id'] }),
})
const Section = Type.Object({
  title: Type.Optional(Type.String()),
  rows: Type.Array(Row, { minItems: 1, maxItems: 10 }),
})
const ListFields = {
  buttonText: Type.String({ minLength: 1, description: 'The button that opens the list' }),
  text: Type.String({ minLength: 1, description: 'The message body' }),
  title: Type.Optional(Type.String()),
  description: Type.Optional(Type.String({ description: 'Shown as the footer (`footerText`)' })),
  sections: Type.Array(Section, { minItems: 1, maxItems: 10 }),
  listType: Type.Optional(
    Type.Union([Type.Integer(), Type.String()], {
      description: 'Accepted and ignored: always a single-select list',
    }),
  ),
}
const Key = Type.Object(
  {
    remoteJid: Type.Optional(Type.String()),
    fromMe: Type.Optional(Type.Boolean()),
    id: Type.Optional(Type.String()),
    participant: Type.Optional(Type.String({ description: 'Groups: who wrote it' })),
  },
  { description: 'The webhook’s `key`', additionalProperties: true },
)
const AnyMessage = Type.Record(Type.String(), Type.Unknown(), { description: 'The webhook’s `message`' })

const body = <P extends TProperties>(fields: P) => Type.Object({ messageData: Type.Object(fields) })

// ── answers ─────────────────────────────────────────────────────────────────────────────────

const WAMessage = Type.Object(
  {
    key: Type.Object({
      remoteJid: Type.String(),
      fromMe: Type.Boolean(),
      id: Type.String(),
      remoteJidAlt: Type.Optional(Type.String({ description: 'Zapwire: the recipient’s LID' })),
    }),
    message: Type.Record(Type.String(), Type.Unknown(), { description: 'WhatsApp’s message proto as JSON' }),
    messageTimestamp: Type.Integer(),
    status: Type.Integer({ description: 'WAMessageStatus: 2 sent, 3 delivered, 4 read, 5 played' }),
  },
  { description: 'The sent message as a Baileys WAMessage' },
)
const opt = Type.Optional
const SentFields = {
  remoteJid: Type.String({ description: 'The chat: the phone JID, or the group' }),
  remoteJidAlt: opt(Type.String({ description: 'Zapwire: the recipient’s LID, when known' })),
  formMe: Type.Boolean({ description: 'Sic, as documented: the same as fromMe' }),
  fromMe: Type.Boolean(),
  id: Type.String(),
  messageTimestamp: Type.String({ description: 'Unix seconds (a string, as documented)' }),
  text: opt(Type.String({ description: 'The text (or caption) sent' })),
  caption: opt(Type.String()),
  mentionedJid: opt(Type.Array(Type.String())),
  url: opt(Type.String()),
  mimetype: opt(Type.String()),
  mediaKey: opt(Type.String({ description: 'base64' })),
  fileName: opt(Type.String()),
  directPath: opt(Type.String()),
  mediaKeyTimestamp: opt(Type.String()),
  degreesLatitude: opt(Type.Number()),
  degreesLongitude: opt(Type.Number()),
  name: opt(Type.String()),
  address: opt(Type.String()),
  displayName: opt(Type.String()),
  vcard: opt(Type.String()),
  title: opt(Type.String()),
  description: opt(Type.String()),
  buttonText: opt(Type.String()),
  listType: opt(Type.String()),
  sections: opt(
    Type.Array(
      Type.Object({
        title: opt(Type.String()),
        rows: opt(
          Type.Array(
            Type.Object({
              title: opt(Type.String()),
              description: opt(Type.String()),
              rowId: opt(Type.String()),
            }),
          ),
        ),
      }),
    ),
  ),
  footerText: opt(Type.String()),
  messageData: WAMessage,
}
const Sent = { 200: MegaOk(SentFields), ...megaErrors }
const SentToMany = {
  200: MegaOk({
    sent: Type.Integer({ description: 'How many were sent' }),
    failed: Type.Integer({ description: 'How many failed' }),
    jidFailed: Type.Array(Type.String(), { description: 'The recipients that failed, as given' }),
    data: Type.Array(Type.Object(SentFields), {
      description: 'Each message sent, as a single send answers it',
    }),
    failures: Type.Array(Type.Object({ to: Type.String(), status: Type.Integer(), message: Type.String() }), {
      description: 'Zapwire: why each recipient failed (the status a single send would answer)',
    }),
  }),
  ...megaErrors,
}

/**
 * `/rest/sendMessage/{instance_key}/*`: the 13 sends, through the same per-session send queue as
 * `/chat/send/*`. A phone recipient is checked first (403 when not on WhatsApp); the answer is the
 * documented flat fields plus `messageData`, the sent message as a Baileys `WAMessage`.
 */
export const sendRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { messages, chats, sessions, media } = services

  /** Sends one message and answers it as Mega-api does. */
  const one = async (userId: string, request: SendRequest, fileName?: string) => {
    const result = await messages.send(userId, { numberCheck: true, ...request })
    const stored = await chats.find(userId, result.id).catch(() => undefined)
    return sentView(result, stored, fileName)
  }

  /**
   * What forwarding sends: the given message{} (or the stored message key{} names), media
   * downloaded from WhatsApp (asking the sender's phone again when the file has gone).
   */
  const forwardContent = async (
    userId: string,
    key: Static<typeof Key>,
    given: Record<string, unknown>,
  ): Promise<ContentRequest> => {
    let message = given
    if (Object.keys(message).length === 0) {
      if (!key.id) throw validation('give the message{} to forward (or the key{} of a stored message)')
      const stored = await chats.find(userId, key.id).catch(() => undefined)
      if (!stored) throw validation(`message is empty and no message ${key.id} is stored`)
      message = stored.content
    }
    const f = forwardable(message)
    if (!('media' in f)) return f.content
    const retry = key.id && key.remoteJid ? { id: key.id, chat: key.remoteJid } : undefined
    const data = await messages.download(userId, f.media.kind, f.media, retry)
    return f.content(data.toString('base64'))
  }

  /** The same message to each recipient in turn; a failure is counted and the loop goes on. */
  const fanOut = async (
    userId: string,
    to: string[],
    request: (to: string) => SendRequest,
    fileName?: string,
  ) => {
    const data: Awaited<ReturnType<typeof one>>[] = []
    const failures: { to: string; status: number; message: string }[] = []
    for (const r of to) {
      try {
        data.push(await one(userId, request(r), fileName))
      } catch (err) {
        const { status, body: refusal } = megaapiError(err, '')
        failures.push({ to: r, status, message: refusal.detail ?? refusal.message })
      }
    }
    return ok('Messages sent', {
      sent: data.length,
      failed: failures.length,
      jidFailed: failures.map((f) => f.to),
      data,
      failures,
    })
  }

  const route = <P extends TProperties, R extends typeof Sent | typeof SentToMany>(
    suffix: string,
    summary: string,
    fields: P,
    response: R,
    handler: (
      d: Static<ReturnType<typeof body<P>>>['messageData'],
      userId: string,
    ) => Promise<Static<R[200]>>,
  ) =>
    app.post(
      `/sendMessage/:instance_key/${suffix}`,
      {
        schema: {
          tags: tag,
          security,
          summary,
          params: InstanceParams,
          body: body(fields),
          response: response as typeof Sent,
        },
      },
      async (req) => handler((req.body as { messageData: never }).messageData, req.user!.id) as never,
    )

  route('text', 'Send a text (to a contact or a group)', { to: To, text: Text }, Sent, async (d, user) =>
    ok('Message sent', await one(user, { to: d.to, content: { kind: 'text', text: d.text } })),
  )

  route(
    'textToMany',
    'Send one text to many chats, one after another',
    { to: ToMany, text: Text },
    SentToMany,
    async (d, user) => {
      sessions.connection(user)
      return fanOut(user, recipients(d.to), (to) => ({ to, content: { kind: 'text', text: d.text } }))
    },
  )

  route(
    'textMentioned',
    'Send a text that @-mentions contacts (write `@<number>` in the text)',
    {
      to: To,
      text: Text,
      mentions: Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'The mentioned contacts (JIDs or numbers)',
        'x-aliases': ['mentionedJid'],
      }),
    },
    Sent,
    async (d, user) =>
      ok(
        'Message sent',
        await one(user, {
          to: d.to,
          content: { kind: 'text', text: d.text },
          mentions: mentionJids(d.mentions),
        }),
      ),
  )

  route(
    'mediaUrl',
    'Send an image, video, audio, voice note (ptt) or document from a URL',
    { to: To, url: HttpUrl, ...MediaFields },
    Sent,
    async (d, user) =>
      ok(
        'Message sent',
        await one(user, { to: d.to, content: mediaContent({ ...d, source: d.url }) }, d.fileName),
      ),
  )

  route(
    'mediaUrlToMany',
    'Send the same file from a URL to many chats (fetched once)',
    { to: ToMany, url: HttpUrl, ...MediaFields },
    SentToMany,
    async (d, user) => {
      const to = recipients(d.to)
      sessions.connection(user)
      const file = await media.resolve(d.url, d.type === 'ptt' ? 'audio' : d.type, d.mimeType)
      const fileName = d.fileName?.trim() || nameInUrl(d.url) || undefined
      const source = file.data.toString('base64')
      const content = mediaContent({ ...d, source, fileName, mimeType: d.mimeType ?? file.mimetype })
      return fanOut(user, to, (r) => ({ to: r, content }), fileName)
    },
  )

  route(
    'mediaBase64',
    'Send a file given as a data URI (`data:<mime>;base64,…`; bare base64 is accepted too)',
    {
      to: To,
      base64: Type.String({ minLength: 1, description: '`data:<mimetype>;base64,<data>` or bare base64' }),
      ...MediaFields,
    },
    Sent,
    async (d, user) =>
      ok(
        'Message sent',
        await one(
          user,
          { to: d.to, content: mediaContent({ ...d, source: base64Source(d.base64) }) },
          d.fileName,
        ),
      ),
  )

  route(
    'location',
    'Send a location pin (`caption` becomes its name)',
    {
      to: To,
      latitude: Degrees,
      longitude: Degrees,
      address: Type.Optional(Type.String()),
      caption: Type.Optional(Type.String({ description: 'The place’s name', 'x-aliases': ['name'] })),
    },
    Sent,
    async (d, user) =>
      ok(
        'Message sent',
        await one(user, {
          to: d.to,
          content: {
            kind: 'location',
            latitude: degrees(d.latitude, 'latitude'),
            longitude: degrees(d.longitude, 'longitude'),
            name: d.caption || undefined,
            address: d.address || undefined,
          },
        }),
      ),
  )

  route(
    'sendLinkPreview',
    'Send a text with a link and its preview (title and description from the page)',
    { to: To, textWithLink: Type.String({ minLength: 1, 'x-aliases': ['text', 'url'] }) },
    Sent,
    async (d, user) => {
      if (!/https?:\/\/\S+/i.test(d.textWithLink))
        throw validation('textWithLink must contain an http(s) URL')
      const content = { kind: 'text' as const, text: d.textWithLink, linkPreview: true }
      return ok('Message sent', await one(user, { to: d.to, content }))
    },
  )

  route(
    'listMessage',
    'Send a list: a button that opens sections of rows',
    { to: To, ...ListFields },
    Sent,
    async (d, user) => ok('Message sent', await one(user, { to: d.to, content: listContent(d) })),
  )

  route(
    'listMessageToMany',
    'Send the same list to many chats, one after another',
    { to: ToMany, ...ListFields },
    SentToMany,
    async (d, user) => {
      sessions.connection(user)
      return fanOut(user, recipients(d.to), (to) => ({ to, content: listContent(d) }))
    },
  )

  route(
    'contactMessage',
    'Send a contact card (the vCard is built from its fields)',
    {
      to: To,
      vcard: Type.Object({
        fullName: Type.Optional(Type.String()),
        displayName: Type.Optional(Type.String({ description: 'The name on the card (else fullName)' })),
        organization: Type.Optional(Type.String()),
        phoneNumber: Type.String({ minLength: 1, description: 'Country code, area code and number' }),
      }),
    },
    Sent,
    async (d, user) => ok('Message sent', await one(user, { to: d.to, content: contactContent(d.vcard) })),
  )

  route(
    'forwardMessage',
    'Forward a message: the webhook’s key{} and message{} (or only the key of a stored message)',
    { to: To, key: Type.Optional(Key), message: Type.Optional(AnyMessage) },
    Sent,
    async (d, user) => {
      parseRecipient(d.to)
      const content = await forwardContent(user, d.key ?? {}, d.message ?? {})
      return ok('Message sent', await one(user, { to: d.to, content, forwarded: true }))
    },
  )

  route(
    'quoteMessage',
    'Reply to a message, quoting it (the webhook’s key{} and message{})',
    { to: To, text: Text, key: Key, message: Type.Optional(AnyMessage) },
    Sent,
    async (d, user) => {
      if (!d.key.id) throw validation('key.id is required: the id of the message to quote')
      const own = d.key.fromMe ? bare(sessions.account(user).jid) : ''
      const quoted = {
        id: d.key.id,
        participant: d.key.participant || own || undefined,
        text: textOf(d.message ?? {}),
      }
      return ok(
        'Message sent',
        await one(user, { to: d.to, content: { kind: 'text', text: d.text }, quoted }),
      )
    },
  )
}
