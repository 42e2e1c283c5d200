import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Services } from '../../services/index.js'
import { Envelope, errorResponses, ok } from './envelope.js'

const tags = ['Admin Global']
const security = [{ AdminAuth: [] }]
const Str = Type.String()
const Events = Type.Array(Str)
const GlobalConfig = Type.Object({
  webhook: Type.Object({ enabled: Type.Boolean(), url: Str, events: Events, includeToken: Type.Boolean() }),
  rabbitmq: Type.Object({
    enabled: Type.Boolean(),
    url: Str,
    events: Events,
    exchange: Str,
    queue: Str,
    routingKey: Str,
  }),
  redis: Type.Object({
    enabled: Type.Boolean(),
    url: Str,
    events: Events,
    mode: Str,
    key: Str,
    maxLen: Type.Integer(),
  }),
  nats: Type.Object({ enabled: Type.Boolean(), url: Str, events: Events, subject: Str, stream: Str }),
  sqs: Type.Object({
    enabled: Type.Boolean(),
    url: Str,
    events: Events,
    region: Str,
    endpoint: Str,
    accessKeyId: Str,
    secretAccessKey: Str,
  }),
  s3: Type.Object({
    enabled: Type.Boolean(),
    bucket: Type.Object({
      endpoint: Str,
      region: Str,
      bucket: Str,
      accessKey: Str,
      secretKey: Str,
      pathStyle: Type.Boolean(),
      publicUrl: Str,
      pathPrefix: Str,
      disableAcl: Type.Boolean(),
    }),
    mediaDelivery: Str,
    retentionDays: Type.Integer(),
  }),
  skipMediaDownload: Type.Boolean({ description: 'GLOBAL_SKIP_MEDIA_DOWNLOAD' }),
  problems: Type.Array(Str, { description: 'GLOBAL_* values that were refused (their transport is off)' }),
})
const Stats = Type.Object({
  enabled: Type.Boolean(),
  sinks: Type.Array(
    Type.Object({
      sink: Str,
      transport: Str,
      pending: Type.Integer(),
      retrying: Type.Integer(),
      cursor: Type.Integer(),
    }),
  ),
  webhook: Type.Object({
    enabled: Type.Boolean(),
    url: Str,
    events: Events,
    timeout: Str,
    maxRetries: Type.Integer(),
    maxConcurrency: Type.Integer(),
  }),
})

/** DIGIGO's `/admin/global/*`: the global transports' configuration, reload and stats. */
export const globalRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { transports, dispatcher } = services
  const stats = () => {
    const { webhook } = transports.view()
    const { policy } = dispatcher
    return {
      enabled: (['webhook', 'rabbitmq', 'redis', 'nats', 'sqs', 's3'] as const).some(
        (t) => transports.config[t].enabled,
      ),
      sinks: dispatcher.snapshot(),
      webhook: {
        enabled: webhook.enabled,
        url: webhook.url,
        events: webhook.events,
        timeout: `${Math.round(services.webhookClient.timeout / 1000)}s`,
        maxRetries: policy.maxAttempts,
        maxConcurrency: policy.concurrency,
      },
    }
  }

  app.get(
    '/admin/global/config',
    {
      schema: {
        tags,
        security,
        summary: 'The global transports (GLOBAL_* settings), credentials masked',
        response: { 200: GlobalConfig, ...errorResponses },
      },
    },
    async () => transports.view(),
  )

  app.post(
    '/admin/global/config/reload',
    {
      schema: {
        tags,
        security,
        summary: 'Read the GLOBAL_* settings again (environment and .env) without a restart',
        response: {
          200: Type.Object({ success: Type.Boolean(), message: Str, config: GlobalConfig, stats: Stats }),
          ...errorResponses,
        },
      },
    },
    async () => {
      await transports.reload()
      return {
        success: true,
        message: 'Global configurations reloaded successfully',
        config: transports.view(),
        stats: stats(),
      }
    },
  )

  const Result = Type.Object({
    enabled: Type.Boolean(),
    success: Type.Boolean(),
    error: Str,
    responseTime: Type.Integer({ description: 'ms' }),
  })
  const Results = Type.Object({ webhook: Result, rabbitmq: Result, redis: Result, nats: Result, sqs: Result })
  const testEvent = (type: string, userId: string, data: Record<string, unknown>) => ({
    id: `test-${randomUUID()}`,
    seq: 0,
    userId,
    type,
    chat: '',
    jid: '',
    lid: '',
    at: new Date(),
    data,
  })

  app.post(
    '/admin/global/test',
    {
      schema: {
        tags,
        security,
        summary: 'Send a test event to every global transport now; per transport: taken or not, and how fast',
        response: { 200: Results, ...errorResponses },
      },
    },
    async () =>
      transports.test(testEvent('AdminTest', 'admin-test', { message: 'Zapwire global transport test' })),
  )

  app.post(
    '/admin/global/event/test',
    {
      schema: {
        tags,
        security,
        summary: 'Push a test event (your type, user and data) through the global transports',
        body: Type.Object({
          event_type: Type.Optional(Str),
          user_id: Type.Optional(Str),
          user_token: Type.Optional(Str),
          data: Type.Optional(Type.Record(Str, Type.Unknown())),
        }),
        response: {
          200: Type.Object({
            success: Type.Boolean(),
            message: Str,
            eventType: Str,
            userID: Str,
            userToken: Str,
            data: Type.Record(Str, Type.Unknown()),
            results: Results,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const eventType = req.body.event_type || 'TestEvent'
      const userID = req.body.user_id || 'admin-test'
      const data = req.body.data ?? {}
      const results = await transports.test(testEvent(eventType, userID, data))
      return {
        success: Object.values(results).every((r) => !r.enabled || r.success),
        message: 'Test event dispatched to global systems',
        eventType,
        userID,
        userToken: req.body.user_token || userID,
        data,
        results,
      }
    },
  )

  app.get(
    '/admin/global/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Delivery state of every sink, and the global webhook’s policy',
        response: { 200: Stats, ...errorResponses },
      },
    },
    async () => stats(),
  )

  const RetentionStats = Type.Object({
    enabled: Type.Boolean(),
    running: Type.Boolean({ description: 'the schedule is on' }),
    currently_running: Type.Boolean({ description: 'a cycle is going now' }),
    last_run_time: Type.Union([Str, Type.Null()]),
    last_run_duration: Str,
    objects_deleted: Type.Integer(),
    bytes_reclaimed: Type.Integer(),
    error_count: Type.Integer(),
    users_processed: Type.Integer(),
    cycle_count: Type.Integer(),
    config: Type.Object({
      interval: Str,
      max_concurrency: Type.Integer(),
      batch_size: Type.Integer(),
      objects_per_cycle: Type.Integer(),
    }),
  })

  app.get(
    '/admin/global/s3-retention/stats',
    {
      schema: {
        tags,
        security,
        summary: 'What the S3 retention worker deleted (expired media objects), and its schedule',
        response: { 200: Envelope(RetentionStats), ...errorResponses },
      },
    },
    async () => ok(services.s3Retention.stats()),
  )

  app.post(
    '/admin/global/s3-retention/trigger',
    {
      schema: {
        tags,
        security,
        summary: 'Run one retention cycle now, in the background',
        response: {
          200: Type.Object({ code: Type.Integer(), success: Type.Boolean(), message: Str }),
          ...errorResponses,
        },
      },
    },
    async () => {
      void services.s3Retention.trigger()
      return {
        code: 200,
        success: true,
        message: 'S3 retention cycle triggered. Check /admin/global/s3-retention/stats for progress.',
      }
    },
  )
}
