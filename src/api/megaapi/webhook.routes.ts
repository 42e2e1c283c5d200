import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { InstanceParams, MegaOk, megaErrors, ok, security, tags } from './envelope.js'

const tag = tags('Webhook')

/**
 * `/rest/webhook/*`: one URL and an on/off switch; every event goes to it in Mega-api's shapes
 * (format `megaapi`), through the same outbox, retries, DLQ and signatures as any webhook.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { webhooks } = services

  app.get(
    '/webhook/:instance_key',
    {
      schema: {
        tags: tag,
        security,
        summary: 'The webhook: its URL and whether it is on',
        params: InstanceParams,
        response: {
          200: MegaOk({ webhookUrl: Type.String(), webhookEnabled: Type.Boolean() }),
          ...megaErrors,
        },
      },
    },
    async (req) => {
      const view = webhooks.view(req.user!)
      return ok('Webhook data fetched', {
        webhookUrl: view.url,
        webhookEnabled: view.active && view.url !== '',
      })
    },
  )

  app.post(
    '/webhook/:instance_key/configWebhook',
    {
      schema: {
        tags: tag,
        security,
        summary: 'Set the webhook URL and turn it on or off (every event, in Mega-api’s shapes)',
        params: InstanceParams,
        body: Type.Object({
          messageData: Type.Object({
            webhookUrl: Type.String({ description: 'http(s) URL; empty removes it' }),
            webhookEnabled: Type.Optional(Type.Boolean({ default: true })),
          }),
        }),
        response: {
          200: MegaOk({ webhookUrl: Type.String(), webhookEnabled: Type.Boolean() }),
          ...megaErrors,
        },
      },
    },
    async (req) => {
      const { webhookUrl, webhookEnabled } = req.body.messageData
      const view = await webhooks.set(req.user!, {
        url: webhookUrl,
        active: webhookEnabled ?? true,
        events: ['All'],
        format: 'megaapi',
      })
      return ok('Webhook configured', { webhookUrl: view.url, webhookEnabled: view.active })
    },
  )
}
