import fs from 'node:fs'
import { parseEnv } from 'node:util'
import type { Logger } from 'pino'
import { EVENT_NAMES, parseSubscription } from '../events/catalogue.js'
import type { Dispatcher, SinkSource } from '../events/dispatcher.js'
import type { ZapEvent } from '../events/event.js'
import type { Sink } from '../events/sink.js'
import { AmqpSink } from '../events/sinks/amqp.sink.js'
import { NatsSink } from '../events/sinks/nats.sink.js'
import { RedisSink } from '../events/sinks/redis.sink.js'
import { SqsSink } from '../events/sinks/sqs.sink.js'
import { type WebhookClient, WebhookSink } from '../events/sinks/webhook.sink.js'
import { skipped } from '../events/skips.js'
import { redactUrl } from '../lib/redact.js'
import { urlProblem } from '../lib/url-guard.js'
import type { DeliveriesRepository } from '../store/deliveries.repository.js'
import { AppError, validation } from './errors.js'
import type { BucketConfig } from './object-store.js'
import { userRabbitTarget } from './user-rabbitmq.js'
import type { GlobalTransportSkips, User } from './users.model.js'
import type { UsersService } from './users.service.js'
import type { WebhooksService } from './webhooks.service.js'

/** The global transports (DIGIGO's GLOBAL_* settings): every user's events, unless it opts out. */
export interface GlobalTransports {
  webhook: { enabled: boolean; url: string; events: string[]; includeToken: boolean }
  rabbitmq: {
    enabled: boolean
    url: string
    events: string[]
    exchange: string
    queue: string
    routingKey: string
  }
  redis: {
    enabled: boolean
    url: string
    events: string[]
    mode: 'stream' | 'pubsub'
    key: string
    maxLen: number
  }
  nats: { enabled: boolean; url: string; events: string[]; subject: string; stream: string }
  sqs: {
    enabled: boolean
    url: string
    events: string[]
    region: string
    endpoint: string
    accessKeyId: string
    secretAccessKey: string
  }
  /** The shared S3 pipeline: media of users without their own S3 (and not opted out). */
  s3: {
    enabled: boolean
    bucket: BucketConfig
    mediaDelivery: 'base64' | 's3' | 'both'
    retentionDays: number
  }
  /** `GLOBAL_SKIP_MEDIA_DOWNLOAD`: no user's media is downloaded (the CLI flag still wins). */
  skipMediaDownload: boolean
}

type Env = Record<string, string | undefined>

/** Reads the GLOBAL_* settings; each wrong value is a problem (and its transport stays off). */
export function readGlobalTransports(env: Env): { config: GlobalTransports; problems: string[] } {
  const problems: string[] = []
  const on = (name: string) => /^(1|true|yes|on)$/i.test(env[name] ?? '')
  const events = (name: string) => {
    const { events, unknown } = parseSubscription(env[name] || 'All')
    if (unknown.length) problems.push(`${name}: unknown event names ${unknown.join(', ')}`)
    return events
  }
  const url = (name: string, schemes: string[]) => {
    const value = env[name] ?? ''
    const problem = value ? urlProblem(value, { schemes, blockPrivate: false }) : `${name} is required`
    return { value, problem }
  }
  const transport = <T extends { enabled: boolean }>(
    prefix: string,
    schemes: string[],
    build: (u: string) => T,
  ) => {
    if (!on(`${prefix}_ENABLED`)) return build('')
    const { value, problem } = url(`${prefix}_URL`, schemes)
    if (problem) {
      problems.push(`${prefix}_URL ${problem}`)
      return { ...build(value), enabled: false }
    }
    return build(value)
  }
  const config: GlobalTransports = {
    webhook: transport('GLOBAL_WEBHOOK', ['http', 'https'], (u) => ({
      enabled: u !== '',
      url: u,
      events: events('GLOBAL_WEBHOOK_EVENTS'),
      includeToken: on('GLOBAL_WEBHOOK_INCLUDE_TOKEN'),
    })),
    rabbitmq: transport('GLOBAL_RABBITMQ', ['amqp', 'amqps'], (u) => ({
      enabled: u !== '',
      url: u,
      events: events('GLOBAL_RABBITMQ_EVENTS'),
      exchange: env.GLOBAL_RABBITMQ_EXCHANGE || 'digigo.global',
      queue: env.GLOBAL_RABBITMQ_QUEUE ?? 'digigo.events',
      routingKey: env.GLOBAL_RABBITMQ_ROUTING_KEY || 'events.#',
    })),
    redis: transport('GLOBAL_REDIS', ['redis', 'rediss'], (u) => ({
      enabled: u !== '',
      url: u,
      events: events('GLOBAL_REDIS_EVENTS'),
      mode: env.GLOBAL_REDIS_MODE === 'pubsub' ? 'pubsub' : 'stream',
      key: env.GLOBAL_REDIS_KEY || 'zapwire:events',
      maxLen: Number(env.GLOBAL_REDIS_MAXLEN || 100_000),
    })),
    nats: transport('GLOBAL_NATS', ['nats', 'tls'], (u) => ({
      enabled: u !== '',
      url: u,
      events: events('GLOBAL_NATS_EVENTS'),
      subject: env.GLOBAL_NATS_SUBJECT || 'zapwire.events',
      stream: env.GLOBAL_NATS_STREAM || 'ZAPWIRE_EVENTS',
    })),
    sqs: transport('GLOBAL_SQS', ['https', 'http'], (u) => ({
      enabled: u !== '',
      url: u,
      events: events('GLOBAL_SQS_EVENTS'),
      region: env.GLOBAL_SQS_REGION || env.AWS_REGION || 'us-east-1',
      endpoint: env.GLOBAL_SQS_ENDPOINT ?? '',
      accessKeyId: env.GLOBAL_SQS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.GLOBAL_SQS_SECRET_ACCESS_KEY ?? '',
    })),
    s3: readGlobalS3(env, problems, on),
    skipMediaDownload: on('GLOBAL_SKIP_MEDIA_DOWNLOAD'),
  }
  if (env.GLOBAL_REDIS_MODE && !['stream', 'pubsub'].includes(env.GLOBAL_REDIS_MODE))
    problems.push('GLOBAL_REDIS_MODE must be stream or pubsub')
  return { config, problems }
}

