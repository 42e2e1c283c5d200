import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'
import { toEventQuery, toEventsPage } from './events.mapper.js'
import { EventsPage, EventsQuery } from './events.schemas.js'

/** `GET /events`: the user's events from the outbox, oldest first, from a cursor or a time. */
export const eventsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['Events'],
        security: [{ ApiKeyAuth: [] }],
        summary: 'Read your events (Zapwire): after a cursor or since a time',
        querystring: EventsQuery,
        response: { 200: Envelope(EventsPage), ...errorResponses },
      },
    },
    async (req) => {
      const query = toEventQuery(req.user!.id, req.query)
      return ok(toEventsPage(await services.outbox.list(query), query.limit))
    },
  )
}
