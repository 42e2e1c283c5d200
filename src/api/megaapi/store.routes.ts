import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'
import { Chat, Contact, MEDIA_KINDS, Message, toChat, toContact, toMessage } from './instance.mapper.js'

const tag = tags('Instance')
const ref = Type.Ref('MegaapiError')
const Str = Type.String()

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

/** `/rest/instance/{chats,contacts,messages,downloadMediaMessage}`: what the session has stored. */
export const storeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { chats, messages } = services

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
}
