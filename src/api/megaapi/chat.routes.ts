import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type TProperties, type TSchema, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { chatOf, deletedView, presenceOf, revokable, senderOf } from './chat.mapper.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'

const tag = tags('Chat')
const ref = Type.Ref('MegaapiError')
/** Beyond the documented refusals: 409 until the phone shared its app-state key, 408, 422, 429. */
const refusals = { 408: ref, 409: ref, 422: ref, 429: ref }
const Str = Type.String()

/** The chat: a phone number or a JID (contact, LID or group). */
const To = (description = 'Phone number or JID (contact, LID or group)') =>
  Type.String({ minLength: 1, description, 'x-aliases': ['chat_id', 'chatId', 'jid', 'phone'] })

/** A message key as the webhook payloads carry it (copied verbatim by clients). */
const Key = Type.Object(
  {
    remoteJid: Type.Optional(Type.String({ description: 'The chat (phone JID, LID or group)' })),
    fromMe: Type.Optional(Type.Boolean({ 'x-aliases': ['formMe'] })),
    id: Type.String({ minLength: 1, description: 'The message id' }),
    participant: Type.Optional(Type.String({ description: 'Groups: who wrote it' })),
  },
  { additionalProperties: true, description: 'The `key` of the webhook payload' },
)

/** Zapwire: the chat's phone JID and LID ('' when not known or a group). */
const Who = { jid: Type.String({ description: 'Zapwire: the chat' }), lid: Type.String() }
const route = <B extends TSchema>(summary: string, body: B, fields: TProperties = {}) => ({
  tags: tag,
  security,
  summary,
  params: InstanceParams,
  body,
  response: { 200: MegaOk(fields), ...megaErrors, ...refusals },
})

