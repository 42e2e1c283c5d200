import { type TSchema, Type } from '@sinclair/typebox'
import { errorResponses } from './envelope.js'

/** Schemas of the newsletter (channel) routes, in DIGIGO's flat shapes. */

export const tags = ['Newsletter']
export const security = [{ ApiKeyAuth: [] }]
const ref = Type.Ref('WuzapiError')
export const Jid = Type.String({ minLength: 1, description: 'Newsletter JID (120363…@newsletter)' })
export const ServerId = Type.Integer({ minimum: 1, description: 'The message’s server id in the channel' })
export const responses = (ok: TSchema) => ({ 200: ok, ...errorResponses, 409: ref, 422: ref })
export const Done = Type.Object({ success: Type.Boolean(), message: Type.String() })
/** How many messages at most (25 when not given). */
export const Count = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 }))

const TextField = Type.Object({ id: Type.String(), text: Type.String(), update_time: Type.String() })
/** The channel as WhatsApp describes it. */
export const Raw = Type.Object({
  id: Type.String(),
  state: Type.Object({ type: Type.String() }),
  thread_metadata: Type.Object({
    creation_time: Type.String(),
    description: TextField,
    invite: Type.String(),
    name: TextField,
    picture: Type.Optional(
      Type.Object({ id: Type.String(), direct_path: Type.String(), type: Type.String() }),
    ),
    subscribers_count: Type.String(),
    verification: Type.String(),
  }),
  viewer_metadata: Type.Union([Type.Object({ mute: Type.String(), role: Type.String() }), Type.Null()]),
})
export const Summary = {
  jid: Type.String(),
  name: Type.String(),
  description: Type.String(),
  subscribers: Type.Integer(),
  muted: Type.Boolean(),
  invite_code: Type.String(),
  role: Type.String({ description: 'owner, admin, subscriber or guest' }),
}
export const Post = Type.Object({
  id: Type.String(),
  server_id: Type.Integer(),
  type: Type.String(),
  timestamp: Type.Integer(),
  text: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  views_count: Type.Integer(),
  reaction_counts: Type.Record(Type.String(), Type.Integer()),
  media: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})

export const SendBody = Type.Object({
  jid: Jid,
  message: Type.Optional(Type.String({ 'x-aliases': ['text', 'body'] })),
  image: Type.Optional(Type.String()),
  video: Type.Optional(Type.String()),
  document: Type.Optional(Type.String()),
  audio: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String({ 'x-aliases': ['file_name'] })),
})

export const AdminInviteBody = Type.Object({
  phone: Type.Optional(Type.String()),
  newsletter_jid: Type.Optional(Type.String()),
  image: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
})
export const AdminInviteAnswer = Type.Object({
  success: Type.Boolean(),
  id: Type.String(),
  timestamp: Type.Integer(),
  recipient: Type.String(),
  newsletter_jid: Type.String(),
  invite_name: Type.String(),
  expires_at: Type.Integer(),
  message: Type.String(),
})
