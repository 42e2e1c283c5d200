import type { Logger } from 'pino'
import type { Cipher } from '../crypto/cipher.js'
import type { Engine, NetworkTarget } from '../engine/port.js'
import {
  DEFAULT_POLICY,
  type DeliveryCounters,
  type DeliveryPolicy,
  Dispatcher,
} from '../events/dispatcher.js'
import { Outbox } from '../events/outbox.js'
import { WebhookClient } from '../events/sinks/webhook.sink.js'
import { AuthRepository } from '../store/auth.repository.js'
import type { Database } from '../store/database.js'
import { DeliveriesRepository } from '../store/deliveries.repository.js'
import { EventsRepository } from '../store/events.repository.js'
import { MessagesRepository } from '../store/messages.repository.js'
import { MonitoringRepository } from '../store/monitoring.repository.js'
import { UsersRepository } from '../store/users.repository.js'
import { AccountService } from './account.service.js'
import { AuthService } from './auth.service.js'
import { ChatsService } from './chats.service.js'
import { DashboardService } from './dashboard.service.js'
import { DeliveriesService } from './deliveries.service.js'
import type { SessionDeps } from './deps.js'
import { EventStreamService } from './event-stream.service.js'
import { ExtrasService } from './extras.service.js'
import { GroupsService } from './groups.service.js'
import { HealthService } from './health.service.js'
import { IdentityService } from './identity.service.js'
import { InboundService } from './inbound.service.js'
import { MediaFetcher } from './media.js'
import { MediaPipeline } from './media-pipeline.js'
import { MessageLedger } from './message-ledger.js'
import { MessagesService } from './messages.service.js'
import { MonitoringService } from './monitoring.service.js'
import { NewslettersService } from './newsletters.service.js'
import { S3Retention } from './s3-retention.js'
import { type SessionCounters, SessionsService } from './sessions.service.js'
import { TransportsService } from './transports.service.js'
import { UsersService } from './users.service.js'
import { WebhooksService } from './webhooks.service.js'

/** Every service, built once per app and handed to the dialects explicitly. */
export interface Services {
  users: UsersService
  auth: AuthService
  health: HealthService
  sessions: SessionsService
  outbox: Outbox
  messages: MessagesService
  inbound: InboundService
  chats: ChatsService
  identity: IdentityService
  media: MediaFetcher
  webhooks: WebhooksService
  transports: TransportsService
  eventStream: EventStreamService
  monitoring: MonitoringService
  dispatcher: Dispatcher
  deliveries: DeliveriesService
  webhookClient: WebhookClient
  mediaPipeline: MediaPipeline
  s3Retention: S3Retention
  groups: GroupsService
  newsletters: NewslettersService
  account: AccountService
  extras: ExtrasService
  dashboard: DashboardService
}

/** Event delivery settings (the dispatcher's policy, the webhook timeout, retention). */
export type DeliverySettings = Partial<DeliveryPolicy> & {
  webhookTimeoutMs?: number | undefined
  archiveRetentionDays?: number | undefined
  dlqRetentionDays?: number | undefined
}

export interface ServiceDeps {
  database: Database
  cipher: Cipher
  adminToken: string
  blockPrivateUrls: boolean
  metricsToken?: string | undefined
  engine: Engine
  network: NetworkTarget
  logger: Logger
  watchdogMs?: number | undefined
  leaseMs?: number | undefined
  counters?: SessionCounters | undefined
  deliveryCounters?: DeliveryCounters | undefined
  eventRetentionDays?: number | undefined
  delivery?: DeliverySettings | undefined
  sendIntervalMs?: number | undefined
  mediaMaxBytes?: number | undefined
  mediaAllowHosts?: string[] | undefined
  dailySendCap?: number | undefined
  warmupCaps?: number[] | undefined
  checkLimits?: { perRequest: number; perMinute: number } | undefined
  echoApiMessagesEnabled?: boolean | undefined
  monitoring?: { enabled: boolean; retentionDays: number } | undefined
  /** `serve --skipmedia`: no media download for events, whatever the settings say. */
  skipMedia?: boolean | undefined
  s3RetentionIntervalMs?: number | undefined
}

