import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { authorizationValue, userToken } from '../../server/credentials.js'
import type { InstanceRow } from '../../services/dashboard.service.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { SESSION_STATES } from '../../services/session-policy.js'
import { Envelope, errorResponses, ok } from './envelope.js'

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
  webhook: user.settings.webhook,
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
  const { dashboard, users } = services
  app.decorateRequest('dashboardScope', null)
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
    '/dashboard/api/attempts',
    {
      schema: {
        tags,
        security,
        summary:
          'The delivery log: every webhook/sink attempt this process made (newest first, the last 5,000)',
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
