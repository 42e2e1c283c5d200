import path from 'node:path'
import { redactUrl } from '../lib/redact.js'

/** Zapwire's settings, read once at start from the environment (and an optional `.env`). */
export interface Config {
  port: number
  host: string
  dataDir: string
  /** `sqlite:<file>` / `:memory:` or `postgres://…`; defaults to `<dataDir>/zapwire.db`. */
  databaseUrl: string
  adminToken: string | undefined
  encryptionKey: string | undefined
  logLevel: LogLevel
  basePath: string
  bodyLimit: number
  metricsToken: string | undefined
  appEnv: string | undefined
  appRegion: string | undefined
  blockPrivateUrls: boolean
  /** Control URL of a Zapwire test network to connect every session to. */
  testnetUrl: string | undefined
  /** Sessions reconnected at once when the server starts. */
  restoreConcurrency: number
  /** No inbound WhatsApp frame for this long → ping, then restart the socket. */
  watchdogMs: number
  /** How long a process's claim on a session lasts without renewal (crash recovery time). */
  sessionLeaseMs: number
  /** Events older than this are pruned from the outbox. */
  eventRetentionDays: number
  /** Least time between two sends of one session. */
  sendIntervalMs: number
  /** Hosts media URLs may point at even when private (an operator's own file server). */
  mediaAllowHosts: string[]
  /** Most API sends per number per UTC day (0: no cap). */
  dailySendCap: number
  /** Caps for the first days of a new number (day 1, day 2, …). */
  warmupCaps: number[]
  /** Most numbers one `/user/check` (or info, devices) may look up, and per minute per user. */
  checkMaxPerRequest: number
  checkMaxPerMinute: number
  /** Event delivery: webhook timeout, retry bounds, concurrency, archive and DLQ retention. */
  webhookTimeoutMs: number
  deliveryMaxAttempts: number
  deliveryMaxAgeHours: number
  deliveryRetryBaseMs: number
  deliveryConcurrency: number
  archiveRetentionDays: number
  dlqRetentionDays: number
  /** Global switch for echoing API sends (the user setting needs it on; a send's EchoApi forces). */
  echoApiMessagesEnabled: boolean
  /** Monitoring records (`/admin/events/*`): kept at all, and for how long. */
  monitoringStorageEnabled: boolean
  monitoringRetentionDays: number
  /** How often the S3 retention worker deletes expired media objects. */
  s3RetentionIntervalMinutes: number
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** One row of the settings table in the README: its names (first wins) and what it means. */
export interface Setting {
  names: readonly string[]
  default: string
  about: string
}

export const SETTINGS = {
  port: { names: ['ZAPWIRE_PORT', 'PORT'], default: '8080', about: 'HTTP port' },
  host: { names: ['ZAPWIRE_HOST', 'HOST'], default: '0.0.0.0', about: 'Address to listen on' },
  dataDir: {
    names: ['ZAPWIRE_DATA_DIR'],
    default: './data',
    about: 'Folder for the SQLite file, the generated admin token and encryption key',
  },
  databaseUrl: {
    names: ['DATABASE_URL'],
    default: 'sqlite:<data dir>/zapwire.db',
    about:
      '`postgres://user:pass@host:5432/db` for PostgreSQL; `sqlite:<file>` or `sqlite::memory:` for SQLite',
  },
  adminToken: {
    names: ['ZAPWIRE_ADMIN_TOKEN', 'WUZAPI_ADMIN_TOKEN', 'DIGIGO_ADMIN_TOKEN'],
    default: 'generated into `<data dir>/admin-token`',
    about: 'Token for `/admin/*` (header `Authorization`)',
  },
  encryptionKey: {
    names: ['ZAPWIRE_ENCRYPTION_KEY'],
    default: 'generated into `<data dir>/encryption-key`',
    about: 'AES-256 key for secrets at rest: 32 bytes as 64 hex characters or base64',
  },
  logLevel: {
    names: ['ZAPWIRE_LOG_LEVEL', 'LOG_LEVEL'],
    default: 'info',
    about: `Log level: ${LOG_LEVELS.join(', ')}`,
  },
  basePath: {
    names: ['ZAPWIRE_BASE_PATH'],
    default: '(none)',
    about: 'Mount every route under this prefix, e.g. `/api`',
  },
  bodyLimit: {
    names: ['ZAPWIRE_BODY_LIMIT'],
    default: '67108864',
    about: 'Largest request body in bytes (media travels as base64)',
  },
  metricsToken: {
    names: ['ZAPWIRE_METRICS_TOKEN'],
    default: '(none: open)',
    about: 'When set, `/metrics` needs `Authorization: Bearer <token>`',
  },
  appEnv: { names: ['APP_ENV', 'NODE_ENV'], default: '(none)', about: 'Reported by `/health` as `app_env`' },
  appRegion: { names: ['APP_REGION'], default: '(none)', about: 'Reported by `/health` as `app_region`' },
  blockPrivateUrls: {
    names: ['ZAPWIRE_BLOCK_PRIVATE_URLS'],
    default: 'false',
    about: 'Refuse private-range addresses in URLs set with user tokens (multi-tenant hosting)',
  },
  testnetUrl: {
    names: ['ZAPWIRE_TESTNET'],
    default: '(none: real WhatsApp)',
    about:
      'Control URL of a running `zapwire testnet`: every session uses that local network instead of WhatsApp',
  },
  restoreConcurrency: {
    names: ['ZAPWIRE_RESTORE_CONCURRENCY'],
    default: '20',
    about: 'Logged-in sessions reconnected at once when the server starts',
  },
  watchdogMs: {
    names: ['ZAPWIRE_WATCHDOG_MS'],
    default: '90000',
    about:
      'A connected session that receives nothing for this long is pinged, and restarted if WhatsApp does not answer',
  },
  sessionLeaseMs: {
    names: ['ZAPWIRE_SESSION_LEASE_MS'],
    default: '30000',
    about:
      'A process holds each live session by a lease renewed every third of this; after a crash another process may take the session once it lapses',
  },
  eventRetentionDays: {
    names: ['ZAPWIRE_EVENT_RETENTION_DAYS'],
    default: '7',
    about: 'Events are kept this many days in the outbox (readable with `GET /events`), then pruned',
  },
  sendIntervalMs: {
    names: ['ZAPWIRE_SEND_INTERVAL_MS'],
    default: '0',
    about: 'Least time between two sends of one number (sends are queued in order per number)',
  },
  mediaAllowHosts: {
    names: ['ZAPWIRE_MEDIA_ALLOW_HOSTS'],
    default: 'none',
    about:
      'Comma-separated host names that media URLs may point at even though they are private (your own file server); every other media URL must reach a public address',
  },
  dailySendCap: {
    names: ['ZAPWIRE_DAILY_SEND_CAP'],
    default: '0',
    about:
      'Most messages one number may send through the API per UTC day (0: no cap); beyond it sends get 429',
  },
  warmupCaps: {
    names: ['ZAPWIRE_WARMUP_CAPS'],
    default: 'none',
    about:
      'Daily caps for the first days of a new number, counted from the day its user was created, e.g. `20,50,100,250` (then the daily cap applies)',
  },
  checkMaxPerRequest: {
    names: ['ZAPWIRE_CHECK_MAX_PER_REQUEST'],
    default: '50',
    about:
      'Most numbers one `/user/check`, `/user/info` or `/user/devices` request may look up; more gets 429 (mass lookups get numbers banned)',
  },
  checkMaxPerMinute: {
    names: ['ZAPWIRE_CHECK_MAX_PER_MINUTE'],
    default: '300',
    about: 'Most numbers one user may look up that way per minute (a sliding minute); beyond it 429',
  },
  webhookTimeoutMs: {
    names: ['ZAPWIRE_WEBHOOK_TIMEOUT_MS'],
    default: '30000',
    about: 'A webhook call that has not answered in this long failed (it is retried)',
  },
  deliveryMaxAttempts: {
    names: ['ZAPWIRE_DELIVERY_MAX_ATTEMPTS'],
    default: '200',
    about: 'Attempts per event and sink before it goes to the DLQ (with the default backoff: about 33 hours)',
  },
  deliveryMaxAgeHours: {
    names: ['ZAPWIRE_DELIVERY_MAX_AGE_HOURS'],
    default: '72',
    about: 'An event still undelivered this long after it happened goes to the DLQ',
  },
  deliveryRetryBaseMs: {
    names: ['ZAPWIRE_DELIVERY_RETRY_BASE_MS'],
    default: '1000',
    about: 'First retry delay; it doubles per attempt (±20 % jitter) up to 10 minutes',
  },
  deliveryConcurrency: {
    names: ['ZAPWIRE_DELIVERY_CONCURRENCY'],
    default: '16',
    about: 'Deliveries in flight per endpoint (chats in parallel; each chat stays in order)',
  },
  archiveRetentionDays: {
    names: ['ZAPWIRE_ARCHIVE_RETENTION_DAYS'],
    default: '7',
    about: 'Successful deliveries are kept this many days in the archive (`/admin/archive`)',
  },
  dlqRetentionDays: {
    names: ['ZAPWIRE_DLQ_RETENTION_DAYS'],
    default: '30',
    about: 'Events given up on are kept this many days in the DLQ (`/admin/dlq`)',
  },
  echoApiMessagesEnabled: {
    names: ['ECHO_API_MESSAGES_ENABLED'],
    default: 'true',
    about:
      'Users whose `echoApiMessages` is on get their API sends as `Message` events (`IsFromAPI`); false turns that off for all (a send with `EchoApi: true` is still echoed)',
  },
  monitoringStorageEnabled: {
    names: ['MONITORING_STORAGE_ENABLED'],
    default: 'true',
    about:
      'Keep monitoring records (message.sent, message.failed, message.received) for `/admin/events/*`; false: those routes answer 503',
  },
  monitoringRetentionDays: {
    names: ['MONITORING_RETENTION_DAYS'],
    default: '7',
    about: 'Monitoring records are kept this many days (`POST /admin/events/prune` can use fewer hours)',
  },
  s3RetentionIntervalMinutes: {
    names: ['ZAPWIRE_S3_RETENTION_INTERVAL_MINUTES'],
    default: '60',
    about:
      'How often the S3 retention worker deletes media objects older than their `retention_days` (`/admin/global/s3-retention/*`)',
  },
} as const satisfies Record<keyof Config, Setting>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** Reads and validates every setting; throws one ConfigError listing each wrong value. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const pick = (setting: Setting): [string, string] | undefined => {
    for (const name of setting.names) {
      const value = env[name]
      if (value !== undefined && value.trim() !== '') return [name, value.trim()]
    }
    return undefined
  }
  const text = (s: Setting) => pick(s)?.[1]
  const integer = (s: Setting, min: number, max: number): number => {
    const found = pick(s)
    const raw = found?.[1] ?? s.default
    const n = Number(raw)
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${found?.[0] ?? s.names[0]}=${raw} must be a whole number from ${min} to ${max}`)
    }
    return n
  }
  const flag = (s: Setting): boolean => {
    const found = pick(s)
    if (!found) return s.default === 'true'
    const v = found[1].toLowerCase()
    if (['1', 'true', 'yes', 'on'].includes(v)) return true
    if (['0', 'false', 'no', 'off'].includes(v)) return false
    problems.push(`${found[0]}=${found[1]} must be true or false`)
    return false
  }

  const dataDir = path.resolve(text(SETTINGS.dataDir) ?? SETTINGS.dataDir.default)
  const databaseUrl = text(SETTINGS.databaseUrl) ?? `sqlite:${path.join(dataDir, 'zapwire.db')}`
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push(`DATABASE_URL=${redactUrl(databaseUrl)} must start with sqlite: or postgres://`)
  }

