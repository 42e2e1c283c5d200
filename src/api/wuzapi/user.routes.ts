import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { errorResponses } from './envelope.js'
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
}
