import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from '@sinclair/typebox'
import type { HealthReport } from '../services/health.service.js'
import type { Services } from '../services/index.js'
import { authorizationValue } from './credentials.js'
import type { Metrics } from './metrics.js'

const HealthBody = Type.Object({
  code: Type.Integer({ enum: [200, 503] }),
  data: Type.String({ description: '"OK", or "ERROR" when unhealthy' }),
  success: Type.Boolean(),
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  version: Type.String(),
  uptime: Type.Integer({ description: 'seconds' }),
  timestamp: Type.String({ format: 'date-time' }),
  metrics: Type.Object({
    node_version: Type.String(),
    cpu_count: Type.Integer(),
    rss_bytes: Type.Integer(),
    heap_used_bytes: Type.Integer(),
  }),
  environment: Type.Object({
    containerized: Type.Boolean(),
    hostname: Type.Union([Type.String(), Type.Null()]),
    app_env: Type.Union([Type.String(), Type.Null()]),
    app_region: Type.Union([Type.String(), Type.Null()]),
  }),
  build: Type.Union([Type.Object({ commit: Type.String() }), Type.Null()]),
  services: Type.Record(
    Type.String(),
    Type.Object({
      status: Type.String(),
      latency_ms: Type.Number(),
      open_connections: Type.Integer(),
      in_use: Type.Integer(),
      idle: Type.Integer(),
      driver: Type.String(),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})

export interface SystemOptions {
  services: Services
  metrics: Metrics
  version: string
  appEnv: string | undefined
  appRegion: string | undefined
  containerized: boolean
  commit: string | undefined
}

/** `/health` (no auth, DIGIGO's shape), `/metrics` (Prometheus) and `/openapi.json`. */
export const systemRoutes: FastifyPluginAsyncTypebox<SystemOptions> = async (app, opts) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['System'],
        summary: 'Health with dependency probes; 503 when unhealthy',
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (_req, reply) => {
      const body = toHealthBody(await opts.services.health.check(), opts)
      return reply.status(body.code as 200 | 503).send(body)
    },
  )

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['System'],
        summary: 'Prometheus metrics (Authorization: Bearer <ZAPWIRE_METRICS_TOKEN> when that is set)',
        produces: ['text/plain'],
        response: { 200: Type.String(), 401: Type.Ref('WuzapiError') },
      },
    },
    async (req, reply) => {
      opts.services.auth.requireMetrics(authorizationValue(req))
      return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics())
    },
  )

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

/** Domain health report → DIGIGO's `/health` body (Node facts where DIGIGO reports Go's). */
function toHealthBody(report: HealthReport, opts: SystemOptions): Static<typeof HealthBody> {
  const code = report.status === 'unhealthy' ? 503 : 200
  return {
    code,
    data: code === 200 ? 'OK' : 'ERROR',
    success: code === 200,
    status: report.status,
    version: opts.version,
    uptime: report.uptimeSeconds,
    timestamp: new Date().toISOString(),
    metrics: {
      node_version: report.runtime.nodeVersion,
      cpu_count: report.runtime.cpuCount,
      rss_bytes: report.runtime.rssBytes,
      heap_used_bytes: report.runtime.heapUsedBytes,
    },
    environment: {
      containerized: opts.containerized,
      hostname: report.runtime.hostname,
      app_env: opts.appEnv ?? null,
      app_region: opts.appRegion ?? null,
    },
    build: opts.commit ? { commit: opts.commit } : null,
    services: report.services,
  }
}
