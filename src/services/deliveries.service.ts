import type { Dispatcher } from '../events/dispatcher.js'
import type { DeliveriesRepository, DeliveryFilter } from '../store/deliveries.repository.js'
import type { DeliveryRow } from '../store/deliveries.table.js'
import { AppError } from './errors.js'

const DAY_MS = 86_400_000

/** A settled delivery, as the DLQ and archive show it. */
export interface Delivery {
  id: number
  status: 'success' | 'dlq' | 'retrying'
  sink: string
  transport: string
  userId: string
  eventId: string
  eventSeq: number
  eventType: string
  /** The event as it was (DLQ), or '' (archive: the outbox holds it). */
  payload: string
  attempts: number
  lastError: string
  createdAt: string
  archivedAt: string
  replayCount: number
  lastReplayAt: string | null
}

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: Number(r.id),
  status: r.status,
  sink: r.sink,
  transport: r.transport,
  userId: r.user_id,
  eventId: r.event_id,
  eventSeq: Number(r.event_seq),
  eventType: r.event_type,
  payload: r.payload,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  archivedAt: r.updated_at,
  replayCount: Number(r.replay_count),
  lastReplayAt: r.last_replay_at,
})

/** The DLQ (given up on) and the archive (delivered): listing, replay, deletion, pruning. */
export class DeliveriesService {
  private pruner: NodeJS.Timeout | undefined

  constructor(
    private readonly repo: DeliveriesRepository,
    private readonly dispatcher: Dispatcher,
    private readonly retention: { archiveRetentionDays: number; dlqRetentionDays: number },
  ) {}

  async list(filter: DeliveryFilter, limit: number, offset: number) {
    const [rows, total] = await Promise.all([this.repo.list(filter, limit, offset), this.repo.count(filter)])
    return { items: rows.map(toDelivery), total }
  }

  async get(id: number, status?: 'dlq' | 'success'): Promise<Delivery> {
    const row = await this.repo.find(id)
    if (!row || row.status === 'retrying' || (status && row.status !== status))
      throw new AppError(
        'DELIVERY_NOT_FOUND',
        status === 'dlq' ? 'event not found in DLQ' : 'archive event not found',
      )
    return toDelivery(row)
  }

  /** Deletes by filter (or only counts, `dryRun`); returns how many. */
  async deleteWhere(filter: DeliveryFilter, limit: number, dryRun: boolean): Promise<number> {
    const rows = await this.repo.list(filter, limit, 0)
    if (dryRun) return rows.length
    return this.repo.delete(rows.map((r) => Number(r.id)))
  }

  async delete(id: number, status?: 'dlq' | 'success'): Promise<void> {
    await this.get(id, status)
    await this.repo.delete([id])
  }

  /** Delivers again (the rows stay, with their replay count raised); `dryRun` only lists. */
  async replay(ids: number[], dryRun: boolean): Promise<Delivery[]> {
    const rows = (await Promise.all(ids.map((id) => this.repo.find(id)))).filter(
      (r): r is DeliveryRow => r !== undefined && r.status !== 'retrying',
    )
    if (!dryRun && rows.length > 0) {
      await this.repo.replay(
        rows.map((r) => Number(r.id)),
        new Date().toISOString(),
      )
      this.dispatcher.replayed()
    }
    return rows.map(toDelivery)
  }

  async replayWhere(filter: DeliveryFilter, limit: number, dryRun: boolean): Promise<Delivery[]> {
    const rows = await this.repo.list(filter, limit, 0)
    return this.replay(
      rows.map((r) => Number(r.id)),
      dryRun,
    )
  }

  stats() {
    return this.repo.stats()
  }

  /** Deletes archive and DLQ rows past their retention. */
  async prune(now = Date.now()): Promise<{ archive: number; dlq: number }> {
    const archive = await this.repo.prune(
      'success',
      new Date(now - this.retention.archiveRetentionDays * DAY_MS).toISOString(),
    )
    const dlq = await this.repo.prune(
      'dlq',
      new Date(now - this.retention.dlqRetentionDays * DAY_MS).toISOString(),
    )
    return { archive, dlq }
  }

  start(): void {
    const run = () => void this.prune().catch(() => undefined)
    run()
    this.pruner = setInterval(run, 3_600_000)
    this.pruner.unref()
  }

  stop(): void {
    clearInterval(this.pruner)
  }
}