function readGlobalS3(env: Env, problems: string[], on: (name: string) => boolean): GlobalTransports['s3'] {
  const bucket: BucketConfig = {
    endpoint: env.GLOBAL_S3_ENDPOINT ?? '',
    region: env.GLOBAL_S3_REGION || env.AWS_REGION || 'us-east-1',
    bucket: env.GLOBAL_S3_BUCKET ?? '',
    accessKey: env.GLOBAL_S3_ACCESS_KEY ?? '',
    secretKey: env.GLOBAL_S3_SECRET_KEY ?? '',
    pathStyle: on('GLOBAL_S3_PATH_STYLE'),
    publicUrl: env.GLOBAL_S3_PUBLIC_URL ?? '',
    pathPrefix: env.GLOBAL_S3_PATH_PREFIX ?? '',
    disableAcl: on('GLOBAL_S3_DISABLE_ACL'),
  }
  const mediaDelivery = (env.GLOBAL_S3_MEDIA_DELIVERY || 'both') as GlobalTransports['s3']['mediaDelivery']
  const retentionDays = Number(env.GLOBAL_S3_RETENTION_DAYS || 0)
  let enabled = on('GLOBAL_S3_ENABLED')
  const problem = (text: string) => {
    problems.push(text)
    enabled = false
  }
  if (enabled) {
    if (!bucket.bucket) problem('GLOBAL_S3_BUCKET is required')
    const endpoint =
      bucket.endpoint && urlProblem(bucket.endpoint, { schemes: ['http', 'https'], blockPrivate: false })
    if (endpoint) problem(`GLOBAL_S3_ENDPOINT ${endpoint}`)
    if (!['base64', 's3', 'both'].includes(mediaDelivery))
      problem('GLOBAL_S3_MEDIA_DELIVERY must be base64, s3 or both')
    if (!Number.isSafeInteger(retentionDays) || retentionDays < 0)
      problem('GLOBAL_S3_RETENTION_DAYS must be a whole number ≥ 0')
  }
  return { enabled, bucket, mediaDelivery, retentionDays }
}

const SKIP: Record<Exclude<keyof GlobalTransports, 'skipMediaDownload'>, keyof GlobalTransportSkips> = {
  webhook: 'skipGlobalWebhook',
  rabbitmq: 'skipGlobalRabbitMQ',
  redis: 'skipGlobalRedis',
  nats: 'skipGlobalRedis',
  sqs: 'skipGlobalSQS',
  s3: 'skipGlobalS3',
}

type Closable = Sink & { close?: () => Promise<void> }

/**
 * Every sink the dispatcher delivers to: each user's webhook, and the global transports read
 * from the environment (and `.env`), reloadable without a restart.
 */
