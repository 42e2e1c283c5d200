import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import {
  toAvatarDigigo,
  toAvatarWuzapi,
  toBusinessProfile,
  toChecked,
  toUserInfos,
} from './account.mapper.js'
import {
  AvatarFields,
  BusinessProfile,
  Checked,
  err,
  InfoDigigo,
  InfoWuzapi,
  live,
  OnePhone,
  PhoneBody,
  Phones,
  phoneList,
  Str,
  userTags,
} from './account.schemas.js'
import { Envelope, ok } from './envelope.js'

/** Looking other accounts up (rate limited): /user/check, /user/info, /user/devices, /user/avatar, /user/business/profile. */
export const lookupsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { account } = services

  app.post(
    '/user/check',
    {
      schema: {
        ...userTags,
        summary: 'Which of these numbers are on WhatsApp, with phone JID and LID (rate limited)',
        body: PhoneBody,
        response: { 200: Envelope(Type.Object({ Users: Type.Array(Checked) })), ...live, ...err(429) },
      },
    },
    async (req) =>
      ok({ Users: (await account.check(req.user!.id, phoneList(req.body.Phone))).map(toChecked) }),
  )

  app.post(
    '/user/info',
    {
      schema: {
        ...userTags,
        summary: 'About text, picture id, devices, verified name and LID of users (rate limited)',
        body: PhoneBody,
        response: {
          200: Envelope(
            Type.Object({
              Users: Type.Record(Str, InfoWuzapi, { description: 'wuzapi: by phone JID' }),
              users: Type.Record(Str, InfoDigigo, { description: 'DIGIGO: by phone JID' }),
            }),
          ),
          ...live,
          ...err(429),
        },
      },
    },
    async (req) => ok(toUserInfos(await account.info(req.user!.id, phoneList(req.body.Phone)))),
  )

  app.post(
    '/user/devices',
    {
      schema: {
        ...userTags,
        summary: 'The devices of users (Miauzap; rate limited like /user/check)',
        body: Type.Object({ phones: Phones }),
        response: {
          200: Envelope(
            Type.Record(
              Str,
              Type.Object({ devices: Type.Array(Str), lid: Type.String({ description: 'Zapwire' }) }),
            ),
          ),
          ...live,
          ...err(429),
        },
      },
    },
    async (req) => {
      const found = await account.devices(req.user!.id, phoneList(req.body.phones))
      return ok(Object.fromEntries(found.map((f) => [f.pn || f.lid, { devices: f.devices, lid: f.lid }])))
    },
  )

  const avatarOf = (
    userId: string,
    q: { Phone: string; Preview?: boolean; CommonGID?: string; InviteCode?: string; PersonaID?: string },
  ) =>
    account.avatar(userId, q.Phone, q.Preview ?? true, {
      commonGroup: q.CommonGID || undefined,
      inviteCode: q.InviteCode || undefined,
      personaId: q.PersonaID || undefined,
    })

  app.get(
    '/user/avatar',
    {
      schema: {
        ...userTags,
        summary:
          'Profile picture of a user or group (wuzapi: a bare object; Phone and Preview in the query or a JSON body)',
        querystring: Type.Object(AvatarFields),
        response: {
          200: Type.Object({ URL: Str, ID: Str, Type: Str, DirectPath: Str }),
          ...live,
          ...err(403, 404),
        },
      },
    },
    async (req) => toAvatarWuzapi(await avatarOf(req.user!.id, req.query)),
  )

  app.post(
    '/user/avatar',
    {
      schema: {
        ...userTags,
        summary: 'Profile picture of a user or group',
        body: Type.Object(AvatarFields),
        response: {
          200: Envelope(Type.Object({ url: Str, id: Str, type: Str, direct_path: Str })),
          ...live,
          ...err(403, 404),
        },
      },
    },
    async (req) => ok(toAvatarDigigo(await avatarOf(req.user!.id, req.body))),
  )

  app.post(
    '/user/business/profile',
    {
      schema: {
        ...userTags,
        summary: 'The business profile of a WhatsApp Business account (404 for personal accounts)',
        body: Type.Object({ phone: OnePhone }),
        response: { 200: Envelope(BusinessProfile), ...live, ...err(404, 429) },
      },
    },
    async (req) => ok(toBusinessProfile(await account.businessProfile(req.user!.id, req.body.phone))),
  )
}
