import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { eventEnvelope } from '../../events/event.js'
import { redactUrl } from '../../lib/redact.js'
import { authorizationValue, userToken } from '../../server/credentials.js'
import type { InstanceRow } from '../../services/dashboard.service.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { SESSION_STATES } from '../../services/session-policy.js'
import { Envelope, errorResponses, ok } from './envelope.js'

type FastifyTypebox = Parameters<FastifyPluginAsyncTypebox>[0]

const tags = ['Dashboard']
const security: Record<string, string[]>[] = [{ AdminAuth: [] }, { ApiKeyAuth: [] }, { BearerAuth: [] }]
const Str = Type.String()
const Int = Type.Integer()
const Iso = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

const Instance = Type.Object({
  id: Str,
  serial: Int,
  name: Str,
  jid: Str,
  lid: Str,
  state: Type.Unsafe<string>({ type: 'string', enum: [...SESSION_STATES] }),
  since: Type.String({ format: 'date-time', description: 'when the session entered `state`' }),
  lastInboundAt: Type.Union([Iso], { description: 'the last frame WhatsApp sent this session' }),
  lastConnectedAt: Iso,
  reconnects: Int,
  webhook: Str,
  events: Str,
})

const Attempt = Type.Object({
  at: Type.String({ format: 'date-time' }),
  sink: Type.String({ description: '`webhook:<user id>`, `rabbitmq:<user id>`, `global-webhook`…' }),
  transport: Str,
  user_id: Str,
  event_id: Str,
  event_seq: Int,
  event_type: Str,
  attempt: Type.Integer({ description: 'the attempt’s number for this event and sink (1 = first)' }),
  outcome: Type.Unsafe<string>({ type: 'string', enum: ['success', 'retrying', 'dlq'] }),
  latency_ms: Int,
  error: Type.String({
    description:
      'the failure as the dispatcher saw it (`HTTP 400`, a network error); the receiver’s body is never read',
  }),
})

type Scope = { admin: true; userId?: undefined } | { admin: false; userId: string }

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called a dashboard route: the admin, or one user. */
    dashboardScope: Scope | null
  }
}

const toInstance = ({ user, session }: InstanceRow) => ({
  id: user.id,
  serial: user.serial,
  name: user.name,
  jid: session.jid ?? user.jid,
  lid: session.lid ?? user.lid,
  state: session.state,
  since: session.since.toISOString(),
  lastInboundAt: session.lastInboundAt?.toISOString() ?? null,
  lastConnectedAt: session.lastConnectedAt?.toISOString() ?? null,
  reconnects: session.reconnects,
  webhook: redactUrl(user.settings.webhook),
  events: user.settings.events.join(','),
})

function intParam(value: string | undefined, fallback: number, min: number, max: number, name: string) {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AppError('VALIDATION', `${name} must be an integer from ${min} to ${max}`)
  return n
}

/**
 * Zapwire's routes for the operators' dashboard (`/dashboard/`): the admin token sees every
 * instance, a user token only its own.
 */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  app.decorateRequest('dashboardScope', null)
  await app.register(eventsSocket, { services })
  await app.register(async (api) => scopedRoutes(api, services))
}

