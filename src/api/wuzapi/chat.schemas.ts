import { type TSchema, Type } from '@sinclair/typebox'

const Phone = Type.String({
  minLength: 1,
  'x-aliases': ['number', 'jid'],
  description: 'Phone number with country code (digits) or a JID (user, @lid, @g.us group)',
})
const Id = Type.Optional(
  Type.String({ minLength: 1, maxLength: 128, description: 'Custom message id (idempotency key)' }),
)

export const ContextInfo = Type.Object({
  StanzaId: Type.Optional(Type.String({ description: 'Id of the message replied to' })),
  Participant: Type.Optional(Type.String({ description: 'JID of who wrote the message replied to' })),
  QuotedMessage: Type.Optional(Type.Object({ conversation: Type.Optional(Type.String()) })),
  IsForwarded: Type.Optional(Type.Boolean()),
  MentionedJID: Type.Optional(Type.Array(Type.String())),
  MentionAll: Type.Optional(Type.Boolean()),
})

/** What every send route accepts besides its content. */
const common = {
  Phone,
  Id,
  ContextInfo: Type.Optional(ContextInfo),
  Presence: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 30_000, description: 'ms of typing shown first' }),
  ),
  Duration: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Disappearing timer in seconds (86400, 604800, 7776000)' }),
  ),
  NumberCheck: Type.Optional(Type.Boolean()),
  EchoApi: Type.Optional(Type.Boolean()),
}

const send = <T extends Record<string, TSchema>>(fields: T) => Type.Object({ ...common, ...fields })
const media = (description: string) => Type.String({ minLength: 1, description })

