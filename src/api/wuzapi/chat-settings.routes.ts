import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TSchema, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const tags = ['Chat']
const security = [{ ApiKeyAuth: [] }]
const ref = Type.Ref('WuzapiError')
const Phone = Type.String({ minLength: 1, 'x-aliases': ['jid', 'chat_jid'] })
const Answer = (extra: Record<string, TSchema>) =>
  Envelope(Type.Object({ success: Type.Boolean(), message: Type.String(), jid: Type.String(), ...extra }))
const responses = (extra: Record<string, TSchema>) => ({
  200: Answer(extra),
  ...errorResponses,
  404: ref,
  409: ref,
})
const MUTE_MS = { '8h': 8 * 3_600_000, '1w': 7 * 86_400_000 } as const

/** DIGIGO's chat settings: archive, pin, mute, star, delete chat (app-state patches). */
export const chatSettingsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { messages, chats } = services

  app.post(
    '/chat/archive',
    {
      schema: {
        tags,
        security,
        summary: 'Archive or unarchive a chat',
        body: Type.Object({ phone: Phone, archive: Type.Boolean() }, { additionalProperties: true }),
        response: responses({ archived: Type.Boolean() }),
      },
    },
    async (req) => {
      const jid = await chats.modifyChat(req.user!.id, req.body.phone, {
        kind: 'archive',
        archive: req.body.archive,
      })
      const message = req.body.archive ? 'Chat archived successfully' : 'Chat unarchived successfully'
      return ok({ success: true, message, jid, archived: req.body.archive })
    },
  )

  app.post(
    '/chat/pin',
    {
      schema: {
        tags,
        security,
        summary: 'Pin or unpin a chat',
        body: Type.Object({ phone: Phone, pin: Type.Boolean() }),
        response: responses({ pinned: Type.Boolean() }),
      },
    },
    async (req) => {
      const jid = await chats.modifyChat(req.user!.id, req.body.phone, { kind: 'pin', pin: req.body.pin })
      const message = req.body.pin ? 'Chat pinned successfully' : 'Chat unpinned successfully'
      return ok({ success: true, message, jid, pinned: req.body.pin })
    },
  )

  app.post(
    '/chat/mute',
    {
      schema: {
        tags,
        security,
        summary: 'Mute (8h, 1w or always) or unmute a chat',
        body: Type.Object({
          phone: Phone,
          mute: Type.Boolean(),
          mute_duration: Type.Optional(
            Type.Union([Type.Literal('8h'), Type.Literal('1w'), Type.Literal('always')], {
              default: 'always',
            }),
          ),
        }),
        response: responses({ muted: Type.Boolean(), duration: Type.Optional(Type.String()) }),
      },
    },
    async (req) => {
      const duration = req.body.mute_duration ?? 'always'
      const until = !req.body.mute ? null : duration === 'always' ? -1 : Date.now() + MUTE_MS[duration]
      const jid = await chats.modifyChat(req.user!.id, req.body.phone, { kind: 'mute', until })
      const message = req.body.mute ? 'Chat muted successfully' : 'Chat unmuted successfully'
      return ok({ success: true, message, jid, muted: req.body.mute, ...(req.body.mute ? { duration } : {}) })
    },
  )

  app.post(
    '/chat/star',
    {
      schema: {
        tags,
        security,
        summary: 'Star or unstar a message',
        body: Type.Object({
          chat_jid: Type.String({ minLength: 1, 'x-aliases': ['phone'] }),
          message_id: Type.String({ minLength: 1 }),
          sender_jid: Type.Optional(Type.String()),
          from_me: Type.Optional(Type.Boolean()),
          star: Type.Boolean(),
        }),
        response: responses({ message_id: Type.String(), starred: Type.Boolean() }),
      },
    },
    async (req) => {
      const { chat_jid, message_id, from_me, star } = req.body
      const jid = await chats.modifyChat(req.user!.id, chat_jid, {
        kind: 'star',
        id: message_id,
        star,
        fromMe: from_me,
      })
      const message = star ? 'Message starred successfully' : 'Message unstarred successfully'
      return ok({ success: true, message, jid, message_id, starred: star })
    },
  )

  app.post(
    '/chat/delete-chat',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a chat from the chat list (on every device)',
        body: Type.Object({ phone: Phone }, { additionalProperties: true }),
        response: responses({}),
      },
    },
    async (req) => {
      const jid = await chats.modifyChat(req.user!.id, req.body.phone, { kind: 'delete' })
      return ok({ success: true, message: 'Chat deleted successfully', jid })
    },
  )

  app.post(
    '/status/set/text',
    {
      schema: {
        tags: ['User'],
        security,
        summary: 'Set your “about” text (wuzapi’s status text)',
        body: Type.Object({ Body: Type.String({ maxLength: 139, 'x-aliases': ['text', 'status'] }) }),
        response: { 200: Envelope(Type.Object({ Details: Type.String() })), ...errorResponses, 409: ref },
      },
    },
    async (req) => {
      await messages.setAbout(req.user!.id, req.body.Body)
      return ok({ Details: 'Status set successfully' })
    },
  )
}
