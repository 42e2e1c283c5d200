import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import type { WebhookView } from '../../services/webhooks.service.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const tags = ['Webhook']
const security = [{ ApiKeyAuth: [] }]
const Events = Type.Union([Type.Array(Type.String()), Type.String()], {
  description: 'Event names or "All" (an array, or a comma-separated string)',
  'x-aliases': ['Subscribe'],
})
const Format = Type.Union([Type.Literal('json'), Type.Literal('wuzapi-form'), Type.Literal('megaapi')], {
  description:
    'Zapwire: `json` (default, {event, instance, data}), `wuzapi-form` (form field jsonData) or `megaapi` (Mega-api’s webhook shapes)',
})
const WebhookBody = Type.Object({
  WebhookURL: Type.Optional(Type.String({ 'x-aliases': ['webhook'] })),
  Events: Type.Optional(Events),
  Active: Type.Optional(Type.Boolean()),
  Format: Type.Optional(Format),
})
/** Every seed's answer keys at once: [000] webhook/events, [002] WebhookURL/Events/Webhook/active. */
const WebhookAnswer = Type.Object({
  webhook: Type.String(),
  subscribe: Type.Array(Type.String()),
  events: Type.Array(Type.String()),
  WebhookURL: Type.String(),
  Webhook: Type.String(),
  Events: Type.Array(Type.String()),
  active: Type.Boolean(),
  format: Format,
})
const toAnswer = (w: WebhookView): Static<typeof WebhookAnswer> => ({
  webhook: w.url,
  subscribe: w.events,
  events: w.events,
  WebhookURL: w.url,
  Webhook: w.url,
  Events: w.events,
  active: w.active,
  format: w.format,
})
const change = (b: Static<typeof WebhookBody>) => ({
  url: b.WebhookURL,
  events: b.Events,
  active: b.Active,
  format: b.Format,
})

/** `/webhook` (wuzapi, Miauzap, DIGIGO) and `/session/hmac/config` (wuzapi forks). */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { webhooks } = services
  const answer = { 200: Envelope(WebhookAnswer), ...errorResponses }

  app.get(
    '/webhook',
    {
      schema: {
        tags,
        security,
        summary: 'The webhook, its subscribed events, active flag and body format',
        response: answer,
      },
    },
    async (req) => ok(toAnswer(webhooks.view(req.user!))),
  )
  app.post(
    '/webhook',
    {
      schema: {
        tags,
        security,
        summary: 'Set the webhook (URL, events; active unless told)',
        body: WebhookBody,
        response: answer,
      },
    },
    async (req) =>
      ok(toAnswer(await webhooks.set(req.user!, { ...change(req.body), active: req.body.Active ?? true }))),
  )
  app.put(
    '/webhook',
    {
      schema: {
        tags,
        security,
        summary: 'Change the webhook: only the fields given',
        body: WebhookBody,
        response: answer,
      },
    },
    async (req) => ok(toAnswer(await webhooks.set(req.user!, change(req.body)))),
  )
  app.delete(
    '/webhook',
    {
      schema: {
        tags,
        security,
        summary: 'Remove the webhook and clear its events',
        response: {
          200: Envelope(Type.Object({ Details: Type.String(), message: Type.String() })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await webhooks.remove(req.user!)
      return ok({
        Details: 'Webhook and events deleted successfully',
        message: 'Webhook removed successfully',
      })
    },
  )

  app.post(
    '/webhook/replay',
    {
      schema: {
        tags,
        security,
        summary: 'Deliver your events again from after a seq (`after`) or from a time (`since`)',
        body: Type.Object({
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          since: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Envelope(Type.Object({ Details: Type.String(), after: Type.Integer() })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const after = await webhooks.replay(req.user!, req.body)
      return ok({ Details: 'Events will be delivered again', after })
    },
  )

  const HmacAnswer = Envelope(
    Type.Object({ Details: Type.String(), configured: Type.Boolean(), hmac_key: Type.String() }),
  )
  const masked = (key: string) => (key ? `${key.slice(0, 4)}${'*'.repeat(12)}` : '')
  app.post(
    '/session/hmac/config',
    {
      schema: {
        tags,
        security,
        summary: 'Set the key webhooks are signed with (HMAC-SHA256, at least 32 characters)',
        body: Type.Object({ hmac_key: Type.String({ minLength: 32, 'x-aliases': ['key', 'hmacKey'] }) }),
        response: { 200: HmacAnswer, ...errorResponses },
      },
    },
    async (req) => {
      await webhooks.setHmacKey(req.user!, req.body.hmac_key)
      return ok({
        Details: 'HMAC configuration saved',
        configured: true,
        hmac_key: masked(req.body.hmac_key),
      })
    },
  )
  app.get(
    '/session/hmac/config',
    {
      schema: {
        tags,
        security,
        summary: 'Whether webhooks are signed (the key masked)',
        response: { 200: HmacAnswer, ...errorResponses },
      },
    },
    async (req) => {
      const key = await webhooks.hmacKey(req.user!)
      return ok({
        Details: key ? 'HMAC is configured' : 'HMAC is not configured',
        configured: key !== '',
        hmac_key: masked(key),
      })
    },
  )
  app.delete(
    '/session/hmac/config',
    {
      schema: {
        tags,
        security,
        summary: 'Stop signing webhooks',
        response: { 200: HmacAnswer, ...errorResponses },
      },
    },
    async (req) => {
      await webhooks.setHmacKey(req.user!, '')
      return ok({ Details: 'HMAC configuration removed', configured: false, hmac_key: '' })
    },
  )
}