export const SendText = send({
  Body: Type.String({ minLength: 1, maxLength: 65_536, 'x-aliases': ['text', 'message'] }),
  LinkPreview: Type.Optional(Type.Boolean()),
})
export const SendLink = send({
  Link: Type.String({ minLength: 1, format: 'uri' }),
  Caption: Type.Optional(Type.String({ maxLength: 1024 })),
})
export const SendImage = send({
  Image: media('data URL, base64 or http(s) URL (JPEG, PNG, GIF, WebP; ≤ 5 MB)'),
  Caption: Type.Optional(Type.String({ maxLength: 1024 })),
  MimeType: Type.Optional(Type.String()),
  ViewOnce: Type.Optional(Type.Boolean()),
})
export const SendAudio = send({
  Audio: media('data URL, base64 or http(s) URL (OGG/Opus, MP3, AAC, M4A, WAV; ≤ 16 MB)'),
  Caption: Type.Optional(Type.String()),
  PTT: Type.Optional(Type.Boolean({ description: 'Voice note (default true)' })),
  MimeType: Type.Optional(Type.String()),
  ViewOnce: Type.Optional(Type.Boolean()),
})
export const SendDocument = send({
  Document: media('data URL, base64 or http(s) URL (≤ 100 MB)'),
  FileName: Type.String({ minLength: 1 }),
  Caption: Type.Optional(Type.String({ maxLength: 1024 })),
  MimeType: Type.Optional(Type.String()),
})
export const SendVideo = send({
  Video: media('data URL, base64 or http(s) URL (MP4, 3GP, QuickTime; ≤ 16 MB)'),
  Caption: Type.Optional(Type.String({ maxLength: 1024 })),
  JPEGThumbnail: Type.Optional(Type.String({ description: 'base64 JPEG' })),
  MimeType: Type.Optional(Type.String()),
  ViewOnce: Type.Optional(Type.Boolean()),
})
export const SendSticker = send({
  Sticker: media('data URL, base64 or http(s) URL (WebP; ≤ 1 MB)'),
  PngThumbnail: Type.Optional(Type.String()),
  MimeType: Type.Optional(Type.String()),
})
export const SendLocation = send({
  Latitude: Type.Number({ minimum: -90, maximum: 90 }),
  Longitude: Type.Number({ minimum: -180, maximum: 180 }),
  Name: Type.Optional(Type.String()),
  Address: Type.Optional(Type.String()),
})
export const SendContact = send({
  Name: Type.String({ minLength: 1 }),
  Vcard: Type.String({ minLength: 1, pattern: 'BEGIN:VCARD' }),
})
export const SendPoll = Type.Object({
  ...common,
  Phone: Type.Optional(Phone),
  Group: Type.Optional(Type.String({ minLength: 1 })),
  Header: Type.String({ minLength: 1, maxLength: 255, 'x-aliases': ['question', 'name'] }),
  Options: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: 12 }),
  MaxAnswer: Type.Optional(Type.Integer({ minimum: 0, maximum: 12, 'x-aliases': ['max_answer'] })),
})
export const SendEvent = send({
  Name: Type.String({ minLength: 1, maxLength: 255 }),
  Description: Type.Optional(Type.String({ maxLength: 1024 })),
  StartTime: Type.Integer({ minimum: 0, description: 'Unix seconds' }),
  EndTime: Type.Optional(Type.Integer({ minimum: 0 })),
  Location: Type.Optional(Type.String()),
})
export const SendEdit = Type.Object({
  Phone,
  Id: Type.String({ minLength: 1, description: 'The message to edit' }),
  Body: Type.String({ minLength: 1, 'x-aliases': ['text'] }),
  ContextInfo: Type.Optional(ContextInfo),
})
export const React = Type.Object({
  Phone,
  Id: Type.String({ minLength: 1, description: 'The message reacted to; `me:<id>` for your own' }),
  Body: Type.String({
    description: 'The emoji; empty removes the reaction',
    'x-aliases': ['reaction', 'emoji'],
  }),
  Participant: Type.Optional(Type.String()),
})
export const DeleteMessage = Type.Object({ Phone, Id: Type.String({ minLength: 1 }) })
export const MarkRead = Type.Object({
  Id: Type.Union([Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), Type.String({ minLength: 1 })]),
  Chat: Type.String({ minLength: 1, 'x-aliases': ['ChatPhone', 'Phone'] }),
  Sender: Type.Optional(Type.String({ 'x-aliases': ['SenderPhone'] })),
})
/** wuzapi's /chat/request-unavailable-message: whatsmeow's (chat, sender, id). */
export const RequestUnavailable = Type.Object({
  Chat: Type.String({ minLength: 1, 'x-aliases': ['ChatPhone', 'Phone'] }),
  Id: Type.String({ minLength: 1, 'x-aliases': ['MessageId'] }),
  Sender: Type.Optional(
    Type.String({ description: 'who wrote it, in a group', 'x-aliases': ['SenderPhone'] }),
  ),
})
export const ChatPresence = Type.Object({
  Phone,
  State: Type.Union([Type.Literal('composing'), Type.Literal('paused'), Type.Literal('recording')]),
  Media: Type.Optional(Type.String({ description: '"audio": recording' })),
})
export const HistoryQuery = Type.Object({
  chat_jid: Type.String({ minLength: 1, 'x-aliases': ['chat', 'phone'] }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  before: Type.Optional(Type.String({ description: 'Zapwire: id of the oldest message already read' })),
})

export const Sent = Type.Object({
  Details: Type.String(),
  Id: Type.String(),
  Timestamp: Type.String({ format: 'date-time' }),
  Jid: Type.String({ description: 'Zapwire: the recipient’s phone JID' }),
  Lid: Type.String({ description: 'Zapwire: the recipient’s LID ("" when unknown)' }),
})

export const HistoryItem = Type.Object({
  id: Type.String(),
  chat_jid: Type.String(),
  sender_jid: Type.String(),
  message_id: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  message_type: Type.String(),
  text_content: Type.String(),
  media_link: Type.String(),
  chat_lid: Type.String(),
  sender_lid: Type.String(),
  from_me: Type.Boolean(),
  status: Type.String(),
  quoted_id: Type.String(),
  edited: Type.Boolean(),
  revoked: Type.Boolean(),
  reactions: Type.Record(Type.String(), Type.String()),
  votes: Type.Record(Type.String(), Type.Array(Type.String())),
  media: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})

export const DownloadBody = Type.Object({
  Url: Type.Optional(Type.String({ description: 'The message’s media URL (only its path is used)' })),
  DirectPath: Type.Optional(Type.String()),
  MediaKey: Type.String({ minLength: 1, description: 'base64' }),
  Mimetype: Type.String({ minLength: 1 }),
  FileSHA256: Type.Optional(Type.String({ description: 'base64; checked against the file' })),
  FileEncSHA256: Type.Optional(Type.String()),
  FileLength: Type.Optional(Type.Integer({ minimum: 0 })),
  Id: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Zapwire: the message’s id. When the file is gone from WhatsApp’s servers, its sender’s phone is asked to upload it again (a MediaRetry event), then it is downloaded',
    }),
  ),
  Chat: Type.Optional(
    Type.String({ minLength: 1, description: 'Zapwire: the message’s chat, when it is not stored' }),
  ),
})

export const Downloaded = Type.Object({
  Data: Type.String({ description: 'data:<mime>;base64,…' }),
  Mimetype: Type.String(),
})
