import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { authorizationValue, userToken } from '../../server/credentials.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'

import type { MonitoringEvent, MonitoringFilter } from '../../services/monitoring.service.js'
import { errorResponses } from './envelope.js'

const tags = ['Admin Monitoring']
const security = [{ AdminAuth: [] }]
const ref = Type.Ref('WuzapiError')
const Status = Type.Union(['pending', 'processing', 'delivered', 'failed'].map((s) => Type.Literal(s)))
const FilterFields = {
  user_id: Type.Optional(Type.String()),
  event_type: Type.Optional(
    Type.String({ description: 'message.sent, message.failed, message.received, group.update' }),
  ),
  status: Type.Optional(Status),
  since_id: Type.Optional(Type.Integer({ minimum: 0 })),
  since_time: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  only_failed: Type.Optional(Type.Boolean()),
}
const Query = Type.Object({ session: Type.Optional(Type.String()), ...FilterFields })
const Filter = Type.Object(FilterFields)
const Event = Type.Object({
  id: Type.Integer(),
  user_id: Type.String(),
  event_type: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String(),
  attempts: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const toWire = (e: MonitoringEvent): Static<typeof Event> => ({
  id: e.id,
  user_id: e.userId,
  event_type: e.eventType,
  payload: e.payload,
  status: e.status,
  attempts: e.attempts,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
})
const toFilter = (q: Static<typeof Filter>): MonitoringFilter => ({
  userId: q.user_id,
  eventType: q.event_type,
  status: q.status as MonitoringFilter['status'],
  sinceId: q.since_id,
  sinceTime: q.since_time,
  onlyFailed: q.only_failed,
})

/**
 * DIGIGO's `/admin/events/*`: monitoring history, a Server-Sent Events stream (backlog, then live
 * changes, with heartbeats), stats, pruning, and short-lived session tokens for streams.
 */
export const monitoringRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const { monitoring, auth } = services
  /** The admin (any user), or a session token held to one user. */
  const watcher = (
    req: FastifyRequest,
    session: string | undefined,
    filter: MonitoringFilter,
  ): MonitoringFilter => {
    if (session) {
      const s = monitoring.session(session)
      if (s.userId && filter.userId && filter.userId !== s.userId)
        throw new AppError('FORBIDDEN', 'User token requires user_id filter')
      return { ...s.filter, ...filter, ...(s.userId ? { userId: s.userId } : {}) }
    }
    auth.requireAdmin(authorizationValue(req))
    return filter
  }

  app.get(
    '/admin/events/history',
    {
      schema: {
        tags,
        security,
        summary: 'Monitoring records, oldest first (since_id pages forward)',
        querystring: Query,
        response: {
          200: Type.Object({
            events: Type.Array(Event),
            has_more: Type.Boolean(),
            next_id: Type.Integer(),
            count: Type.Integer(),
          }),
          ...errorResponses,
          403: ref,
          503: ref,
        },
      },
    },
    async (req) => {
      const { session, limit = 50, ...q } = req.query
      const page = await monitoring.history(watcher(req, session, toFilter(q)), limit)
      return {
        events: page.events.map(toWire),
        has_more: page.hasMore,
        next_id: page.nextId,
        count: page.events.length,
      }
    },
  )

  app.get(
    '/admin/events/stream',
    {
      schema: {
        tags,
        security,
        summary: 'Server-Sent Events: the last `limit` records, then every new record and status change',
        querystring: Query,
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...errorResponses,
          403: ref,
          503: ref,
        },
      },
    },
    async (req, reply) => {
      const { session, limit = 50, ...q } = req.query
      const filter = watcher(req, session, toFilter(q))
      const backlog = await monitoring.backlog(filter, limit)
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      const send = (e: MonitoringEvent) =>
        res.write(`id: ${e.id}\nevent: ${e.eventType}\ndata: ${JSON.stringify(toWire(e))}\n\n`)
      let since = new Date().toISOString()
      for (const e of backlog) send(e)
      monitoring.clients++
      let busy = false
      const poll = async () => {
        if (busy) return
        busy = true
        try {
          for (const e of await monitoring.changedSince(since, filter)) {
            send(e)
            if (e.updatedAt > since) since = e.updatedAt
          }
        } catch (err) {
          req.log.warn({ err }, 'monitoring stream poll failed')
        } finally {
          busy = false
        }
      }
      const unsubscribe = monitoring.onChange(() => void poll())
      const timer = setInterval(() => void poll(), 1_000)
      const heartbeat = setInterval(() => res.write(`: heartbeat ${new Date().toISOString()}\n\n`), 15_000)
      req.raw.on('close', () => {
        monitoring.clients--
        unsubscribe()
        clearInterval(timer)
        clearInterval(heartbeat)
      })
    },
  )

  app.get(
    '/admin/events/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Monitoring counts by status and type, and connected stream clients (admin)',
        response: {
          200: Type.Object({
            hub: Type.Object({
              connected_clients: Type.Integer(),
              uptime_seconds: Type.Integer(),
              start_time: Type.String(),
            }),
            notifier: Type.Object({ enabled: Type.Boolean() }),
            events: Type.Object({
              by_status: Type.Record(Type.String(), Type.Integer()),
              by_type: Type.Record(Type.String(), Type.Integer()),
            }),
            clients: Type.Array(Type.Unknown()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      auth.requireAdmin(authorizationValue(req))
      return {
        hub: {
          connected_clients: monitoring.clients,
          uptime_seconds: Math.floor((Date.now() - monitoring.startedAt.getTime()) / 1000),
          start_time: monitoring.startedAt.toISOString(),
        },
        notifier: { enabled: monitoring.options.enabled },
        events: await monitoring.counts(),
        clients: [],
      }
    },
  )

  app.post(
    '/admin/events/prune',
    {
      schema: {
        tags,
        security,
        summary: 'Delete monitoring records older than the retention (or retention_hours)',
        body: Type.Optional(Type.Object({ retention_hours: Type.Optional(Type.Integer({ minimum: 1 })) })),
        response: {
          200: Type.Object({
            deleted: Type.Integer(),
            retention_h: Type.Integer(),
            threshold: Type.String(),
          }),
          ...errorResponses,
          503: ref,
        },
      },
    },
    async (req) => {
      auth.requireAdmin(authorizationValue(req))
      const r = await monitoring.prune(req.body?.retention_hours)
      return { deleted: r.deleted, retention_h: r.retentionHours, threshold: r.threshold }
    },
  )

  app.post(
    '/admin/events/session',
    {
      schema: {
        tags,
        security: [{ AdminAuth: [] }, { ApiKeyAuth: [] }],
        summary: 'A stream session token (5 minutes); a user token gets one for its own events only',
        querystring: Type.Object({ session: Type.Optional(Type.String({ description: 'renew this one' })) }),
        body: Type.Optional(Type.Object({ filters: Type.Optional(Filter) })),
        response: {
          200: Type.Object({
            session_token: Type.String(),
            expires_at: Type.String(),
            stream_url: Type.String(),
            ttl_seconds: Type.Integer(),
          }),
          ...errorResponses,
          403: ref,
        },
      },
    },
    async (req) => {
      const filter = toFilter(req.body?.filters ?? {})
      let userId: string | undefined
      try {
        auth.requireAdmin(authorizationValue(req))
      } catch {
        userId = (await auth.requireUser(userToken(req))).id
      }
      if (userId && filter.userId !== userId)
        throw new AppError('FORBIDDEN', 'User token requires user_id filter')
      const s = monitoring.openSession(userId, filter, req.query.session)
      return {
        session_token: s.token,
        expires_at: new Date(s.expiresAt).toISOString(),
        stream_url: `/admin/events/stream?session=${s.token}`,
        ttl_seconds: 300,
      }
    },
  )
}