/** The dashboard's REST routes: every request authenticated (admin or one user), never cached. */
const scopedRoutes = async (app: FastifyTypebox, services: Services) => {
  const { dashboard, users } = services
  const isAdmin = (credential: string) => {
    try {
      services.auth.requireAdmin(credential)
      return true
    } catch {
      return false
    }
  }
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const header = req.headers.token
    const authorization = authorizationValue(req)
    if (!header && authorization && isAdmin(authorization)) {
      req.dashboardScope = { admin: true }
      return
    }
    req.dashboardScope = { admin: false, userId: (await services.auth.requireUser(userToken(req))).id }
  })
  // Answers name instances and their state: not for the browser's disk cache.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store')
  })

  app.get(
    '/dashboard/api/me',
    {
      schema: {
        tags,
        security,
        summary: 'Who the credential is: the admin, or the instance (user) it belongs to',
        response: {
          200: Envelope(
            Type.Object({
              role: Type.Unsafe<string>({ type: 'string', enum: ['admin', 'user'] }),
              id: Type.Optional(Str),
              name: Type.Optional(Str),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const scope = req.dashboardScope!
      if (scope.admin) return ok({ role: 'admin' })
      const user = await users.get(scope.userId)
      return ok({ role: 'user', id: user.id, name: user.name })
    },
  )

  app.get(
    '/dashboard/api/instances',
    {
      schema: {
        tags,
        security,
        summary: 'Instances with their live session state, searched and paged (a user sees itself)',
        querystring: Type.Object({
          search: Type.Optional(Type.String({ maxLength: 200, description: 'name, id, serial or phone' })),
          state: Type.Optional(Type.String({ description: 'comma-separated states' })),
          limit: Type.Optional(Type.String({ description: '1 to 500 (default 50)' })),
          offset: Type.Optional(Type.String({ description: '0 or more (default 0)' })),
        }),
        response: {
          200: Envelope(Type.Object({ items: Type.Array(Instance), total: Int, limit: Int, offset: Int })),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query
      const limit = intParam(q.limit, 50, 1, 500, 'limit')
      const offset = intParam(q.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset')
      const states = (q.state ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      const unknown = states.find((s) => !(SESSION_STATES as readonly string[]).includes(s))
      if (unknown) throw new AppError('VALIDATION', `unknown state: ${unknown}`)
      const scope = req.dashboardScope!
      if (!scope.admin) {
        const user = await users.get(scope.userId)
        const row = { user, session: services.sessions.view(user.id) }
        return ok({ items: [toInstance(row)], total: 1, limit, offset: 0 })
      }
      const { items, total } = await dashboard.instances({ search: q.search, states, limit, offset })
      return ok({ items: items.map(toInstance), total, limit, offset })
    },
  )

  app.get(
    '/dashboard/api/instances/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One instance with its live session state (a user token: only its own)',
        params: Type.Object({ id: Type.String({ maxLength: 64, description: 'id or serial' }) }),
        response: { 200: Envelope(Instance), 404: Type.Ref('WuzapiError'), ...errorResponses },
      },
    },
    async (req) => {
      const scope = req.dashboardScope!
      const row = await dashboard.instance(req.params.id)
      // Another user's instance is answered as absent: its existence is not disclosed either.
      if (!scope.admin && row.user.id !== scope.userId) throw new AppError('USER_NOT_FOUND', 'user not found')
      return ok(toInstance(row))
    },
  )

  app.get(
    '/dashboard/api/attempts',
    {
      schema: {
        tags,
        security,
        summary:
          'The delivery log: every webhook/sink attempt this process made (newest first, the last 5,000; a user token: its own webhook and RabbitMQ only)',
        querystring: Type.Object({
          user_id: Type.Optional(Type.String({ description: 'admin: one instance’s attempts' })),
          outcome: Type.Optional(
            Type.Unsafe<string>({ type: 'string', enum: ['success', 'retrying', 'dlq'] }),
          ),
          event_id: Type.Optional(Str),
          limit: Type.Optional(Type.String({ description: '1 to 1000 (default 100)' })),
        }),
        response: { 200: Envelope(Type.Array(Attempt)), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query
      const scope = req.dashboardScope!
      const userId = scope.admin ? q.user_id : scope.userId
      const records = dashboard.attempts({
        ...(userId ? { userId } : {}),
        ...(scope.admin ? {} : { ownSinksOf: scope.userId }),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.event_id ? { eventId: q.event_id } : {}),
        limit: intParam(q.limit, 100, 1, 1000, 'limit'),
      })
      return ok(
        records.map((r) => ({
          at: r.at,
          sink: r.sink,
          transport: r.transport,
          user_id: r.userId,
          event_id: r.eventId,
          event_seq: r.eventSeq,
          event_type: r.eventType,
          attempt: r.attempt,
          outcome: r.outcome,
          latency_ms: r.latencyMs,
          error: r.error,
        })),
      )
    },
  )
}

/** The first frame a dashboard socket must send: the credential stays out of the URL. */
const Hello = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 512 }),
  after: Type.Optional(Type.Integer({ minimum: 0 })),
  types: Type.Optional(Type.String({ maxLength: 2_000 })),
})
const isHello = TypeCompiler.Compile(Hello)

/**
 * `GET /dashboard/api/events/ws` (WebSocket): a user's events for the live inspector, like `/ws`,
 * but the token comes in the first frame (`{"token":"…","after":123}`) instead of `?token=`, so it
 * never lands in an access log, a proxy's log or the browser's history. Answers `{"ready":true}`,
 * then one JSON text frame per event; closes with 4401 on a wrong token, 4400 on a malformed or
 * missing (10 s) first frame.
 */
const eventsSocket: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.get('/dashboard/api/events/ws', { websocket: true, schema: { hide: true } }, (socket) => {
    let stream: { stop(): void } | undefined
    let closed = false
    const timer = setTimeout(() => socket.close(4400, 'send {"token":"…"} first'), 10_000)
    timer.unref()
    const heartbeat = setInterval(() => socket.ping(), 30_000)
    heartbeat.unref()
    socket.on('close', () => {
      closed = true
      clearTimeout(timer)
      clearInterval(heartbeat)
      stream?.stop()
    })
    socket.once('message', async (raw: Buffer) => {
      clearTimeout(timer)
      let hello: unknown
      try {
        hello = JSON.parse(raw.toString('utf8'))
      } catch {
        hello = undefined
      }
      if (!isHello.Check(hello)) return socket.close(4400, 'send {"token":"…"} first')
      let userId: string
      try {
        userId = (await services.auth.requireUser(hello.token)).id
      } catch {
        return socket.close(4401, 'unauthorized')
      }
      if (closed) return
      const types = hello.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean)
      let opened: { stop(): void }
      try {
        opened = await services.eventStream.open({ userId, after: hello.after, types }, async (event) => {
          if (socket.readyState !== socket.OPEN) return
          socket.send(JSON.stringify(eventEnvelope(event)))
        })
      } catch {
        return socket.close(1011, 'the event stream failed')
      }
      if (closed) return opened.stop()
      stream = opened
      socket.send(JSON.stringify({ ready: true }))
    })
  })
}
