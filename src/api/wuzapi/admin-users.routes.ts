import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { toCreatedUserView, toUserInput, toUserView } from './users.mapper.js'
import { CreatedUserView, CreateUserBody, UpdateUserBody, UserIdParams, UserView } from './users.schemas.js'

const tags = ['Admin']
const security = [{ AdminAuth: [] }]
const notFound = { 404: Type.Ref('WuzapiError') }

/** `/admin/users*`: users (instances) managed with the admin token. */
export const adminUsersRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { users, sessions } = services

  app.get(
    '/admin/users',
    {
      schema: {
        tags,
        security,
        summary: 'List users',
        response: { 200: Envelope(Type.Array(UserView)), ...errorResponses },
      },
    },
    async () => ok((await users.list()).map(toUserView)),
  )

  app.get(
    '/admin/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get one user (data is an array of one, as DIGIGO)',
        params: UserIdParams,
        response: { 200: Envelope(Type.Array(UserView)), ...errorResponses, ...notFound },
      },
    },
    async (req) => ok([toUserView(await users.get(req.params.id))]),
  )

  app.post(
    '/admin/users',
    {
      schema: {
        tags,
        security,
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: Envelope(CreatedUserView), ...errorResponses, 409: Type.Ref('WuzapiError') },
      },
    },
    async (req, reply) =>
      reply.status(201).send(ok(toCreatedUserView(await users.create(toUserInput(req.body))), 201)),
  )

  app.put(
    '/admin/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update a user (Zapwire): only the fields given change; nested configs merge',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: Envelope(UserView), ...errorResponses, ...notFound, 409: Type.Ref('WuzapiError') },
      },
    },
    async (req) => ok(toUserView(await users.update(req.params.id, toUserInput(req.body)))),
  )

  app.delete(
    '/admin/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user: its session is closed and its data removed (the phone keeps the link)',
        params: UserIdParams,
        response: {
          200: Envelope(Type.Object({ id: Type.String() }), { details: Type.String() }),
          ...errorResponses,
          ...notFound,
        },
      },
    },
    async (req) => {
      const user = await sessions.removeUser(req.params.id, { unlink: false })
      return { ...ok({ id: user.id }), details: 'User deleted successfully' }
    },
  )

  app.delete(
    '/admin/users/:id/full',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a user and everything it owns: unlinks the device from the phone first',
        params: UserIdParams,
        response: {
          200: Envelope(Type.Object({ id: Type.String(), jid: Type.String(), name: Type.String() }), {
            details: Type.String(),
          }),
          ...errorResponses,
          ...notFound,
        },
      },
    },
    async (req) => {
      const user = await sessions.removeUser(req.params.id, { unlink: true })
      await services.transports.purgeUser(user)
      await services.mediaPipeline.purgeUser(user)
      return {
        ...ok({ id: user.id, jid: user.jid, name: user.name }),
        details: 'User instance removed completely',
      }
    },
  )
}
