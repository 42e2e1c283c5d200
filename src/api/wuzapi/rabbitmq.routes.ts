import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { rabbitView, toUserInput } from './users.mapper.js'
import { MaskedRabbit, RabbitMQConfigBody } from './users.schemas.js'

const tags = ['Session RabbitMQ']
const security = [{ ApiKeyAuth: [] }]

/** DIGIGO's per-user RabbitMQ: `/session/rabbitmq/config` (POST, GET, DELETE) and `/test`. */
export const rabbitmqRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { users, transports } = services

  app.post(
    '/session/rabbitmq/config',
    {
      schema: {
        tags,
        security,
        summary: 'Publish your events to your RabbitMQ (a queue per event type by default)',
        body: RabbitMQConfigBody,
        response: {
          200: Envelope(Type.Object({ Details: Type.String(), Enabled: Type.Boolean() })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const user = await users.update(req.user!.id, toUserInput({ rabbitmqConfig: req.body }), 'user')
      return ok({
        Details: 'RabbitMQ configuration saved successfully',
        Enabled: user.secrets.rabbitmq.enabled,
      })
    },
  )

  app.get(
    '/session/rabbitmq/config',
    {
      schema: {
        tags,
        security,
        summary: 'Your RabbitMQ settings (password masked) and what was published',
        response: {
          200: Envelope(
            Type.Object({
              config: MaskedRabbit,
              stats: Type.Object({
                active_queues: Type.Array(Type.String()),
                total_published: Type.Integer(),
                last_publish: Type.Union([Type.String(), Type.Null()]),
              }),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => ok({ config: rabbitView(req.user!), stats: await transports.rabbitStats(req.user!.id) }),
  )

  app.delete(
    '/session/rabbitmq/config',
    {
      schema: {
        tags,
        security,
        summary: 'Stop publishing to your RabbitMQ (the settings are kept, disabled)',
        response: {
          200: Envelope(Type.Object({ Details: Type.String(), Enabled: Type.Boolean() })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await users.update(req.user!.id, { rabbitmqConfig: { enabled: false } }, 'user')
      return ok({ Details: 'RabbitMQ configuration disabled', Enabled: false })
    },
  )

  app.post(
    '/session/rabbitmq/test',
    {
      schema: {
        tags,
        security,
        summary: 'Connect to your RabbitMQ and declare the exchange',
        response: {
          200: Envelope(
            Type.Object({
              Details: Type.String(),
              Host: Type.String(),
              Port: Type.Integer(),
              Exchange: Type.String(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => ok(await transports.testRabbit(req.user!)),
  )
}
