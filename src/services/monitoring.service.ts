import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { MonitoringFilter, MonitoringRepository } from '../store/monitoring.repository.js'
import type { MonitoringRow, MonitoringStatus, NewMonitoringRow } from '../store/monitoring.table.js'
import type { DB } from '../store/schema.js'
import { AppError } from './errors.js'

export type { MonitoringFilter }

/** DIGIGO's MonitoringEvent. */
export interface MonitoringEvent {
  id: number
  userId: string
  eventType: string
  payload: Record<string, unknown>
  status: MonitoringStatus
  attempts: number
  createdAt: string
  updatedAt: string
}

const toEvent = (r: MonitoringRow): MonitoringEvent => ({
  id: Number(r.id),
  userId: r.user_id,
  eventType: r.event_type,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  status: r.status,
  attempts: r.attempts,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export interface MonitoringSession {
  token: string
  /** Undefined: the admin (any user); else the one user it may watch. */
  userId: string | undefined
  filter: MonitoringFilter
  expiresAt: number
}

/** A new record's row (attempts start at 1 when it is already being processed). */
function newRecord(
  userId: string,
  eventType: string,
  ref: string,
  payload: Record<string, unknown>,
  status: MonitoringStatus,
): NewMonitoringRow {
  const at = new Date().toISOString()
  return {
    user_id: userId,
    event_type: eventType,
    ref,
    payload: JSON.stringify(payload),
    status,
    attempts: status === 'processing' ? 1 : 0,
    created_at: at,
    updated_at: at,
  }
}

const SESSION_TTL_MS = 300_000
const HOUR_MS = 3_600_000

/**
 * Monitoring records (DIGIGO's `/admin/events/*`): message.sent (pending → processing →
 * delivered | failed), message.failed, message.received; short-lived session tokens for streams.
 * Recording never fails a send: a storage error is logged.
 */
export class MonitoringService {
  private readonly listeners = new Set<() => void>()
  private readonly sessions = new Map<string, MonitoringSession>()
  readonly startedAt = new Date()
  clients = 0

  constructor(
    private readonly repo: MonitoringRepository,
    private readonly log: Logger,
    readonly options: { enabled: boolean; retentionDays: number },
  ) {}

  /** Tells streams that records were written (after a transaction that wrote one commits). */
  notify(): void {
    for (const listener of this.listeners) listener()
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Records something that happened; answers its id (undefined when storage is off or failed). */
  async record(
    userId: string,
    eventType: string,
    ref: string,
    payload: Record<string, unknown>,
    status: MonitoringStatus,
  ): Promise<number | undefined> {
    if (!this.options.enabled) return undefined
    try {
      const id = await this.repo.insert(newRecord(userId, eventType, ref, payload, status))
      this.notify()
      return id
    } catch (err) {
      this.log.warn({ err, userId, eventType }, 'recording a monitoring event failed')
      return undefined
    }
  }

  /**
   * Writes a record in the caller's transaction (a received message and its record land
   * together); call `notify` after it commits. False when storage is off.
   */
  async recordWithin(
    db: Kysely<DB>,
    userId: string,
    eventType: string,
    ref: string,
    payload: Record<string, unknown>,
    status: MonitoringStatus,
  ): Promise<boolean> {
    if (!this.options.enabled) return false
    await this.repo.insert(newRecord(userId, eventType, ref, payload, status), db)
    return true
  }

  async update(
    id: number | undefined,
    status: MonitoringStatus,
    payload?: Record<string, unknown>,
  ): Promise<void> {
    if (id === undefined) return
    try {
      await this.repo.setStatus(id, status, new Date().toISOString(), payload && JSON.stringify(payload))
      this.notify()
    } catch (err) {
      this.log.warn({ err, id }, 'updating a monitoring event failed')
    }
  }

  private requireEnabled(): void {
    if (!this.options.enabled) throw new AppError('UNAVAILABLE', 'Event monitoring is disabled')
  }

  async history(filter: MonitoringFilter, limit: number) {
    this.requireEnabled()
    const rows = await this.repo.list(filter, limit + 1)
    const events = rows.slice(0, limit).map(toEvent)
    return { events, hasMore: rows.length > limit, nextId: events.at(-1)?.id ?? filter.sinceId ?? 0 }
  }

  /** The newest `limit` records (the backlog of a stream), oldest first. */
  async backlog(filter: MonitoringFilter, limit: number): Promise<MonitoringEvent[]> {
    this.requireEnabled()
    if (filter.sinceId !== undefined || filter.sinceTime)
      return (await this.repo.list(filter, limit)).map(toEvent)
    const all = await this.repo.list(filter, 100_000)
    return all.slice(-limit).map(toEvent)
  }

  async changedSince(since: string, filter: MonitoringFilter): Promise<MonitoringEvent[]> {
    return (await this.repo.changedSince(since, filter, 1_000)).map(toEvent)
  }

  async counts() {
    const rows = await this.repo.counts()
    const byStatus: Record<string, number> = {}
    const byType: Record<string, number> = {}
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n
      byType[r.event_type] = (byType[r.event_type] ?? 0) + r.n
    }
    return { by_status: byStatus, by_type: byType }
  }

  async prune(retentionHours?: number) {
    this.requireEnabled()
    const hours = retentionHours ?? this.options.retentionDays * 24
    const threshold = new Date(Date.now() - hours * HOUR_MS).toISOString()
    return { deleted: await this.repo.pruneBefore(threshold), retentionHours: hours, threshold }
  }

  private pruner: NodeJS.Timeout | undefined

  start(): void {
    if (!this.options.enabled) return
    const run = () => void this.prune().catch(() => undefined)
    run()
    this.pruner = setInterval(run, HOUR_MS)
    this.pruner.unref()
  }

  stop(): void {
    clearInterval(this.pruner)
  }

  /** A session token (5 minutes) for streams; a user's session is held to its own events. */
  openSession(userId: string | undefined, filter: MonitoringFilter, renew?: string): MonitoringSession {
    if (renew) this.sessions.delete(renew)
    const now = Date.now()
    for (const [token, s] of this.sessions) if (s.expiresAt < now) this.sessions.delete(token)
    const session = {
      token: randomBytes(24).toString('hex'),
      userId,
      filter: userId ? { ...filter, userId } : filter,
      expiresAt: now + SESSION_TTL_MS,
    }
    this.sessions.set(session.token, session)
    return session
  }

  session(token: string): MonitoringSession {
    const session = this.sessions.get(token)
    if (!session || session.expiresAt < Date.now()) throw new AppError('UNAUTHORIZED', 'Unauthorized')
    return session
  }
}
