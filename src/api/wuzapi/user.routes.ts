import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { ContactInfo, ContactInfoBody, toContactInfo } from './contact-info.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { UpdateOwnBody } from './users.schemas.js'

/** `/user/*` routes about the calling user itself. */
export const userRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/user/update',
    {
      schema: {
        tags: ['User'],
        security: [{ ApiKeyAuth: [] }],
        summary: 'Change your own name and/or token (optimistic locking)',
        body: UpdateOwnBody,
        response: {
          200: Type.Object({
            code: Type.Integer(),
            success: Type.Literal(true),
            data: Type.Object({ id: Type.String(), name: Type.String(), token: Type.String() }),
            message: Type.String(),
          }),
          ...errorResponses,
          403: Type.Ref('WuzapiError'),
          409: Type.Ref('WuzapiError'),
        },
      },
    },
    async (req) => {
      const user = await services.users.updateOwn(req.user!, req.body)
      return {
        code: 200,
        success: true as const,
        data: { id: user.id, name: user.name, token: user.token },
        message: 'Profile updated successfully',
      }
    },
  )

  app.get(
    '/user/contacts',
    {
      schema: {
        tags: ['User'],
        security: [{ ApiKeyAuth: [] }],
        summary: 'Everyone this number has names for (push names, address book, business names)',
        response: {
          200: Type.Object({
            code: Type.Integer(),
            data: Type.Record(
              Type.String(),
              Type.Object({
                BusinessName: Type.String(),
                FirstName: Type.String(),
                Found: Type.Boolean(),
                FullName: Type.String(),
                PushName: Type.String(),
                Lid: Type.String({ description: 'Zapwire: the contact’s LID ("" when unknown)' }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const contacts = await services.chats.contacts(req.user!.id)
      return {
        code: 200,
        data: Object.fromEntries(
          contacts.map((c) => [
            c.jid,
            {
              BusinessName: c.businessName,
              FirstName: c.firstName,
              Found: true,
              FullName: c.fullName,
              PushName: c.pushName,
              Lid: c.lid,
            },
          ]),
        ),
      }
    },
  )

  app.post(
    '/user/contact/info',
    {
      schema: {
        tags: ['User'],
        security: [{ ApiKeyAuth: [] }],
        summary:
          'Everything known of one person: on WhatsApp, phone and LID, names, about, picture, devices, business profile',
        body: ContactInfoBody,
        response: {
          200: Envelope(ContactInfo),
          ...errorResponses,
          404: Type.Ref('WuzapiError'),
          409: Type.Ref('WuzapiError'),
        },
      },
    },
    async (req) => ok(toContactInfo(await services.chats.contactInfo(req.user!.id, req.body.phone))),
  )
}
