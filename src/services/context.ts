import { type Logger, pino } from 'pino'
import { Cipher } from '../crypto/cipher.js'
import { BaileysEngine } from '../engine/baileys/baileys.engine.js'
import type { NetworkTarget } from '../engine/port.js'
import type { DeliveryCounters } from '../events/dispatcher.js'
import { type Database, openDatabase } from '../store/database.js'
import { MetaRepository } from '../store/meta.repository.js'
import { migrateToLatest } from '../store/migrate.js'
import { verifyEncryptionKey } from './encryption-check.js'
import { createServices, type DeliverySettings, type Services } from './index.js'
import type { SessionCounters } from './sessions.service.js'

export interface ContextOptions {
  databaseUrl: string
  adminToken: string
  encryptionKey: Buffer
  blockPrivateUrls: boolean
  metricsToken?: string | undefined
  network?: NetworkTarget
  logger?: Logger
  watchdogMs?: number
  leaseMs?: number
  counters?: SessionCounters
  deliveryCounters?: DeliveryCounters
  eventRetentionDays?: number
  delivery?: DeliverySettings
  sendIntervalMs?: number
  bodyLimit?: number
  mediaAllowHosts?: string[]
  dailySendCap?: number
  warmupCaps?: number[]
  /** Numbers one lookup request (`/user/check`…) may hold, and per minute per user. */
  checkLimits?: { perRequest: number; perMinute: number }
  echoApiMessagesEnabled?: boolean
  monitoring?: { enabled: boolean; retentionDays: number }
  skipMedia?: boolean
  s3RetentionIntervalMs?: number
}

export interface Context {
  database: Database
  services: Services
  close(): Promise<void>
}

/** Opens the database, brings it to the latest schema, checks the key, and builds the services. */
export async function openContext(options: ContextOptions): Promise<Context> {
  const database = openDatabase(options.databaseUrl, {
    onError: (err) => options.logger?.warn({ err }, 'database connection error'),
  })
  try {
    await migrateToLatest(database.db)
    const cipher = new Cipher(options.encryptionKey)
    await verifyEncryptionKey(new MetaRepository(database.db), cipher)
    const services = createServices({
      database,
      cipher,
      adminToken: options.adminToken,
      blockPrivateUrls: options.blockPrivateUrls,
      metricsToken: options.metricsToken,
      engine: new BaileysEngine(),
      network: options.network ?? {},
      logger: options.logger ?? pino({ level: 'silent' }),
      watchdogMs: options.watchdogMs,
      leaseMs: options.leaseMs,
      counters: options.counters,
      deliveryCounters: options.deliveryCounters,
      eventRetentionDays: options.eventRetentionDays,
      delivery: options.delivery,
      sendIntervalMs: options.sendIntervalMs,
      mediaMaxBytes: options.bodyLimit,
      mediaAllowHosts: options.mediaAllowHosts,
      dailySendCap: options.dailySendCap,
      warmupCaps: options.warmupCaps,
      checkLimits: options.checkLimits,
      echoApiMessagesEnabled: options.echoApiMessagesEnabled,
      monitoring: options.monitoring,
      skipMedia: options.skipMedia,
      s3RetentionIntervalMs: options.s3RetentionIntervalMs,
    })
    services.outbox.start()
    await services.dispatcher.start()
    services.deliveries.start()
    services.monitoring.start()
    services.s3Retention.start()
    return {
      database,
      services,
      close: async () => {
        services.outbox.stop()
        services.deliveries.stop()
        services.monitoring.stop()
        await services.s3Retention.stop()
        await services.sessions.stopAll()
        await services.messages.drain()
        await services.inbound.drain()
        await services.dispatcher.stop()
        await services.transports.close()
        services.mediaPipeline.close()
        await services.webhookClient.close()
        await services.media.close()
        await database.close()
      },
    }
  } catch (err) {
    await database.close().catch(() => undefined)
    throw err
  }
}
