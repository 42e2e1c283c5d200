import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { errorResponses } from './envelope.js'

const tags = ['User LID']
const security = [{ ApiKeyAuth: [] }]
const notFound = { 404: Type.Ref('WuzapiError'), 409: Type.Ref('WuzapiError') }
const unix = (d: Date) => Math.floor(d.getTime() / 1000)

const PhoneInput = Type.Object({ phone: Type.String({ minLength: 1, 'x-aliases': ['jid', 'number'] }) })
const LidInput = Type.Object({ lid: Type.String({ minLength: 1 }) })
const LidAnswer = Type.Object({
  success: Type.Boolean(),
  phone: Type.String(),
  lid: Type.String(),
  created_at: Type.Integer(),
  message: Type.String(),
})

/** DIGIGO's `/user/lid/*`: a phone number's LID, a LID's phone number, and every pair learned. */
export const identityRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { identity } = services
  const lidOf = async (userId: string, phone: string) => {
    const lid = await identity.lidFor(userId, phone)
    const pn = `${phone.replace(/@.*$/, '').replace(/\D/g, '')}@s.whatsapp.net`
    return {
      success: true,
      phone: pn,
      lid,
      created_at: unix(new Date()),
      message: 'LID retrieved successfully',
    }
  }
  const phoneOf = async (userId: string, lid: string) => ({
    success: true,
    lid,
    phone: await identity.phoneFor(userId, lid),
    created_at: unix(new Date()),
    message: 'Phone/JID retrieved successfully',
  })
  const answers = { 200: LidAnswer, ...errorResponses, ...notFound }

  app.get(
    '/user/lid/get',
    {
      schema: {
        tags,
        security,
        summary: 'The LID of a phone number',
        querystring: PhoneInput,
        response: answers,
      },
    },
    async (req) => lidOf(req.user!.id, req.query.phone),
  )
  app.post(
    '/user/lid/get',
    { schema: { tags, security, summary: 'The LID of a phone number', body: PhoneInput, response: answers } },
    async (req) => lidOf(req.user!.id, req.body.phone),
  )
  app.get(
    '/user/lid/from-lid',
    {
      schema: {
        tags,
        security,
        summary: 'The phone number of a LID (as learned)',
        querystring: LidInput,
        response: answers,
      },
    },
    async (req) => phoneOf(req.user!.id, req.query.lid),
  )
  app.post(
    '/user/lid/from-lid',
    {
      schema: {
        tags,
        security,
        summary: 'The phone number of a LID (as learned)',
        body: LidInput,
        response: answers,
      },
    },
    async (req) => phoneOf(req.user!.id, req.body.lid),
  )
  app.get(
    '/user/lid/mappings',
    {
      schema: {
        tags,
        security,
        summary: 'Every LID ↔ phone pair this number has learned',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        }),
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer(),
            mappings: Type.Array(
              Type.Object({
                id: Type.Integer(),
                phone: Type.String(),
                lid: Type.String(),
                created_at: Type.Integer(),
                last_used: Type.Integer(),
                usage_count: Type.Integer(),
              }),
            ),
            message: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 100
      const offset = req.query.offset ?? 0
      const { total, mappings } = await identity.identities(req.user!.id, limit, offset)
      return {
        success: true,
        total,
        limit,
        offset,
        mappings: mappings.map((m, i) => ({
          id: offset + i + 1,
          phone: m.pn,
          lid: m.lid,
          created_at: unix(m.updatedAt),
          last_used: unix(m.updatedAt),
          usage_count: 0,
        })),
        message: 'LID mappings retrieved successfully',
      }
    },
  )
}