export function createServices(deps: ServiceDeps): Services {
  const { database, cipher } = deps
  const users = new UsersService(new UsersRepository(database.db), cipher, {
    blockPrivateUrls: deps.blockPrivateUrls,
  })
  const eventsRepository = new EventsRepository(database.db)
  const deliveriesRepository = new DeliveriesRepository(database.db)
  const outbox = new Outbox(eventsRepository, deps.logger, deps.eventRetentionDays, () =>
    deliveriesRepository.minCursor(),
  )
  const { webhookTimeoutMs, archiveRetentionDays, dlqRetentionDays, ...policy } = deps.delivery ?? {}
  const webhookClient = new WebhookClient(webhookTimeoutMs ?? 30_000)
  const webhooks = new WebhooksService(outbox, users, webhookClient, {
    blockPrivateUrls: deps.blockPrivateUrls,
  })
  const transports = new TransportsService(deliveriesRepository, users, webhooks, webhookClient, deps.logger)
  const dispatcher = new Dispatcher(
    eventsRepository,
    deliveriesRepository,
    outbox,
    transports,
    deps.logger,
    {
      ...DEFAULT_POLICY,
      // Sinks are leased like sessions: a crashed process's sinks are taken over as quickly.
      ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
      ...Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)),
    },
    deps.deliveryCounters,
  )
  transports.attach(dispatcher)
  webhooks.attach(dispatcher)
  users.onChange(() => dispatcher.reload())
  const deliveries = new DeliveriesService(deliveriesRepository, dispatcher, {
    archiveRetentionDays: archiveRetentionDays ?? 7,
    dlqRetentionDays: dlqRetentionDays ?? 30,
  })
  const sessions = new SessionsService(
    deps.engine,
    new AuthRepository(database.db),
    cipher,
    users,
    deps.logger,
    outbox,
    {
      network: deps.network,
      ...(deps.watchdogMs ? { watchdogMs: deps.watchdogMs } : {}),
      ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
      ...(deps.counters ? { counters: deps.counters } : {}),
    },
  )
  const media = new MediaFetcher({ maxBytes: deps.mediaMaxBytes, allowHosts: deps.mediaAllowHosts })
  const messagesRepository = new MessagesRepository(database.db)
  const identity = new IdentityService(messagesRepository, sessions)
  const monitoring = new MonitoringService(
    new MonitoringRepository(database.db),
    deps.logger,
    deps.monitoring ?? { enabled: true, retentionDays: 7 },
  )
  const ledger = new MessageLedger(database.db, messagesRepository, outbox, identity)
  const inbound = new InboundService(
    database.db,
    messagesRepository,
    ledger,
    outbox,
    sessions,
    identity,
    deps.logger,
    monitoring,
  )
  const messages = new MessagesService(
    messagesRepository,
    ledger,
    sessions,
    media,
    users,
    identity,
    monitoring,
    {
      sendIntervalMs: deps.sendIntervalMs,
      dailySendCap: deps.dailySendCap,
      warmupCaps: deps.warmupCaps,
      echoEnabled: deps.echoApiMessagesEnabled ?? true,
    },
  )
  const mediaPipeline = new MediaPipeline(users, messages, transports, {
    skipMedia: deps.skipMedia ?? false,
    blockPrivateUrls: deps.blockPrivateUrls,
    maxBytes: deps.mediaMaxBytes ?? 100 * 2 ** 20,
    log: deps.logger,
  })
  dispatcher.prepare = (event) => mediaPipeline.prepare(event)
  const s3Retention = new S3Retention(
    users,
    mediaPipeline,
    transports,
    deps.logger,
    deps.s3RetentionIntervalMs ?? 3_600_000,
  )
  const chats = new ChatsService(messagesRepository, sessions, identity)
  const sessionDeps: SessionDeps = {
    db: database.db,
    sessions,
    users,
    identity,
    messages,
    chats,
    media,
    outbox,
    monitoring,
    log: deps.logger,
  }
  return {
    users,
    auth: new AuthService(deps.adminToken, users, deps.metricsToken),
    health: new HealthService(database),
    sessions,
    outbox,
    messages,
    inbound,
    chats,
    identity,
    media,
    webhooks,
    transports,
    eventStream: new EventStreamService(outbox, users),
    monitoring,
    dispatcher,
    deliveries,
    webhookClient,
    mediaPipeline,
    s3Retention,
    groups: new GroupsService(sessionDeps),
    newsletters: new NewslettersService(sessionDeps),
    account: new AccountService(sessionDeps, {
      checkLimits: deps.checkLimits ?? { perRequest: 50, perMinute: 300 },
      network: deps.network,
    }),
    extras: new ExtrasService(sessionDeps),
    dashboard: new DashboardService(users, sessions, dispatcher),
  }
}