/** Chats: /rest/chat/{instance_key}/* and the read routes under /rest/sendMessage. */
export const chatRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { messages, chats, account, identity } = services
  const who = async (userId: string, jid: string) => {
    const { pn, lid } = await identity.both(userId, jid, undefined)
    return { jid: pn || jid, lid }
  }

  app.post(
    '/chat/:instance_key/presenceUpdateChat',
    {
      schema: route(
        'Typing, recording (in a chat), online or last seen (everyone); lasts about 20 s',
        Type.Object({
          to: Type.Optional(To('The chat (required for composing, recording, paused)')),
          option: Type.Union(
            ['composing', 'recording', 'paused', 'available', 'unavailable'].map((v) => Type.Literal(v)),
            {
              description:
                'composing (typing), recording (audio), available (online), unavailable (last seen); Zapwire: paused (stops typing)',
              'x-aliases': ['options', 'presence', 'state'],
            },
          ),
        }),
      ),
    },
    async (req) => {
      const p = presenceOf(req.body.option, req.body.to)
      if (p.chat) await messages.chatPresence(req.user!.id, p.chat, p.state)
      else await account.setPresence(req.user!.id, p.state, undefined)
      return ok('Presence updated')
    },
  )

  app.post(
    '/chat/:instance_key/archiveChat',
    {
      schema: route(
        'Archive (true) or unarchive (false) a chat, on every device (an app-state patch)',
        Type.Object({
          to: To(),
          option: Type.Boolean({ description: 'true: archive', 'x-aliases': ['options', 'archive'] }),
        }),
        Who,
      ),
    },
    async (req) => {
      const jid = await chats.modifyChat(req.user!.id, req.body.to, {
        kind: 'archive',
        archive: req.body.option,
      })
      const message = req.body.option ? 'Chat archived' : 'Chat unarchived'
      return ok(message, await who(req.user!.id, jid))
    },
  )

  app.post(
    '/chat/:instance_key/pinChat',
    {
      schema: route(
        'Pin (true) or unpin (false) a chat, on every device (an app-state patch; WhatsApp allows 3)',
        Type.Object({
          to: To(),
          options: Type.Boolean({ description: 'true: pin', 'x-aliases': ['option', 'pin'] }),
        }),
        Who,
      ),
    },
    async (req) => {
      const jid = await chats.modifyChat(req.user!.id, req.body.to, { kind: 'pin', pin: req.body.options })
      return ok(req.body.options ? 'Chat pinned' : 'Chat unpinned', await who(req.user!.id, jid))
    },
  )

  app.post(
    '/chat/:instance_key/blockChat',
    {
      schema: route(
        'Block (true) or unblock (false) a contact',
        Type.Object({
          to: To('The contact: phone number, phone JID or LID'),
          option: Type.Boolean({ description: 'true: block', 'x-aliases': ['options', 'block'] }),
        }),
        Who,
      ),
    },
    async (req) => {
      const action = req.body.option ? 'block' : 'unblock'
      const r = await account.updateBlocklist(req.user!.id, action, [req.body.to])
      const p = r.users[0]!
      return ok(req.body.option ? 'Contact blocked' : 'Contact unblocked', { jid: p.pn || p.lid, lid: p.lid })
    },
  )

  // The docs give both prefixes for the read routes (URL line and raw example): both are served.
  for (const prefix of ['/sendMessage', '/chat']) {
    app.post(
      `${prefix}/:instance_key/readMessage`,
      {
        schema: route(
          'Mark one message read (a read receipt: blue ticks for its sender)',
          Type.Object({
            messageData: Type.Object({
              key: Key,
              to: Type.Optional(To('Zapwire: the chat, when the key has no remoteJid')),
            }),
          }),
          { ...Who, id: Str },
        ),
      },
      async (req) => {
        const { key, to } = req.body.messageData
        const chat = chatOf(to, key)
        await messages.markRead(req.user!.id, chat, [key.id], senderOf(key))
        return ok('Message read', { ...(await who(req.user!.id, chat)), id: key.id })
      },
    )

    app.post(
      `${prefix}/:instance_key/readChat`,
      {
        schema: route(
          'Mark a chat read up to its last message (a read receipt for the key given); option false does nothing',
          Type.Object({
            to: Type.Optional(To('The chat (else `messageData.key.remoteJid`)')),
            option: Type.Optional(
              Type.Boolean({ default: true, description: 'true: confirm', 'x-aliases': ['options'] }),
            ),
            messageData: Type.Object({
              key: Key,
              messageTimestamp: Type.Optional(
                Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\d+$' })], {
                  description: 'The last message’s timestamp (unix seconds), from the webhook',
                }),
              ),
            }),
          }),
          { ...Who, id: Str },
        ),
      },
      async (req) => {
        const { key } = req.body.messageData
        const chat = chatOf(req.body.to, key)
        if (req.body.option === false)
          return ok('Chat left unread', { ...(await who(req.user!.id, chat)), id: '' })
        await messages.markRead(req.user!.id, chat, [key.id], senderOf(key))
        return ok('Chat read', { ...(await who(req.user!.id, chat)), id: key.id })
      },
    )
  }

  const Deleted = {
    remoteJid: Type.String({ description: 'The chat' }),
    formMe: Type.Boolean({ description: 'Mega-api’s spelling (sic): true' }),
    fromMe: Type.Boolean(),
    id: Type.String({ description: 'The id of the revoke message Zapwire sent' }),
    text: Type.String({ description: 'Empty: a revoke has no text' }),
    messageTimestamp: Type.String({ description: 'When the revoke was sent (unix seconds)' }),
    lid: Type.String({ description: "Zapwire: the chat’s LID ('' for a group or when unknown)" }),
    key: Type.Object(
      { remoteJid: Str, fromMe: Type.Boolean(), id: Str },
      { description: 'Zapwire: the key of the deleted message' },
    ),
  }

  app.post(
    '/chat/:instance_key/deleteMessage',
    {
      schema: route(
        'Delete a message for everyone (a revoke): your own, or anyone’s in a group you administer',
        Type.Object({
          messageData: Type.Object({
            to: Type.Optional(To('The chat (else `key.remoteJid`)')),
            key: Key,
          }),
        }),
        Deleted,
      ),
    },
    async (req) => {
      const { key, to } = req.body.messageData
      const chat = chatOf(to, key)
      const hint = { fromMe: key.fromMe ?? true, participant: senderOf(key) }
      const target = revokable(await messages.refOf(req.user!.id, chat, key.id, hint))
      const sent = await messages.send(req.user!.id, { to: chat, content: { kind: 'revoke', target } })
      return ok('Message deleted', deletedView(sent, chat, target))
    },
  )

  app.post(
    '/chat/:instance_key/deleteMessageFromMe',
    {
      schema: route(
        'Delete a message for me only: gone from your devices, the chat’s others still see it (an app-state patch)',
        Type.Object({
          messageData: Type.Object({
            to: Type.Optional(To('The chat (else `key.remoteJid`)')),
            key: Key,
            messageTimestamp: Type.Optional(
              Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^\\d+$' })], {
                description: 'The message’s timestamp (unix seconds); needed when Zapwire has not stored it',
              }),
            ),
          }),
        }),
        { ...Who, id: Str },
      ),
    },
    async (req) => {
      const { key, to, messageTimestamp } = req.body.messageData
      const chat = chatOf(to, key)
      const jid = await chats.modifyChat(req.user!.id, chat, {
        kind: 'deleteForMe',
        id: key.id,
        fromMe: key.fromMe,
        participant: senderOf(key),
        timestamp: messageTimestamp === undefined ? undefined : Number(messageTimestamp),
      })
      return ok('Message deleted for me', { ...(await who(req.user!.id, jid)), id: key.id })
    },
  )
}
