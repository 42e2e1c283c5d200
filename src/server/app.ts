import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify'
import type { Logger } from 'pino'
import { MegaError } from '../api/megaapi/envelope.js'
import { megaapiDialect } from '../api/megaapi/index.js'
import { ErrorBody } from '../api/wuzapi/envelope.js'
import { wuzapiError, wuzapiErrorHandler } from '../api/wuzapi/errors.js'
import { wuzapiDialect } from '../api/wuzapi/index.js'
import { type Config, ConfigError } from '../config/config.js'
import type { NetworkTarget } from '../engine/port.js'
import { openContext } from '../services/context.js'
import { AppError } from '../services/errors.js'
import { dashboardPlugin } from './dashboard.js'
import { createMetrics, trackHttp } from './metrics.js'
import { registerSwagger } from './swagger.js'
import { systemRoutes } from './system.routes.js'

export interface AppOptions {
  config: Config
  adminToken: string
  encryptionKey: Buffer
  /** `serve --skipmedia` (DIGIGO's `-skipmedia`): wins over every media setting. */
  skipMedia?: boolean
}

/** WhatsApp itself, or the test network whose control URL is given (asked for its addresses). */
async function networkTarget(testnetUrl: string | undefined): Promise<NetworkTarget> {
  if (!testnetUrl) return {}
  let info: { wsUrl: string; rootPublicKey: string; mediaCertificate: string; mediaUrl: string }
  try {
    const res = await fetch(new URL('/info', testnetUrl), { signal: AbortSignal.timeout(5_000) })
    info = (await res.json()) as typeof info
  } catch (err) {
    throw new ConfigError([
      `ZAPWIRE_TESTNET=${testnetUrl}: cannot reach the test network (${(err as Error).message})`,
    ])
  }
  return {
    wsUrl: info.wsUrl,
    rootPublicKey: Buffer.from(info.rootPublicKey, 'base64'),
    mediaCertificate: info.mediaCertificate,
    mediaUrl: info.mediaUrl,
  }
}

export const VERSION: string = JSON.parse(
  fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version

/**
 * Builds the whole gateway (database, services, dialects, docs) and never listens: the launcher
 * (main.ts) and the tests decide that. Every resource closes itself on `app.close()`.
 */
export async function buildApp(
  options: AppOptions,
  server: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // One line per request at debug instead of Fastify's two at info: a busy gateway's logs stay readable.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { keywords: ['x-aliases'] } },
    ...server,
  })
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true })
  // Many clients send `Content-Type: application/json` with no body (GETs, bare POSTs): that is
  // no body, not malformed JSON. Anything else goes through Fastify's own (poisoning-safe) parser.
  const json = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && body.trim() === '') done(null, undefined)
    else json(req, body as string, done)
  })

  const metrics = createMetrics()
  const context = await openContext({
    databaseUrl: config.databaseUrl,
    adminToken: options.adminToken,
    encryptionKey: options.encryptionKey,
    blockPrivateUrls: config.blockPrivateUrls,
    metricsToken: config.metricsToken,
    network: await networkTarget(config.testnetUrl),
    logger: app.log as unknown as Logger,
    watchdogMs: config.watchdogMs,
    leaseMs: config.sessionLeaseMs,
    counters: metrics.sessions,
    deliveryCounters: metrics.deliveries,
    eventRetentionDays: config.eventRetentionDays,
    delivery: {
      webhookTimeoutMs: config.webhookTimeoutMs,
      maxAttempts: config.deliveryMaxAttempts,
      maxAgeMs: config.deliveryMaxAgeHours * 3_600_000,
      retryBaseMs: config.deliveryRetryBaseMs,
      concurrency: config.deliveryConcurrency,
      archiveRetentionDays: config.archiveRetentionDays,
      dlqRetentionDays: config.dlqRetentionDays,
    },
    sendIntervalMs: config.sendIntervalMs,
    bodyLimit: config.bodyLimit,
    mediaAllowHosts: config.mediaAllowHosts,
    dailySendCap: config.dailySendCap,
    warmupCaps: config.warmupCaps,
    checkLimits: { perRequest: config.checkMaxPerRequest, perMinute: config.checkMaxPerMinute },
    echoApiMessagesEnabled: config.echoApiMessagesEnabled,
    monitoring: { enabled: config.monitoringStorageEnabled, retentionDays: config.monitoringRetentionDays },
    skipMedia: options.skipMedia ?? false,
    s3RetentionIntervalMs: config.s3RetentionIntervalMinutes * 60_000,
  })
  app.addHook('onClose', () => context.close())
  const { services } = context
  metrics.watchDeliveries({
    sinks: () => services.dispatcher.snapshot(),
    dlqDepth: async () => {
      const rows = (await services.deliveries.stats()).filter((r) => r.status === 'dlq')
      const byTransport = new Map<string, number>()
      for (const r of rows) byTransport.set(r.transport, (byTransport.get(r.transport) ?? 0) + r.n)
      return [...byTransport].map(([transport, n]) => ({ transport, n }))
    },
  })
  // Sessions that were logged in come back by themselves once the server listens.
  app.addHook('onListen', async () => {
    void services.sessions
      .restore(config.restoreConcurrency)
      .catch((err) => app.log.error({ err }, 'restoring sessions failed'))
  })
  try {
    app.addSchema(ErrorBody)
    app.addSchema(MegaError)
    await registerSwagger(app, { version: VERSION, basePath: config.basePath })
    // Clients send at most a small first frame (a token): refuse anything larger.
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } })
    trackHttp(app, metrics)
    app.addHook('onSend', async (req, reply) => {
      reply.header('x-request-id', req.id)
    })
    app.addHook('onResponse', async (req, reply) => {
      req.log.debug(
        { method: req.method, url: req.url, status: reply.statusCode, ms: reply.elapsedTime },
        'request',
      )
    })
    app.setErrorHandler(wuzapiErrorHandler)
    app.setNotFoundHandler((req, reply) => {
      const { status, body } = wuzapiError(new AppError('ROUTE_NOT_FOUND', 'not found'), req.id)
      return reply.status(status).send(body)
    })

    await app.register(
      async (scoped) => {
        await scoped.register(systemRoutes, {
          services,
          metrics,
          version: VERSION,
          appEnv: config.appEnv,
          appRegion: config.appRegion,
          containerized: fs.existsSync('/.dockerenv'),
          commit: process.env.ZAPWIRE_COMMIT,
        })
        await scoped.register(wuzapiDialect, { services })
        await scoped.register(dashboardPlugin, { basePath: config.basePath ?? '' })
        await scoped.register(megaapiDialect, { services, prefix: '/rest' })
      },
      { prefix: config.basePath },
    )
    await app.ready()
  } catch (err) {
    await app.close().catch(() => undefined)
    throw err
  }
  return app
}
