import { type TProperties, Type } from '@sinclair/typebox'
import { MegaOk, megaErrors } from './envelope.js'

// ── request atoms ────────────────────────────────────────────────────────────────────────────

export const To = Type.String({
  minLength: 1,
  description:
    'Recipient: `<number>@s.whatsapp.net`, a bare number (`551199999999`), a group (`…@g.us`) or a LID',
  'x-aliases': ['chat_id'],
})
export const ToMany = Type.Array(Type.String({ minLength: 1 }), {
  minItems: 1,
  maxItems: 1000,
  description: 'Recipients (numbers or JIDs, groups too), sent to one after another',
  'x-aliases': ['chat_id'],
})
export const Text = Type.String({ minLength: 1, maxLength: 65_536 })
export const MediaTypes = Type.Union(
  (['image', 'video', 'audio', 'ptt', 'document'] as const).map((t) => Type.Literal(t)),
  { description: '`ptt` is a voice note (audio/ogg; codecs=opus); `audio` a plain audio file' },
)
export const MediaFields = {
  fileName: Type.Optional(
    Type.String({ description: 'Documents: the file name (else from the URL, or `file`)' }),
  ),
  type: MediaTypes,
  caption: Type.Optional(Type.String({ description: 'Image, video and document only' })),
  mimeType: Type.Optional(
    Type.String({ description: 'Declared MIME type (the file’s own bytes win)', 'x-aliases': ['mineType'] }),
  ),
}
export const HttpUrl = Type.String({
  minLength: 1,
  pattern: '^[hH][tT][tT][pP][sS]?://',
  description: 'http(s) URL of the file',
})
export const Degrees = Type.Union([Type.Number(), Type.String({ minLength: 1 })], {
  description: 'Degrees, a number or a numeric string (e.g. -15.7470795); outside ±90 / ±180 is refused',
})
export const Row = Type.Object({
  title: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  rowId: Type.String({ minLength: 1, 'x-aliases': ['id'] }),
})
export const Section = Type.Object({
  title: Type.Optional(Type.String()),
  rows: Type.Array(Row, { minItems: 1, maxItems: 10 }),
})
export const ListFields = {
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
export const Key = Type.Object(
  {
    remoteJid: Type.Optional(Type.String()),
    fromMe: Type.Optional(Type.Boolean()),
    id: Type.Optional(Type.String()),
    participant: Type.Optional(Type.String({ description: 'Groups: who wrote it' })),
  },
  { description: 'The webhook’s `key`', additionalProperties: true },
)
export const AnyMessage = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The webhook’s `message`',
})

export const body = <P extends TProperties>(fields: P) => Type.Object({ messageData: Type.Object(fields) })

// ── answers ─────────────────────────────────────────────────────────────────────────────────

export const WAMessage = Type.Object(
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
export const SentFields = {
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
export const Sent = { 200: MegaOk(SentFields), ...megaErrors }
export const SentToMany = {
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
