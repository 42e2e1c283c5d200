import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, type TProperties, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { parseRecipient } from '../../services/recipient.js'
import { InstanceParams, ok, security, tags } from './envelope.js'
import { sendFlows } from './send.flows.js'
import {
  base64Source,
  contactContent,
  linkPreviewContent,
  listContent,
  locationContent,
  mediaContent,
  mentionJids,
  quotedOf,
} from './send.mapper.js'
import {
  AnyMessage,
  body,
  Degrees,
  HttpUrl,
  Key,
  ListFields,
  MediaFields,
  Sent,
  SentToMany,
  Text,
  To,
  ToMany,
} from './send.schemas.js'

const tag = tags('Message')

/**
 * `/rest/sendMessage/{instance_key}/*`: the 13 sends, through the same per-session send queue as
 * `/chat/send/*`. A phone recipient is checked first (403 when not on WhatsApp); the answer is the
 * documented flat fields plus `messageData`, the sent message as a Baileys `WAMessage`.
 */
export const sendRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { sessions } = services
  const flows = sendFlows(services)
  const one = flows.one

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
    (d, user) => flows.toMany(user, d.to, { kind: 'text', text: d.text }),
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
    (d, user) => flows.mediaToMany(user, d),
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
    async (d, user) => ok('Message sent', await one(user, { to: d.to, content: locationContent(d) })),
  )

  route(
    'sendLinkPreview',
    'Send a text with a link and its preview (title and description from the page)',
    { to: To, textWithLink: Type.String({ minLength: 1, 'x-aliases': ['text', 'url'] }) },
    Sent,
    async (d, user) =>
      ok('Message sent', await one(user, { to: d.to, content: linkPreviewContent(d.textWithLink) })),
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
    (d, user) => flows.toMany(user, d.to, listContent(d)),
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
      const content = await flows.forwardContent(user, d.key ?? {}, d.message ?? {})
      return ok('Message sent', await one(user, { to: d.to, content, forwarded: true }))
    },
  )

  route(
    'quoteMessage',
    'Reply to a message, quoting it (the webhook’s key{} and message{})',
    { to: To, text: Text, key: Key, message: Type.Optional(AnyMessage) },
    Sent,
    async (d, user) => {
      const quoted = quotedOf(d.key, d.message, sessions.account(user).jid)
      const content = { kind: 'text' as const, text: d.text }
      return ok('Message sent', await one(user, { to: d.to, content, quoted }))
    },
  )
}