export class TransportsService implements SinkSource {
  config: GlobalTransports
  problems: string[]
  private users = new Map<string, User>()
  /** Sinks with connections of their own (global transports, users' RabbitMQ), kept across reloads. */
  private readonly globals = new Map<string, { key: string; sink: Closable }>()
  private dispatcher: Dispatcher | undefined

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly usersService: UsersService,
    private readonly webhooks: WebhooksService,
    private readonly client: WebhookClient,
    private readonly log: Logger,
    private readonly env: () => Env = () => process.env,
  ) {
    ;({ config: this.config, problems: this.problems } = readGlobalTransports(this.env()))
    this.report()
  }

  attach(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher
  }

  private report(): void {
    for (const problem of this.problems) this.log.warn(problem)
  }

  /** Reads the GLOBAL_* settings again (the environment, then `.env` over it) and applies them. */
  async reload(): Promise<void> {
    let file: Env = {}
    try {
      file = parseEnv(fs.readFileSync('.env', 'utf8')) as Env
    } catch {
      // No .env: the environment alone.
    }
    ;({ config: this.config, problems: this.problems } = readGlobalTransports({ ...this.env(), ...file }))
    this.report()
    await this.dispatcher?.reload()
  }

  async sinks(): Promise<Sink[]> {
    const users = await this.usersService.list()
    this.users = new Map(users.map((u) => [u.id, u]))
    const skip = (transport: keyof typeof SKIP) => (event: ZapEvent) => {
      const user = this.users.get(event.userId)
      return (
        user !== undefined &&
        (user.settings.globalTransportSkips[SKIP[transport]] === true || skipped(user.settings, event))
      )
    }
    const filter = (transport: keyof typeof SKIP, events: string[]) => (event: ZapEvent) =>
      !skip(transport)(event) && (events.includes('All') || events.includes(event.type))
    const wanted = new Map<string, { key: string; make: () => Closable }>()
    const { webhook, rabbitmq, redis, nats, sqs } = this.config
    if (webhook.enabled)
      wanted.set('global-webhook', {
        key: JSON.stringify(webhook),
        make: () =>
          new WebhookSink(
            {
              id: 'global-webhook',
              userId: undefined,
              url: webhook.url,
              format: 'json',
              events: webhook.events,
              hmacKey: '',
              blockPrivate: false,
              skip: skip('webhook'),
              userOf: (id) => {
                const u = this.users.get(id)
                return u && { name: u.name, token: webhook.includeToken ? u.token : undefined }
              },
            },
            this.client,
          ),
      })
    if (rabbitmq.enabled)
      wanted.set('global-rabbitmq', {
        key: JSON.stringify(rabbitmq),
        make: () => {
          const prefix = rabbitmq.routingKey.replace(/\.?[#*]$/, '') || 'events'
          return new AmqpSink({
            id: 'global-rabbitmq',
            url: rabbitmq.url,
            exchange: rabbitmq.exchange,
            exchangeType: 'topic',
            routingKey: (event) => `${prefix}.${event.type}`,
            queue: () =>
              rabbitmq.queue
                ? { name: rabbitmq.queue, bindKey: rabbitmq.routingKey, options: { durable: true } }
                : undefined,
            persistent: true,
            wants: filter('rabbitmq', rabbitmq.events),
          })
        },
      })
    if (redis.enabled)
      wanted.set('global-redis', {
        key: JSON.stringify(redis),
        make: () => new RedisSink({ id: 'global-redis', ...redis, wants: filter('redis', redis.events) }),
      })
    if (nats.enabled)
      wanted.set('global-nats', {
        key: JSON.stringify(nats),
        make: () => new NatsSink({ id: 'global-nats', ...nats, wants: filter('nats', nats.events) }),
      })
    if (sqs.enabled)
      wanted.set('global-sqs', {
        key: JSON.stringify(sqs),
        make: () =>
          new SqsSink({
            id: 'global-sqs',
            queueUrl: sqs.url,
            region: sqs.region,
            endpoint: sqs.endpoint,
            accessKeyId: sqs.accessKeyId,
            secretAccessKey: sqs.secretAccessKey,
            wants: filter('sqs', sqs.events),
          }),
      })
    for (const user of users) {
      const target = userRabbitTarget(user)
      if (target)
        wanted.set(target.id, {
          key: JSON.stringify(user.secrets.rabbitmq),
          make: () => new AmqpSink(target),
        })
    }
    for (const [id, held] of this.globals) {
      const next = wanted.get(id)
      if (next?.key === held.key) continue
      this.globals.delete(id)
      await held.sink.close?.().catch(() => undefined)
    }
    for (const [id, { key, make }] of wanted)
      if (!this.globals.has(id)) this.globals.set(id, { key, sink: make() })
    return [...(await this.webhooks.sinks()), ...[...this.globals.values()].map((g) => g.sink)]
  }

  /**
   * Sends one event straight to every global transport (not through the outbox: a test is not
   * kept); answers per transport whether it was taken and how long it took.
   */
  async test(
    event: ZapEvent,
  ): Promise<Record<string, { enabled: boolean; success: boolean; error: string; responseTime: number }>> {
    await this.sinks()
    const results: Record<
      string,
      { enabled: boolean; success: boolean; error: string; responseTime: number }
    > = {}
    for (const transport of ['webhook', 'rabbitmq', 'redis', 'nats', 'sqs'] as const) {
      const held = this.globals.get(`global-${transport}`)
      if (!held) {
        results[transport] = { enabled: false, success: false, error: '', responseTime: 0 }
        continue
      }
      const started = performance.now()
      try {
        await held.sink.deliver(event)
        results[transport] = {
          enabled: true,
          success: true,
          error: '',
          responseTime: Math.round(performance.now() - started),
        }
      } catch (err) {
        results[transport] = {
          enabled: true,
          success: false,
          error: (err as Error).message,
          responseTime: Math.round(performance.now() - started),
        }
      }
    }
    return results
  }

  /** What a user's RabbitMQ sink published (from the archive) and the queues it declared. */
  async rabbitStats(userId: string) {
    const sink = this.globals.get(`rabbitmq:${userId}`)?.sink as AmqpSink | undefined
    const filter = { status: 'success' as const, transport: 'rabbitmq', userId }
    const [last] = await this.deliveries.list(filter, 1, 0)
    return {
      active_queues: sink ? sink.queues() : [],
      total_published: await this.deliveries.count(filter),
      last_publish: last?.updated_at ?? null,
    }
  }

  /**
   * Deletes what a removed user left in its own RabbitMQ: the queue of each event type (its
   * outbox, DLQ and archive rows go with the user). Failures are logged, not thrown.
   */
  async purgeUser(user: User): Promise<void> {
    const target = userRabbitTarget({
      ...user,
      secrets: { ...user.secrets, rabbitmq: { ...user.secrets.rabbitmq, enabled: true } },
    })
    if (!target) return
    const names = new Set<string>()
    for (const type of [...EVENT_NAMES, 'MessageUpdate']) {
      const queue = target.queue({ userId: user.id, type } as ZapEvent)
      if (queue) names.add(queue.name)
    }
    await AmqpSink.deleteQueues(target, [...names]).catch((err) =>
      this.log.warn({ err, userId: user.id }, 'deleting the user’s RabbitMQ queues failed'),
    )
  }

  /** Connects to the user's RabbitMQ and declares its exchange. */
  async testRabbit(user: User) {
    const target = userRabbitTarget({
      ...user,
      secrets: { ...user.secrets, rabbitmq: { ...user.secrets.rabbitmq, enabled: true } },
    })
    if (!target) throw validation('set rabbitmq url first (POST /session/rabbitmq/config)')
    const url = new URL(target.url)
    try {
      await AmqpSink.check(target)
    } catch (err) {
      throw new AppError('UNAVAILABLE', `RabbitMQ connection test failed: ${(err as Error).message}`)
    }
    return {
      Details: 'RabbitMQ connection test successful',
      Host: url.hostname,
      Port: Number(url.port || 5672),
      Exchange: target.exchange,
    }
  }

  /** The global configuration with credentials masked. */
  view() {
    const { webhook, rabbitmq, redis, nats, sqs, s3, skipMediaDownload } = this.config
    return {
      webhook,
      rabbitmq: { ...rabbitmq, url: rabbitmq.url && redactUrl(rabbitmq.url) },
      redis: { ...redis, url: redis.url && redactUrl(redis.url) },
      nats: { ...nats, url: nats.url && redactUrl(nats.url) },
      sqs: { ...sqs, secretAccessKey: sqs.secretAccessKey ? '***' : '' },
      s3: { ...s3, bucket: { ...s3.bucket, secretKey: s3.bucket.secretKey ? '***' : '' } },
      skipMediaDownload,
      problems: this.problems,
    }
  }

  async close(): Promise<void> {
    for (const { sink } of this.globals.values()) await sink.close?.().catch(() => undefined)
    this.globals.clear()
  }
}
