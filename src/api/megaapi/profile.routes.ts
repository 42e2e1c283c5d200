import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'
import { requireOwnNumber } from './instance.mapper.js'

const tag = tags('Instance')
const ref = Type.Ref('MegaapiError')
const Str = Type.String()
/** WhatsApp's refusal (422) and a session busy elsewhere or an app state not synced yet (409). */
const live = { 409: ref, 422: ref }

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

/** `/rest/instance/*`: profile picture, about and name; isOnWhatsApp. */
export const profileRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { sessions, account } = services

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
      requireOwnNumber(to, sessions.account(req.user!.id).jid)
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
}
