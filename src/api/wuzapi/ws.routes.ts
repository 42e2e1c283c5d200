import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsync } from 'fastify'
import { eventEnvelope } from '../../events/event.js'
import { authorizationValue, userToken } from '../../server/credentials.js'
import type { Services } from '../../services/index.js'

const Query = Type.Object({
  token: Type.Optional(Type.String({ description: 'A user token (browsers cannot set headers)' })),
  admin_token: Type.Optional(Type.String({ description: 'The admin token: every user’s events' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Replay from after this seq' })),
  types: Type.Optional(Type.String({ description: 'Comma-separated event names' })),
})

/**
 * `GET /ws` (WebSocket): a user's events (its token in the `Token` header or `?token=`), or every
 * user's for the admin (`Authorization` or `?admin_token=`), as JSON text frames, from `?after=`.
 */
export const wsRoutes: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.get('/ws', { websocket: true, schema: { hide: true, querystring: Query } }, async (socket, req) => {
    const q = req.query as { token?: string; admin_token?: string; after?: number; types?: string }
    let userId: string | undefined
    try {
      const admin = q.admin_token ?? authorizationValue(req)
      const token = q.token ?? userToken(req)
      if (token) userId = (await services.auth.requireUser(token)).id
      else services.auth.requireAdmin(admin)
    } catch {
      socket.close(4401, 'unauthorized')
      return
    }
    const types = q.types
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    const stream = await services.eventStream.open({ userId, after: q.after, types }, async (event) => {
      if (socket.readyState !== socket.OPEN) return
      socket.send(JSON.stringify(eventEnvelope(event)))
    })
    const heartbeat = setInterval(() => socket.ping(), 30_000)
    heartbeat.unref()
    socket.on('close', () => {
      clearInterval(heartbeat)
      stream.stop()
    })
  })
}