  const logLevel = (text(SETTINGS.logLevel) ?? 'info').toLowerCase() as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`ZAPWIRE_LOG_LEVEL=${logLevel} must be one of ${LOG_LEVELS.join(', ')}`)
  }

  let basePath = text(SETTINGS.basePath) ?? ''
  if (basePath !== '') {
    basePath = `/${basePath.replace(/^\/+|\/+$/g, '')}`
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) {
      problems.push(`ZAPWIRE_BASE_PATH=${basePath} must be a URL path such as /api`)
    }
  }

  const adminToken = text(SETTINGS.adminToken)
  if (adminToken !== undefined && adminToken.length < 8) {
    problems.push('ZAPWIRE_ADMIN_TOKEN must be at least 8 characters long')
  }

  const encryptionKey = text(SETTINGS.encryptionKey)
  if (encryptionKey !== undefined && parseKey(encryptionKey) === undefined) {
    problems.push('ZAPWIRE_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64')
  }

  const config: Config = {
    port: integer(SETTINGS.port, 0, 65535),
    host: text(SETTINGS.host) ?? SETTINGS.host.default,
    dataDir,
    databaseUrl,
    adminToken,
    encryptionKey,
    logLevel,
    basePath,
    bodyLimit: integer(SETTINGS.bodyLimit, 1024, 2 ** 31),
    metricsToken: text(SETTINGS.metricsToken),
    appEnv: text(SETTINGS.appEnv),
    appRegion: text(SETTINGS.appRegion),
    blockPrivateUrls: flag(SETTINGS.blockPrivateUrls),
    testnetUrl: text(SETTINGS.testnetUrl),
    restoreConcurrency: integer(SETTINGS.restoreConcurrency, 1, 100),
    watchdogMs: integer(SETTINGS.watchdogMs, 5_000, 3_600_000),
    sessionLeaseMs: integer(SETTINGS.sessionLeaseMs, 2_000, 3_600_000),
    eventRetentionDays: integer(SETTINGS.eventRetentionDays, 1, 3650),
    sendIntervalMs: integer(SETTINGS.sendIntervalMs, 0, 60_000),
    dailySendCap: integer(SETTINGS.dailySendCap, 0, 1_000_000),
    warmupCaps: warmup(text(SETTINGS.warmupCaps), problems),
    checkMaxPerRequest: integer(SETTINGS.checkMaxPerRequest, 1, 10_000),
    checkMaxPerMinute: integer(SETTINGS.checkMaxPerMinute, 1, 1_000_000),
    webhookTimeoutMs: integer(SETTINGS.webhookTimeoutMs, 100, 600_000),
    deliveryMaxAttempts: integer(SETTINGS.deliveryMaxAttempts, 1, 100_000),
    deliveryMaxAgeHours: integer(SETTINGS.deliveryMaxAgeHours, 1, 24 * 365),
    deliveryRetryBaseMs: integer(SETTINGS.deliveryRetryBaseMs, 1, 600_000),
    deliveryConcurrency: integer(SETTINGS.deliveryConcurrency, 1, 1_000),
    archiveRetentionDays: integer(SETTINGS.archiveRetentionDays, 1, 3650),
    dlqRetentionDays: integer(SETTINGS.dlqRetentionDays, 1, 3650),
    echoApiMessagesEnabled: flag(SETTINGS.echoApiMessagesEnabled),
    monitoringStorageEnabled: flag(SETTINGS.monitoringStorageEnabled),
    monitoringRetentionDays: integer(SETTINGS.monitoringRetentionDays, 1, 3650),
    s3RetentionIntervalMinutes: integer(SETTINGS.s3RetentionIntervalMinutes, 1, 10_080),
    mediaAllowHosts: (text(SETTINGS.mediaAllowHosts) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function warmup(value: string | undefined, problems: string[]): number[] {
  if (!value) return []
  const caps = value.split(',').map((v) => v.trim())
  if (caps.some((c) => !/^\d+$/.test(c))) {
    problems.push(`ZAPWIRE_WARMUP_CAPS=${value} must be whole numbers separated by commas, e.g. 20,50,100`)
    return []
  }
  return caps.map(Number)
}

/** A 32-byte key from 64 hex characters or base64, or undefined when it is neither. */
export function parseKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex')
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(text)) {
    const key = Buffer.from(text, 'base64')
    if (key.length === 32) return key
  }
  return undefined
}

/** Loads `.env` from the working directory when there is one (real environment wins). */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}
